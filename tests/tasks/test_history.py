"""Lookups listed: the user's recent ones under the paste form, the team's on /tasks/history/."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tasks.models import Lookup
from tests.fakes.fake_vendors import SEEDED_TASK_IDS, UNKNOWN_TASK_ID
from tests.html import all_of, one, text
from tests.tasks.pages import look_up, new_ids

FINISHED_ID = SEEDED_TASK_IDS[0]
PROCESSING_ID = "c4e2a7d9-1f35-4b86-8a0c-7d9e3f51b624"


def history_rows(response) -> list[dict[str, str]]:
    """Each row of the history table as column label -> the text in that cell."""
    rows = []
    for row in all_of(response, "table.history tbody tr"):
        rows.append({cell["data-label"]: text(cell) for cell in all_of(row, "td")})
    return rows


def test_history_lists_each_lookup_with_its_status_counts(alice_client, alice_keys, fake):
    ids = new_ids(fake, 20)
    fake.set_fault("500", path="/fetch")
    # 20 in one call (18 found, one failed task, one unknown), a lone running one that fails.
    look_up(alice_client, "\n".join([*ids[:18], SEEDED_TASK_IDS[13], UNKNOWN_TASK_ID, ids[19]]))
    fake.clear_faults()
    look_up(alice_client, f"{FINISHED_ID} {PROCESSING_ID}")
    newest, oldest = history_rows(alice_client.get("/tasks/"))
    assert newest | {"When": ""} == {
        "When": "",
        "Name": "—",
        "By": "you",
        "IDs": "2",
        "Finished": "1",
        "Running / pending": "1 / 0",
        "Failed": "0",
        "Not found / error": "0 / 0",
        "Open": "Open lookup of " + newest["When"].removesuffix(" UTC"),
    }
    assert (oldest["IDs"], oldest["Finished"], oldest["Failed"]) == ("21", "18", "1")
    assert oldest["Not found / error"] == "1 / 1"


def test_a_teammate_finds_a_lookup_in_the_team_history(alice_client, alice_keys, bob_client, fake):
    look_up(alice_client, FINISHED_ID)
    lookup = Lookup.objects.get()
    assert all_of(bob_client.get("/tasks/"), "table.history") == []  # not bob's own
    response = bob_client.get("/tasks/history/")
    (row,) = all_of(response, "table.history tbody tr")
    assert text(one(row, "td[data-label=By]")) == "alice"
    assert one(row, "td[data-label=Open] a")["href"] == f"/tasks/{lookup.id}/"


def test_a_new_user_sees_an_empty_history_that_says_what_to_do(alice_client, fake):
    response = alice_client.get("/tasks/")
    history = one(response, "section[aria-labelledby=history-heading]")
    assert "No lookups yet." in text(history)
    assert all_of(history, "table") == []
    assert "No key that looks up tasks saved yet" in text(one(response, ".alert-warning"))


def test_the_history_shows_a_result_that_changed_since_it_was_last_shown(
    alice_client, alice_keys, fake
):
    look_up(alice_client, PROCESSING_ID)
    (before,) = history_rows(alice_client.get("/tasks/"))
    assert before["Running / pending"] == "1 / 0"
    lookup = Lookup.objects.get()
    for _ in range(5):  # the fake finishes the task after a few fetches
        alice_client.post(f"/tasks/{lookup.id}/", follow=True)
    (after,) = history_rows(alice_client.get("/tasks/"))
    assert (after["Finished"], after["Running / pending"]) == ("1", "0 / 0")


def test_the_lists_cost_the_same_queries_for_3_lookups_as_for_40(alice_client, alice_keys, fake):
    def queries(path: str) -> int:
        cache.clear()  # a page rendered afresh, not its cached table
        with CaptureQueriesContext(connection) as run:
            assert alice_client.get(path).status_code == 200
        return len(run.captured_queries)

    for _ in range(3):
        look_up(alice_client, FINISHED_ID)
    few = {path: queries(path) for path in ("/tasks/", "/tasks/history/")}
    for _ in range(37):
        look_up(alice_client, FINISHED_ID)
    assert {path: queries(path) for path in few} == few


def test_the_history_never_reads_what_pastes_held_besides_ids(alice, alice_client):
    # A pasted log leaves thousands of pieces that are not IDs; 50 such lookups on one page
    # would be megabytes read for nothing.
    Lookup.objects.create(owner=alice, not_ids=[f"piece {n}" for n in range(5_000)])
    with CaptureQueriesContext(connection) as queries:
        response = alice_client.get("/tasks/history/")
    assert response.status_code == 200
    read = [q["sql"] for q in queries.captured_queries if 'FROM "tasks_lookup"' in q["sql"]]
    assert read and not any('"not_ids"' in sql or '"duplicates"' in sql for sql in read)


@pytest.mark.django_db(transaction=True)  # a saved lookup bumps the history after its commit
def test_the_history_counts_a_new_lookup_and_pages_to_it(
    alice_client, alice_keys, fake, monkeypatch
):
    from tasks import views

    for _ in range(3):
        look_up(alice_client, FINISHED_ID)
    monkeypatch.setattr(views, "HISTORY_PAGE_SIZE", 3)
    first = alice_client.get("/tasks/history/")
    assert text(one(first, "[role=status]")) == "3 lookups"
    look_up(alice_client, FINISHED_ID)
    # Counted again once the history changed: the fourth has a page of its own.
    again = alice_client.get("/tasks/history/")
    assert text(one(again, "[role=status]")) == "4 lookups"
    last = alice_client.get("/tasks/history/", {"page": 2})
    assert len(history_rows(last)) == 1
