"""/tasks/history/?q=: a search lists its newest 1,000 matches and says when more matched."""

from datetime import timedelta

from django.utils import timezone

from tasks.models import Lookup, PromptWord
from tests.html import all_of, one, text, text_of


def lookups_with_word(owner, word: str, count: int) -> None:
    """`count` lookups named "run 0" (the oldest) to "run <count - 1>", each with the word."""
    made = Lookup.objects.bulk_create(Lookup(owner=owner, name=f"run {n}") for n in range(count))
    now = timezone.now()
    for n, lookup in enumerate(made):
        Lookup.objects.filter(pk=lookup.pk).update(created_at=now - timedelta(minutes=count - n))
    PromptWord.objects.bulk_create(PromptWord(lookup=lookup, word=word) for lookup in made)


def names_listed(response) -> list[str]:
    return [text(one(r, "td[data-label=Name]")) for r in all_of(response, "table.history tbody tr")]


def test_more_matches_than_listed_are_said_and_the_newest_listed(alice, alice_client):
    lookups_with_word(alice, "fox", 1_001)
    first = alice_client.get("/tasks/history/", {"q": "fox"})
    assert text_of(first, "main [role=status]") == (
        "More than 1000 lookups match “fox” (the newest 1000 are listed)"
    )
    assert text_of(first, "nav.pagination span") == "Page 1 of 20"
    assert names_listed(first)[0] == "run 1000"
    last = alice_client.get("/tasks/history/", {"q": "fox", "page": 20})
    assert names_listed(last)[-1] == "run 1"


def test_as_many_matches_as_listed_are_counted_exactly(alice, alice_client):
    lookups_with_word(alice, "fox", 1_000)
    response = alice_client.get("/tasks/history/", {"q": "fox"})
    assert text_of(response, "main [role=status]") == "1000 lookups match “fox”"


def test_the_whole_history_is_never_cut_short(alice, alice_client):
    lookups_with_word(alice, "fox", 1_001)
    response = alice_client.get("/tasks/history/")
    assert text_of(response, "main [role=status]") == "1001 lookups"
    assert text_of(response, "nav.pagination span") == "Page 1 of 21"
