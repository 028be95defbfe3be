"""A big lookup opens with its first round of answers and fills in while the page is open."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from tasks.models import Lookup
from tests.html import all_of, text, text_of
from tests.tasks.pages import card_ids, new_ids

pytestmark = pytest.mark.django_db(transaction=True)  # the filler writes from its own thread


@pytest.fixture
def two_calls_at_once(settings):
    # First round: 2 calls of 20 ids; the rest fill in afterwards.
    settings.TASKS_LOOKUP_CALLS = 2


def filled(timeout: float = 15.0) -> Lookup:
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        lookup = Lookup.objects.get()
        if lookup.filling_until is None:
            return lookup
        time.sleep(0.05)
    raise AssertionError("the lookup did not finish filling in")


def test_the_page_opens_with_the_first_round_and_the_rest_fill_in(
    alice_client, alice_keys, fake, two_calls_at_once
):
    ids = new_ids(fake, 100)
    fake.latency = 0.2
    response = alice_client.post("/tasks/", {"ids": "\n".join(ids)}, follow=True)
    # Every id has its place at once, in the user's order; the first 40 already answered.
    assert card_ids(response) == ids[:36]
    assert "Still asking Apiframe for 60 of 100 IDs" in text_of(response, "#live-status")
    assert all_of(response, "noscript meta[http-equiv=refresh]")
    lookup = filled()
    page = alice_client.get(f"/tasks/{lookup.id}/", {"page": 3})
    assert card_ids(page) == ids[72:]
    assert lookup.counts == {"finished": 100}
    assert "Still asking" not in text_of(page, "#live-status")
    assert all_of(page, "noscript meta[http-equiv=refresh]") == []


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


def test_the_filler_reads_the_owners_key_when_it_begins(alice, alice_keys, fake):
    from mjadmin.keys.models import ApiCredential
    from tasks import filling

    ids = new_ids(fake, 3)
    lookup = Lookup.objects.create(owner=alice, filling_until=timezone.now() + timedelta(minutes=1))
    for position, task_id in enumerate(ids):
        lookup.results.create(position=position, task_id=task_id)
    filling._fill(lookup, ids, 5)  # as the pool runs it
    assert Lookup.objects.get().counts == {"finished": 3}
    # A key removed before a fill begins is not used: nothing is asked, the page takes over.
    ApiCredential.objects.all().delete()
    lookup.results.update(state="pending", fetched_at=None)
    Lookup.objects.update(filling_until=timezone.now() + timedelta(minutes=1))
    asked = len(fake.requests)
    filling._fill(lookup, ids, 5)
    assert len(fake.requests) == asked
    assert Lookup.objects.get().filling_until is None


def test_answers_are_never_stored_without_their_counts(alice, fake, monkeypatch):
    from tasks import fetching
    from tasks import lookups as stored_lookups

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
