"""/tasks/history/: every lookup of the team, paginated, filtered by teammate, searched by task
ID, prompt words and name; lookups named when made or later."""

import uuid

import pytest

from tasks.models import Lookup
from tests.hostile import HOSTILE_INPUTS
from tests.html import all_of, messages, one, text, text_of


def task_with_prompt(fake, prompt: str) -> str:
    task_id = str(uuid.uuid4())
    fake.add_task({"task_id": task_id, "status": "finished", "content": prompt})
    return task_id


def names_listed(response) -> list[str]:
    return [text(one(r, "td[data-label=Name]")) for r in all_of(response, "table.history tbody tr")]


def found_count(response) -> str:
    return text_of(response, "main [role=status]")


def name_lookup(client, pasted: str, name: str) -> Lookup:
    client.post("/tasks/", {"ids": pasted, "name": name})
    return Lookup.objects.get(name=name)


def test_every_lookup_is_kept_newest_first_fifty_to_a_page(alice_client, alice_keys, fake):
    task_id = task_with_prompt(fake, "a cat")
    for n in range(60):
        name_lookup(alice_client, task_id, f"run {n}")
    first = alice_client.get("/tasks/history/")
    assert found_count(first) == "60 lookups"
    assert names_listed(first)[:2] == ["run 59", "run 58"]
    assert len(names_listed(first)) == 50
    assert text_of(first, "nav.pagination span") == "Page 1 of 2"
    second = alice_client.get("/tasks/history/" + one(first, "nav.pagination a")["href"])
    assert names_listed(second) == [f"run {n}" for n in range(9, -1, -1)]


def test_a_search_by_task_id_finds_every_lookup_holding_it(alice_client, alice_keys, fake):
    shared = task_with_prompt(fake, "a red fox")
    other = task_with_prompt(fake, "a blue whale")
    name_lookup(alice_client, f"{shared} {other}", "both")
    name_lookup(alice_client, other, "only the whale")
    name_lookup(alice_client, shared, "only the fox")
    response = alice_client.get("/tasks/history/", {"q": f"  {shared.upper()} "})
    assert names_listed(response) == ["only the fox", "both"]
    assert found_count(response) == f"2 lookups match “{shared.upper()}”"


def test_a_search_by_prompt_words_finds_lookups_holding_all_of_them(alice_client, alice_keys, fake):
    name_lookup(alice_client, task_with_prompt(fake, "A Red fox, in the snow --ar 16:9"), "fox")
    name_lookup(alice_client, task_with_prompt(fake, "a red car"), "car")
    assert names_listed(alice_client.get("/tasks/history/", {"q": "red"})) == ["car", "fox"]
    assert names_listed(alice_client.get("/tasks/history/", {"q": "snow RED"})) == ["fox"]
    assert names_listed(alice_client.get("/tasks/history/", {"q": "red bicycle"})) == []


def test_a_search_by_name_finds_a_named_lookup(alice_client, alice_keys, fake):
    task_id = task_with_prompt(fake, "portrait")
    name_lookup(alice_client, task_id, "Friday's product shots")
    name_lookup(alice_client, task_id, "other")
    assert names_listed(alice_client.get("/tasks/history/", {"q": "product shot"})) == [
        "Friday's product shots"
    ]


def test_filter_by_teammate_and_mine(alice_client, alice_keys, bob_client, bob_keys, fake):
    task_id = task_with_prompt(fake, "x")
    name_lookup(alice_client, task_id, "alice's")
    name_lookup(bob_client, task_id, "bob's")
    assert names_listed(bob_client.get("/tasks/history/")) == ["bob's", "alice's"]
    assert names_listed(bob_client.get("/tasks/history/", {"owner": "alice"})) == ["alice's"]
    assert names_listed(bob_client.get("/tasks/history/", {"mine": "1"})) == ["bob's"]
    nothing = bob_client.get("/tasks/history/", {"owner": "nobody"})
    assert found_count(nothing) == "No lookup matches by nobody."


def test_the_paste_page_lists_your_own_recent_lookups(
    alice_client, alice_keys, bob_client, bob_keys, fake
):
    task_id = task_with_prompt(fake, "x")
    name_lookup(alice_client, task_id, "alice's")
    name_lookup(bob_client, task_id, "bob's")
    assert names_listed(alice_client.get("/tasks/")) == ["alice's"]


def test_a_lookup_is_renamed_by_its_owner_only(alice_client, alice_keys, bob_client, fake):
    lookup = name_lookup(alice_client, task_with_prompt(fake, "x"), "draft")
    assert names_listed(alice_client.get("/tasks/history/")) == ["draft"]
    page = alice_client.post(f"/tasks/{lookup.id}/name/", {"name": " Final \u202e"}, follow=True)
    assert "The lookup's name is saved." in messages(page)
    assert text_of(page, "h1").startswith("Final · Lookup of 1 task")
    assert bob_client.post(f"/tasks/{lookup.id}/name/", {"name": "mine now"}).status_code == 403
    assert Lookup.objects.get().name == "Final"
    assert names_listed(alice_client.get("/tasks/history/")) == ["Final"]  # never a stale copy


def test_a_name_too_long_is_refused_and_the_old_one_kept(alice_client, alice_keys, fake):
    lookup = name_lookup(alice_client, task_with_prompt(fake, "x"), "kept")
    page = alice_client.post(f"/tasks/{lookup.id}/name/", {"name": "n" * 121}, follow=True)
    assert "at most 120 characters" in messages(page)[0]
    assert Lookup.objects.get().name == "kept"


@pytest.mark.parametrize("typed", HOSTILE_INPUTS)
def test_hostile_searches_and_filters_answer_plainly(alice_client, typed):
    for params in ({"q": typed}, {"owner": typed}, {"page": typed}, {"mine": typed}):
        assert alice_client.get("/tasks/history/", params).status_code == 200
