"""A saved lookup's page: statuses, the tiles, Refresh, polling, and teammates opening it."""

import uuid
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from mjadmin.keys import credentials
from mjadmin.vendors import registry
from tasks import lookups
from tasks.models import Lookup, TaskResult
from tests.fakes.fake_vendors import PROGRESSING_TASK_IDS, SEEDED_TASK_IDS, UNKNOWN_TASK_ID
from tests.html import all_of, notice, one, text
from tests.tasks.pages import (
    badge,
    card,
    card_ids,
    live_problem,
    look_up,
    new_ids,
    polling,
    refresh,
    tiles,
)

FINISHED_ID = SEEDED_TASK_IDS[0]
PROCESSING_ID = "c4e2a7d9-1f35-4b86-8a0c-7d9e3f51b624"
BOBS_KEY = "bob-apiframe-key-000000000001"


def url(lookup: Lookup) -> str:
    return f"/tasks/{lookup.id}/"


def test_every_seeded_status_and_type_is_shown(alice_client, alice_keys, fake):
    response = look_up(alice_client, "\n".join(SEEDED_TASK_IDS))
    states = Counter(Lookup.objects.get().results.values_list("state", flat=True))
    assert states["finished"] == 9  # eight with a status, one the vendor's way without
    assert states["failed"] == 2
    # The fake moves "pending" and "starting" tasks on to processing when they are fetched.
    assert states["pending"] == 1  # staged
    assert states["running"] == 4  # processing, retrying, and the two that moved on
    badges = Counter(text(b) for b in all_of(response, "article.task .badge"))
    assert badges == {"✓ finished": 9, "✕ failed": 2, "… pending": 1, "⟳ running": 4}
    everything = " ".join(text(c) for c in all_of(response, "article.task"))
    for shown in [
        "(retrying)",
        "· upscale#1",
        "· describe",
        "3620198521",  # seed
        "Banned prompt detected",  # message
        "Midjourney job timed out",  # error
        "video 1",
        "1234578888888",  # sref of the finished task without a status
    ]:
        assert shown in everything, shown
    grid = one(card(response, FINISHED_ID), ".grid-image img")
    assert grid["src"] == f"https://cdn.apiframe-fake.example/images/{FINISHED_ID}/grid.png"
    assert grid["loading"] == "lazy"


def test_percentage_as_string_number_or_absent_on_the_page(alice_client, alice_keys, fake):
    ids = [str(uuid.uuid4()) for _ in range(3)]
    fake.add_task({"task_id": ids[0], "status": "processing", "percentage": "37"})
    fake.add_task({"task_id": ids[1], "status": "processing", "percentage": 64})
    fake.add_task({"task_id": ids[2], "status": "processing"})
    response = look_up(alice_client, " ".join(ids))
    assert one(card(response, ids[0]), "progress")["value"] == "37"
    assert text(one(card(response, ids[0]), ".capacity")) == "37% 37%"
    assert one(card(response, ids[1]), "progress")["value"] == "64"
    assert not one(card(response, ids[2]), "progress").has_attr("value")
    assert "in progress" in text(one(card(response, ids[2]), ".capacity"))


def test_the_tiles_count_every_state_including_ids_that_could_not_be_fetched(
    alice_client, alice_keys, fake
):
    ids = new_ids(fake, 20)
    fake.set_fault("500", path="/fetch")
    # The first 20 go in one call; the 21st alone to /fetch, which fails.
    response = look_up(alice_client, "\n".join([*ids[:19], UNKNOWN_TASK_ID, ids[19]]))
    assert tiles(response) == {
        "all": 21,
        "✓ finished": 19,
        "⟳ running": 0,
        "… pending": 0,
        "✕ failed": 0,
        "? not found": 1,
        "⚠ could not fetch": 1,
    }


def test_the_error_tile_is_shown_only_when_something_could_not_be_fetched(
    alice_client, alice_keys, fake
):
    response = look_up(alice_client, FINISHED_ID)
    assert "⚠ could not fetch" not in tiles(response)


def test_the_summary_filters_the_grid(alice_client, alice_keys, fake):
    look_up(alice_client, "\n".join(SEEDED_TASK_IDS))
    lookup = Lookup.objects.get()
    response = alice_client.get(f"{url(lookup)}?status=failed")
    assert len(card_ids(response)) == 2
    current = one(response, "#live-summary a[aria-current]")
    assert current["href"] == "?status=failed"
    everything = alice_client.get(f"{url(lookup)}?status=bogus")
    assert len(card_ids(everything)) == len(SEEDED_TASK_IDS)


def test_reopening_does_not_fetch_finished_or_failed_tasks_again(alice_client, alice_keys, fake):
    terminal = [SEEDED_TASK_IDS[0], SEEDED_TASK_IDS[6], SEEDED_TASK_IDS[13]]
    look_up(alice_client, " ".join(terminal))
    lookup = Lookup.objects.get()
    fake.requests.clear()
    response = refresh(alice_client, url(lookup))
    assert fake.requests == []
    assert card_ids(response) == terminal


def test_refreshing_asks_only_for_unfinished_tasks_until_they_finish(
    alice_client, alice_keys, fake
):
    look_up(alice_client, f"{FINISHED_ID} {PROCESSING_ID}")
    lookup = Lookup.objects.get()
    for _ in range(5):
        fake.requests.clear()
        response = refresh(alice_client, url(lookup))
        assert [r.json() for r in fake.requests] in ([], [{"task_id": PROCESSING_ID}])
        if not polling(response):
            break
    assert PROCESSING_ID in PROGRESSING_TASK_IDS
    assert badge(response, PROCESSING_ID) == "✓ finished"
    fake.requests.clear()
    refresh(alice_client, url(lookup))
    assert fake.requests == []


def test_refresh_is_a_post_and_a_reload_after_it_asks_nothing_again(alice_client, alice_keys, fake):
    look_up(alice_client, f"{PROCESSING_ID} {UNKNOWN_TASK_ID}")
    lookup = Lookup.objects.get()
    TaskResult.objects.update(fetched_at=timezone.now())
    fake.requests.clear()
    response = alice_client.post(url(lookup))
    assert (response.status_code, response["Location"]) == (302, url(lookup))
    alice_client.get(url(lookup))
    # Refresh asks for everything not final, the not-found id included...
    assert sorted(fake.requests[0].json()["task_ids"]) == sorted([PROCESSING_ID, UNKNOWN_TASK_ID])
    fake.requests.clear()
    alice_client.get(url(lookup))
    # ...and only once: the reload finds the answers fresh.
    assert fake.requests == []


def test_a_reload_asks_again_only_for_results_older_than_two_seconds(
    alice_client, alice_keys, fake
):
    look_up(alice_client, PROCESSING_ID)
    lookup = Lookup.objects.get()
    TaskResult.objects.update(fetched_at=timezone.now() - timedelta(seconds=1))
    fake.requests.clear()
    alice_client.get(url(lookup))
    assert fake.requests == []
    TaskResult.objects.update(fetched_at=timezone.now() - timedelta(seconds=3))
    alice_client.get(url(lookup))
    assert [r.json() for r in fake.requests] == [{"task_id": PROCESSING_ID}]


def test_not_found_ids_are_not_polled_but_wait_for_refresh(alice_client, alice_keys, fake):
    response = look_up(alice_client, f"{FINISHED_ID} {UNKNOWN_TASK_ID}")
    assert not polling(response)
    lookup = Lookup.objects.get()
    TaskResult.objects.update(fetched_at=timezone.now() - timedelta(minutes=5))
    fake.requests.clear()
    alice_client.get(f"{url(lookup)}?partial=1")
    assert fake.requests == []
    refresh(alice_client, url(lookup))
    assert [r.json() for r in fake.requests] == [{"task_id": UNKNOWN_TASK_ID}]


def test_a_slower_refresh_never_turns_a_finished_task_back(alice_client, alice_keys, fake):
    look_up(alice_client, PROCESSING_ID)
    lookup = Lookup.objects.get()
    # This page loaded the task while it ran; meanwhile a teammate's refresh saw it finish.
    seen_running = list(lookup.results.all())
    TaskResult.objects.update(state="finished", data={"task_id": PROCESSING_ID, "status": "done"})
    fake.apiframe_tasks[PROCESSING_ID]["_progresses"] = False
    fake.apiframe_tasks[PROCESSING_ID]["status"] = "processing"
    lookups.refresh(seen_running, registry.lookup_key_of(lookup.owner), force=True)
    assert badge(alice_client.get(url(lookup)), PROCESSING_ID) == "✓ finished"


def test_the_page_polls_itself_while_tasks_run_and_offers_a_refresh_button(
    alice_client, alice_keys, fake
):
    response = look_up(alice_client, PROCESSING_ID)
    assert polling(response)
    status = one(response, "#live-status")
    assert "updates itself every few seconds" in text(status)
    button = one(status, "form[method=post] button[type=submit]")
    assert text(button) == "Refresh now"
    assert one(response, "script[src*='js/tasks']")
    partial = alice_client.get(f"{url(Lookup.objects.get())}?partial=1").content.decode()
    assert partial.lstrip().startswith('<div id="live"')
    assert "<html" not in partial


def alices_lookup_and_bobs_own_key(alice_client, bob, fake) -> Lookup:
    look_up(alice_client, f"{FINISHED_ID} {PROCESSING_ID}")
    fake.apiframe_keys.add(BOBS_KEY)
    credentials.save_secret(bob, "apiframe", BOBS_KEY)
    return Lookup.objects.get()


def test_a_teammate_opens_a_lookup_with_their_own_key(
    alice_client, alice_keys, bob, bob_client, fake
):
    lookup = alices_lookup_and_bobs_own_key(alice_client, bob, fake)
    fake.requests.clear()
    response = refresh(bob_client, url(lookup))
    assert card_ids(response) == [FINISHED_ID, PROCESSING_ID]
    assert "by alice" in text(one(response, "main > p.muted"))
    assert [r.headers["authorization"] for r in fake.requests] == [BOBS_KEY]
    assert fake.requests[0].json() == {"task_id": PROCESSING_ID}


def test_a_teammate_without_a_key_still_sees_the_saved_results(
    alice_client, alice_keys, bob_client, fake
):
    look_up(alice_client, f"{FINISHED_ID} {PROCESSING_ID}")
    lookup = Lookup.objects.get()
    fake.requests.clear()
    response = refresh(bob_client, url(lookup))
    assert card_ids(response) == [FINISHED_ID, PROCESSING_ID]
    assert "You have not saved a key that looks up tasks yet." in text(notice(response))
    assert fake.requests == []


def test_a_finished_lookup_needs_no_key_to_be_read(alice_client, alice_keys, bob_client, fake):
    look_up(alice_client, f"{FINISHED_ID} {UNKNOWN_TASK_ID}")
    response = bob_client.get(url(Lookup.objects.get()))
    assert card_ids(response) == [FINISHED_ID, UNKNOWN_TASK_ID]
    assert live_problem(response) == ""


def test_an_outage_does_not_turn_a_not_found_task_into_an_error(alice_client, alice_keys, fake):
    look_up(alice_client, f"{PROCESSING_ID} {UNKNOWN_TASK_ID}")
    lookup = Lookup.objects.get()
    fake.set_fault("502")
    response = refresh(alice_client, url(lookup))
    assert badge(response, PROCESSING_ID) == "⟳ running"
    assert badge(response, UNKNOWN_TASK_ID) == "? not found"


def test_polling_goes_on_after_a_passing_upstream_failure(alice_client, alice_keys, fake):
    look_up(alice_client, PROCESSING_ID)
    lookup = Lookup.objects.get()
    fake.set_fault("502")
    response = refresh(alice_client, url(lookup))
    assert "Apiframe is unavailable right now (HTTP 502)" in live_problem(response)
    assert polling(response)
    assert badge(response, PROCESSING_ID) == "⟳ running"  # the last known state is kept
    fake.clear_faults()
    fake.set_fault("401")
    response = refresh(alice_client, url(lookup))
    assert "Apiframe rejected your API key" in live_problem(response)
    assert not polling(response)  # waiting cannot fix a refused key


def test_a_teammate_whose_key_cannot_see_a_task_does_not_wipe_it(
    alice_client, alice_keys, bob, bob_client, fake
):
    lookup = alices_lookup_and_bobs_own_key(alice_client, bob, fake)
    fake.set_fault("404", token=BOBS_KEY)  # another Apiframe account: the task is unknown there
    bobs_view = refresh(bob_client, url(lookup))
    assert "Apiframe has no task with this ID" in text(card(bobs_view, PROCESSING_ID))
    response = alice_client.get(url(lookup))
    assert badge(response, PROCESSING_ID) == "⟳ running"
    assert "Apiframe has no task" not in text(card(response, PROCESSING_ID))
    assert TaskResult.objects.get(task_id=PROCESSING_ID).data["task_id"] == PROCESSING_ID


def test_an_unknown_lookup_is_a_404(alice_client):
    assert alice_client.get(f"/tasks/{uuid.uuid4()}/").status_code == 404


def test_a_teammates_rejected_key_shows_to_them_and_changes_nothing_for_the_owner(
    alice_client, alice_keys, bob, bob_client, fake
):
    lookup = alices_lookup_and_bobs_own_key(alice_client, bob, fake)
    fake.set_fault("401", token=BOBS_KEY)
    bobs_view = refresh(bob_client, url(lookup))
    assert "Apiframe rejected your API key" in live_problem(bobs_view)
    alices_view = alice_client.get(url(lookup))
    assert live_problem(alices_view) == ""
    assert badge(alices_view, PROCESSING_ID) == "⟳ running"
    exported = alice_client.get(f"{url(lookup)}export.csv").content.decode()
    assert "rejected" not in exported
    assert TaskResult.objects.filter(error__contains="rejected").count() == 0


@pytest.mark.parametrize(
    ("status", "said"), [("", True), ("not_found", True), ("finished", False), ("running", False)]
)
def test_not_found_ids_are_explained_once_and_only_where_they_are_shown(
    alice_client, alice_keys, fake, status, said
):
    look_up(alice_client, f"{FINISHED_ID} {UNKNOWN_TASK_ID}")
    lookup = Lookup.objects.get()
    response = alice_client.get(f"/tasks/{lookup.id}/", {"status": status} if status else {})
    notes = all_of(response, "#live-groups .group-note")
    assert len(notes) == (1 if said else 0)
    if said:
        assert text(notes[0]).startswith("? 1 ID was not found Apiframe has no task with these IDs")


def test_a_cards_status_line_reads_as_words_not_glued_together(alice_client, alice_keys, fake):
    # As the browser lays it out: only the spaces in the page count (no separator added).
    response = look_up(alice_client, PROCESSING_ID)
    line = card(response, PROCESSING_ID).select_one(".task-head > div:nth-of-type(2)")
    assert " ".join(line.get_text().split()) == "⟳ running (processing) · blend"
