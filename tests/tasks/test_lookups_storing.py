"""What a lookup stores when it is made and when it is refreshed, as its JSON export (read from
the database) shows it: every answer's state, data, error and time, and nothing from a failure."""

import json
import uuid
from datetime import datetime, timedelta

from django.test import Client
from django.utils import timezone

from tasks.models import Lookup, TaskResult
from tests.fakes.fake_vendors import FakeUpstream
from tests.html import text
from tests.tasks.pages import card, live_problem, look_up, refresh

NOT_FOUND_TEXT = (
    "Apiframe has no task with this ID (check it, or it may belong to another API key)."
)


def exported(client: Client) -> dict[str, dict]:
    lookup = Lookup.objects.get()
    data = json.loads(client.get(f"/tasks/{lookup.id}/export.json").content)
    return {task["task_id"]: task for task in data["tasks"]}


def running(fake: FakeUpstream) -> dict:
    task = {"task_id": str(uuid.uuid4()), "task_type": "imagine", "status": "processing"}
    fake.add_task(task)  # kept as given: the test moves it on by changing the dict
    return task


def page_url() -> str:
    return f"/tasks/{Lookup.objects.get().id}/"


def test_a_new_lookup_stores_when_each_answer_arrived(alice_client, alice_keys, fake):
    before = timezone.now()
    task = running(fake)
    look_up(alice_client, task["task_id"])
    (stored,) = exported(alice_client).values()
    assert before <= datetime.fromisoformat(stored["fetched_at"]) <= timezone.now()


def test_opening_a_new_lookup_right_away_asks_apiframe_nothing_more(alice_client, alice_keys, fake):
    task = running(fake)
    look_up(alice_client, task["task_id"])  # the lookup, then its page after the redirect
    alice_client.get(page_url())
    assert len(fake.requests) == 1


def test_a_refresh_stores_the_new_state_data_and_time(alice_client, alice_keys, fake):
    task = running(fake)
    look_up(alice_client, task["task_id"])
    TaskResult.objects.update(fetched_at=timezone.now() - timedelta(minutes=5))
    task.update(status="finished", image_urls=["https://cdn.example/1.png"])
    refresh(alice_client, page_url())
    stored = exported(alice_client)[task["task_id"]]
    assert stored["state"] == "finished"
    assert stored["task"]["image_urls"] == ["https://cdn.example/1.png"]
    assert timezone.now() - datetime.fromisoformat(stored["fetched_at"]) < timedelta(minutes=1)


def test_an_id_found_on_refresh_loses_its_not_found_error(alice_client, alice_keys, fake):
    task_id = str(uuid.uuid4())
    look_up(alice_client, task_id)
    assert exported(alice_client)[task_id]["error"] == NOT_FOUND_TEXT
    fake.add_task({"task_id": task_id, "status": "processing"})
    response = refresh(alice_client, page_url())
    assert exported(alice_client)[task_id]["error"] is None
    assert NOT_FOUND_TEXT not in text(card(response, task_id))


def test_a_refresh_whose_answers_are_stored_is_not_asked_again_on_reload(
    alice_client, alice_keys, fake
):
    task = running(fake)
    look_up(alice_client, task["task_id"])
    TaskResult.objects.update(fetched_at=timezone.now() - timedelta(minutes=5))
    alice_client.get(page_url())  # stale: asked again
    fake.requests.clear()
    alice_client.get(page_url())  # fresh now: not asked
    assert fake.requests == []


def test_one_failed_call_neither_stops_the_others_being_stored_nor_fails_the_page(
    alice_client, alice_keys, fake
):
    tasks = [running(fake) for _ in range(21)]  # 20 in one call, the last alone
    look_up(alice_client, " ".join(t["task_id"] for t in tasks))
    TaskResult.objects.update(fetched_at=timezone.now() - timedelta(minutes=5))
    fake.set_fault("500", path="/fetch-many")
    tasks[-1].update(status="finished", image_urls=["https://cdn.example/1.png"])
    response = refresh(alice_client, page_url())
    assert live_problem(response) == ""
    stored = exported(alice_client)
    assert stored[tasks[-1]["task_id"]]["state"] == "finished"
    assert {stored[t["task_id"]]["state"] for t in tasks[:-1]} == {"running"}


def test_the_owners_refresh_of_a_still_unknown_id_stores_when_it_was_asked(
    alice_client, alice_keys, fake
):
    task_id = str(uuid.uuid4())
    look_up(alice_client, task_id)
    TaskResult.objects.update(fetched_at=timezone.now() - timedelta(minutes=5))
    refresh(alice_client, page_url())
    stored = exported(alice_client)[task_id]
    assert stored["state"] == "not_found"
    assert timezone.now() - datetime.fromisoformat(stored["fetched_at"]) < timedelta(minutes=1)


def test_counts_move_only_what_this_request_learned_without_storing(alice):
    from tasks import lookups as stored_lookups
    from tasks.lookups import Refreshed

    lookup = Lookup.objects.create(owner=alice, counts={"finished": 1, "running": 1})
    lookup.results.create(position=0, task_id="a", state="finished")
    running = lookup.results.create(position=1, task_id="b", state="running")
    # Nothing learned: the counts as read with the lookup, no query more.
    assert stored_lookups.counts_as_shown(lookup, Refreshed()) == {"finished": 1, "running": 1}
    # A call that failed for this viewer shows as an error to them, without being stored; what
    # others stored meanwhile is counted as stored, whatever this request read before.
    Lookup.objects.update(counts={"finished": 1, "running": 1, "pending": 1})
    running.state = "error"
    shown = stored_lookups.counts_as_shown(lookup, Refreshed(unstored=(running,)))
    assert shown == {"finished": 1, "error": 1, "pending": 1}
    # This request stored answers (and recounted): the counts are read again.
    assert stored_lookups.counts_as_shown(lookup, Refreshed(stored=True)) == {
        "finished": 1,
        "running": 1,
        "pending": 1,
    }


def test_a_page_asks_one_round_of_calls_oldest_answers_first(alice, alice_keys, fake, settings):
    from mjadmin.vendors import registry
    from tasks import lookups

    # One round is 2 calls of 20 ids: 45 running tasks take three pages' requests.
    settings.TASKS_LOOKUP_CALLS = 2
    ids = [str(uuid.uuid4()) for _ in range(45)]
    for task_id in ids:
        fake.add_task({"task_id": task_id, "status": "processing", "percentage": "10"})
    lookup = Lookup.objects.create(owner=alice)
    long_ago = timezone.now() - timedelta(minutes=5)
    for position, task_id in enumerate(ids):
        # The first five were answered long ago; the others never.
        fetched = long_ago if position < 5 else None
        lookup.results.create(position=position, task_id=task_id, fetched_at=fetched)
    key = registry.lookup_key_of(alice)

    def asked_by_one_page() -> list[str]:
        before = len(fake.requests)
        lookups.refresh(list(lookup.results.all()), key)
        return [i for r in fake.requests[before:] for i in r.json()["task_ids"]]

    # Those never answered first, wherever they are in the lookup.
    assert sorted(asked_by_one_page()) == sorted(ids[5:])
    # The next request asks the rest: the five answered long ago, not the forty again.
    assert sorted(asked_by_one_page()) == sorted(ids[:5])
