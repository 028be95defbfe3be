"""A big lookup opens with its first round of answers and fills in while the page is open."""

import re
import threading
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from tasks.models import Lookup, TaskResult
from tests.html import all_of, notice, text, text_of
from tests.tasks.pages import badge, card_ids, filled, new_ids, pasted_text

pytestmark = pytest.mark.django_db(transaction=True)  # the filler writes from its own thread


@pytest.fixture
def two_calls_at_once(settings):
    # First round: 2 calls of 20 ids; the rest fill in afterwards.
    settings.TASKS_LOOKUP_CALLS = 2


def test_the_page_opens_with_its_first_page_and_the_rest_fill_in(
    alice_client, alice_keys, fake, two_calls_at_once
):
    ids = new_ids(fake, 300)
    fake.latency = 0.2
    response = alice_client.post("/tasks/", {"ids": "\n".join(ids)}, follow=True)
    # Every id has its place at once, in the user's order; the paste's own request asked the
    # first 100 (five calls), while the other 200 take five rounds of two calls.
    assert card_ids(response) == ids[:36]
    assert {badge(response, task_id) for task_id in ids[:36]} == {"✓ finished"}
    still = re.fullmatch(
        r"Still asking Apiframe for (\d+) of 300 IDs.*", text_of(response, "#live-status")
    )
    assert still is not None and 0 < int(still[1]) <= 200
    assert all_of(response, "noscript meta[http-equiv=refresh]")
    lookup = filled()
    page = alice_client.get(f"/tasks/{lookup.id}/", {"page": 9})
    assert card_ids(page) == ids[288:]
    assert lookup.counts == {"finished": 300}
    assert "Still asking" not in text_of(page, "#live-status")
    assert all_of(page, "noscript meta[http-equiv=refresh]") == []


def test_a_rejected_key_keeps_nothing_and_stops_the_rest(
    alice_client, alice_keys, fake, two_calls_at_once, monkeypatch
):
    from tasks import filling

    ended = threading.Event()
    run = filling.Fill.run

    def run_and_say_so(fill):
        run(fill)
        ended.set()

    monkeypatch.setattr(filling.Fill, "run", run_and_say_so)
    ids = new_ids(fake, 300)
    fake.latency = 0.1
    fake.apiframe_keys.clear()  # the stored key is refused from now on
    response = alice_client.post("/tasks/", {"ids": "\n".join(ids)})
    assert "Apiframe rejected your API key" in text(notice(response))
    assert pasted_text(response) == "\n".join(ids)
    assert ended.wait(10), "the filler did not stop"
    assert not Lookup.objects.exists()
    assert not TaskResult.objects.exists()
    # The paste's own five calls, and the rest's rounds of two until it was stopped: a filler
    # never stopped asks all ten of its calls.
    assert len(fake.requests_to("/fetch-many")) < 5 + 10


def test_a_paste_of_up_to_five_calls_opens_complete(alice_client, alice_keys, fake):
    ids = new_ids(fake, 101)
    fake.latency = 0.1
    alice_client.post("/tasks/", {"ids": "\n".join(ids[:100])})
    # Asked whole by the paste's own request, though a page of tiles shows 36: nothing is left
    # to fill in once the page opens.
    lookup = Lookup.objects.get()
    assert (lookup.filling_until, lookup.counts) == (None, {"finished": 100})
    Lookup.objects.all().delete()
    alice_client.post("/tasks/", {"ids": "\n".join(ids)})
    lookup = Lookup.objects.get()
    assert lookup.filling_until is not None
    assert lookup.counts["finished"] == 100
    filled()


def test_the_first_pages_calls_go_out_before_the_rests(alice_client, alice_keys, fake, monkeypatch):
    from tasks import filling

    # Longer than the default, so a busy machine's scheduling cannot blur the gap.
    monkeypatch.setattr(filling, "HEAD_START", 0.5)
    ids = new_ids(fake, 200)
    fake.latency = 0.1
    alice_client.post("/tasks/", {"ids": "\n".join(ids)})
    filled()
    first, rest = set(ids[:100]), set(ids[100:])
    calls = fake.requests_to("/fetch-many")
    first_sent = [c.received_at for c in calls if set(c.json()["task_ids"]) <= first]
    rest_sent = [c.received_at for c in calls if set(c.json()["task_ids"]) <= rest]
    assert (len(first_sent), len(rest_sent)) == (5, 5)
    # The user waits for the first page: its answers are not read beside five more.
    assert min(rest_sent) - max(first_sent) >= 0.25


def test_looking_at_the_page_while_it_fills_asks_nothing_twice(
    alice_client, alice_keys, fake, two_calls_at_once
):
    ids = new_ids(fake, 100)
    fake.latency = 0.2
    alice_client.post("/tasks/", {"ids": "\n".join(ids)})
    lookup = Lookup.objects.get()
    for _ in range(5):
        alice_client.get(f"/tasks/{lookup.id}/?partial=1")
    filled()
    asked = [task_id for r in fake.requests_to("/fetch-many") for task_id in r.json()["task_ids"]]
    assert sorted(asked) == sorted(ids)


def test_a_filler_that_never_finished_is_taken_over_by_the_page(
    alice_client, alice_keys, fake, two_calls_at_once
):
    ids = new_ids(fake, 60)
    alice_client.post("/tasks/", {"ids": "\n".join(ids)})
    lookup = filled()
    # As if the process had stopped halfway: 20 never answered, and its time has passed.
    lookup.results.filter(position__gte=40).update(state="pending", data=None, fetched_at=None)
    Lookup.objects.update(filling_until=timezone.now() - timedelta(seconds=1))
    page = alice_client.get(f"/tasks/{lookup.id}/")
    assert all("Waiting for" not in text(c) for c in all_of(page, "article.task"))
    assert Lookup.objects.get().counts == {"finished": 60}


def test_an_id_still_being_asked_says_so_on_its_card(alice, alice_client):
    lookup = Lookup.objects.create(
        owner=alice, filling_until=timezone.now() + timedelta(minutes=1), counts={"pending": 1}
    )
    lookup.results.create(position=0, task_id="4b1c7f0e-9a53-4d1e-8f2a-6c3b5e7d9a10")
    page = alice_client.get(f"/tasks/{lookup.id}/")
    assert text_of(page, "article.task .waiting") == "Waiting for Apiframe's answer…"
    assert "Still asking Apiframe for 1 of 1 ID" in text_of(page, "#live-status")


def _filling_lookup(owner, ids: list[str]) -> Lookup:
    lookup = Lookup.objects.create(owner=owner, filling_until=timezone.now() + timedelta(minutes=1))
    for position, task_id in enumerate(ids):
        lookup.results.create(position=position, task_id=task_id)
    return lookup


def test_the_filler_reads_the_owners_key_when_it_begins(alice, alice_keys, fake):
    from mjadmin.keys.models import ApiCredential
    from tasks import filling

    ids = new_ids(fake, 3)
    lookup = _filling_lookup(alice, ids)
    fill = filling.Fill(alice, ids, lookup.filling_until, "apiframe-v1")
    fill.attach(lookup)
    fill.run()  # as the pool runs it
    assert Lookup.objects.get().counts == {"finished": 3}
    # A key removed after the fill was queued, before it began, is not used: nothing is
    # asked, the page takes over.
    Lookup.objects.all().delete()
    lookup = _filling_lookup(alice, ids)
    asked = len(fake.requests)
    fill = filling.Fill(alice, ids, lookup.filling_until, "apiframe-v1")
    fill.attach(lookup)
    ApiCredential.objects.all().delete()
    fill.run()
    assert len(fake.requests) == asked
    assert Lookup.objects.get().filling_until is None


def test_answers_that_came_before_the_rows_existed_are_stored_once_they_do(alice, alice_keys, fake):
    from tasks import filling

    ids = new_ids(fake, 45)
    fill = filling.Fill(alice, ids, timezone.now() + timedelta(minutes=1), "apiframe-v1")
    running = threading.Thread(target=fill.run)
    running.start()
    until = time.monotonic() + 5
    # Every answer is in before the rows exist (the filler only waits now).
    while not fill._kept.keys() >= set(ids):
        assert time.monotonic() < until, "the answers did not come"
        time.sleep(0.01)
    lookup = _filling_lookup(alice, ids)
    fill.attach(lookup)
    running.join(timeout=5)
    assert not running.is_alive()
    assert Lookup.objects.get().counts == {"finished": 45}
    assert Lookup.objects.get().filling_until is None


def test_a_fill_queued_past_its_lookups_time_asks_nothing(alice, alice_keys, fake):
    from tasks import filling

    ids = new_ids(fake, 3)
    lookup = _filling_lookup(alice, ids)
    fill = filling.Fill(alice, ids, timezone.now() - timedelta(seconds=1), "apiframe-v1")
    fill.attach(lookup)
    fill.run()
    assert fake.requests_to("/fetch-many") == []


def test_answers_are_never_stored_without_their_counts(alice, fake, monkeypatch):
    from tasks import fetching
    from tasks import storage as stored_lookups

    ids = new_ids(fake, 2)
    lookup = Lookup.objects.create(owner=alice, counts={"pending": 2})
    for position, task_id in enumerate(ids):
        lookup.results.create(position=position, task_id=task_id)

    def counting_fails(lookup):
        raise RuntimeError("the database went away while counting")

    monkeypatch.setattr(stored_lookups, "recount", counting_fails)
    answers = {task_id: fetching.Outcome("finished") for task_id in ids}
    with pytest.raises(RuntimeError):
        stored_lookups.store_call(lookup, answers)
    # A page reading now sees the lookup as it was: no answer without its count.
    assert sorted(lookup.results.values_list("state", flat=True)) == ["pending", "pending"]
