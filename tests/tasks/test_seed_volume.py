"""`python -m tests.tool seed_volume`: a year of a busy team's made-up lookups, for measuring the
pages at that size. At small numbers here: what it makes must be what the app would have saved."""

from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from tasks import lookups
from tasks.models import Lookup, TaskResult
from tasks.storage import prompt_words
from tests.bench import seed_volume
from tests.html import all_of, text_of
from tests.tasks.pages import tiles

LOOKUPS, RESULTS = 200, 4_000


def seed(lookups: int = LOOKUPS, results: int = RESULTS, **options) -> str:
    out = StringIO()
    call_command(seed_volume.Command(), lookups=lookups, results=results, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def seeded(db) -> str:
    return seed(users=5, seed=7)


def words_of(result: TaskResult) -> list[str]:
    task = result.task
    return prompt_words(task.content or "") if task is not None else []


def test_it_makes_the_lookups_and_results_asked_for(seeded, alice_client):
    assert "Created 200 lookups, 4,000 task results" in seeded
    history = alice_client.get("/tasks/history/")
    assert text_of(history, "main [role=status]") == "200 lookups"
    by_owner = Counter(Lookup.objects.values_list("owner__username", flat=True))
    assert sorted(by_owner) == ["ana", "ben", "chloe", "dev", "eli"]
    assert TaskResult.objects.count() == RESULTS
    made = sorted(Lookup.objects.values_list("created_at", flat=True))
    assert made[-1] - made[0] > timedelta(days=300)  # a year of history
    sizes = sorted(Lookup.objects.values_list("total", flat=True))
    # Mostly a handful of IDs, and one lookup as big as a lookup may be.
    assert sizes[-1] == 2_000
    assert sizes[len(sizes) // 2] <= 10


def test_every_lookup_shows_the_counts_of_its_own_results(seeded, alice_client):
    stored = {
        (lookup_id, state): n
        for lookup_id, state, n in TaskResult.objects.values_list("lookup", "state").annotate(
            n=Count("id")
        )
    }
    for lookup in Lookup.objects.all():
        mine = {state: n for (held_by, state), n in stored.items() if held_by == lookup.pk}
        assert lookup.counts == mine
        assert lookup.total == sum(mine.values())
    biggest = Lookup.objects.get(total=2_000)
    page = alice_client.get(f"/tasks/{biggest.id}/")
    assert tiles(page)["all"] == 2_000
    assert tiles(page)["✓ finished"] == biggest.counts["finished"]


def test_every_prompt_word_finds_the_lookups_whose_prompts_hold_it(seeded):
    held_by: dict[str, set] = {}
    for result in TaskResult.objects.all():
        for word in words_of(result):
            held_by.setdefault(word, set()).add(result.lookup_id)
    by_name = {lookup.pk: lookup.name.casefold() for lookup in Lookup.objects.all()}
    by_spread = sorted(held_by, key=lambda word: (len(held_by[word]), word))
    # Some words are in most lookups, some in very few: searches of every selectivity.
    assert len(held_by[by_spread[-1]]) > LOOKUPS / 2
    assert len(held_by[by_spread[0]]) <= 3
    for word in by_spread[:: len(by_spread) // 20] + by_spread[-1:]:
        holding = held_by[word]
        named = {pk for pk, name in by_name.items() if word in name}
        found = lookups.search(Lookup.objects.all(), word)
        assert set(found.values_list("pk", flat=True)) == holding | named, word


def test_a_search_by_a_task_id_looked_up_again_finds_every_lookup_holding_it(seeded, alice_client):
    again = Counter(TaskResult.objects.values_list("task_id", flat=True))
    repeated = [task_id for task_id, n in again.items() if n > 1]
    assert len(repeated) > RESULTS * 0.02
    task_id = repeated[0]
    holding = set(TaskResult.objects.filter(task_id=task_id).values_list("lookup", flat=True))
    response = alice_client.get("/tasks/history/", {"q": task_id})
    assert text_of(response, "main [role=status]") == f"{len(holding)} lookups match “{task_id}”"
    opened = {a["href"] for a in all_of(response, "table.history td[data-label=Open] a")}
    assert opened == {f"/tasks/{pk}/" for pk in holding}


def test_it_refuses_a_database_that_holds_lookups_unless_forced(db):
    seed(20, 100)
    with pytest.raises(CommandError, match="already holds 20 lookups"):
        seed(20, 100)
    assert Lookup.objects.count() == 20
    seed(20, 100, force=True)
    assert Lookup.objects.count() == 40


def test_it_refuses_more_lookups_than_results(db):
    with pytest.raises(CommandError, match="200 lookups hold between 200 and"):
        call_command(seed_volume.Command(), lookups=200, results=100, stdout=StringIO())
    assert not Lookup.objects.exists()
