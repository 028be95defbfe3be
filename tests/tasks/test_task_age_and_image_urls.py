"""Each task says how old it is (running ones: for how long, with a warning past the stuck
threshold), and the lookup offers every image URL as one plain text file."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from mjadmin.vendors.apiframe.tasks import parse_task
from tasks.models import Lookup
from tests.html import one, text
from tests.tasks.pages import card, look_up


def task(fake, **fields) -> str:
    task_id = str(uuid.uuid4())
    fake.add_task({"task_id": task_id, **fields})
    return task_id


def age_of(response, task_id: str) -> str:
    return text(one(card(response, task_id), ".task-age"))


def test_a_running_task_says_for_how_long_from_the_vendors_timestamp(
    alice_client, alice_keys, fake
):
    started = (timezone.now() - timedelta(minutes=14)).isoformat()
    running = task(fake, status="processing", percentage=40, created_at=started)
    response = look_up(alice_client, running)
    assert age_of(response, running).startswith("⚠ running for 14 minutes")
    assert "over 10 minutes: it may be stuck" in age_of(response, running)


def test_a_task_running_under_the_threshold_is_not_flagged(alice_client, alice_keys, fake):
    started = int((timezone.now() - timedelta(minutes=3)).timestamp() * 1000)  # milliseconds
    running = task(fake, status="processing", createdAt=started)
    shown = age_of(look_up(alice_client, running), running)
    assert shown == "running for 3 minutes"


def test_a_task_that_just_began_says_less_than_a_minute(alice_client, alice_keys, fake):
    running = task(fake, status="processing", created_at=timezone.now().isoformat())
    shown = age_of(look_up(alice_client, running), running)
    assert shown == "running for less than a minute"


def test_without_a_vendor_timestamp_the_age_counts_from_when_mjadmin_first_saw_it(
    alice_client, alice_keys, fake, settings
):
    settings.TASKS_STUCK_AFTER_MINUTES = 5
    running = task(fake, status="processing")
    look_up(alice_client, running)
    Lookup.objects.update(created_at=timezone.now() - timedelta(minutes=6))
    page = alice_client.get(f"/tasks/{Lookup.objects.get().id}/")
    assert "over 5 minutes: it may be stuck" in age_of(page, running)


def test_a_finished_task_says_how_long_ago(alice_client, alice_keys, fake):
    done = task(fake, status="finished", created_at="2026-11-30T09:00:00Z")
    shown = one(card(look_up(alice_client, done), done), ".task-age time")
    assert text(shown).endswith("ago")
    assert shown["title"] == "2026-11-30 09:00:00 UTC"


@pytest.mark.parametrize(
    "value",
    ["yesterday", "", None, True, 12, -5, 1e300, float("nan"), "9999-01-01T00:00:00", [1], {}],
)
def test_a_timestamp_that_is_not_one_is_ignored(value):
    assert parse_task({"task_id": "x", "created_at": value}).created_at is None


def test_an_epoch_in_seconds_or_milliseconds_is_read():
    when = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    for value in (when.timestamp(), when.timestamp() * 1000, "2026-11-30T12:00:00+00:00"):
        assert parse_task({"task_id": "x", "created_at": value}).created_at == when


def test_every_image_url_of_the_lookup_is_one_line_of_a_text_file(alice_client, alice_keys, fake):
    grid = "https://cdn.example.com/grid.png"
    first = task(
        fake,
        status="finished",
        original_image_url=grid,
        image_urls=["https://cdn.example.com/1.png", "https://cdn.example.com/2.png"],
    )
    second = task(fake, status="finished", image_url="https://cdn.example.com/up.png")
    unsafe = task(fake, status="finished", image_url="http://cdn.example.com/plain.png")
    look_up(alice_client, f"{first} {second} {unsafe}")
    response = alice_client.get(f"/tasks/{Lookup.objects.get().id}/images.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.decode().splitlines() == [
        grid,
        "https://cdn.example.com/1.png",
        "https://cdn.example.com/2.png",
        "https://cdn.example.com/up.png",
    ]


def test_without_a_vendor_timestamp_a_finished_task_says_when_it_was_first_seen(
    alice_client, alice_keys, fake
):
    done = task(fake, status="finished")
    assert age_of(look_up(alice_client, done), done) == "first seen less than a minute ago"
    Lookup.objects.update(created_at=timezone.now() - timedelta(hours=3))
    page = alice_client.get(f"/tasks/{Lookup.objects.get().id}/")
    assert age_of(page, done) == "first seen 3 hours ago"


def test_a_pending_task_says_how_long_it_has_been_waiting(alice_client, alice_keys, fake):
    started = (timezone.now() - timedelta(minutes=4)).isoformat()
    queued = task(fake, status="pending", created_at=started)
    assert age_of(look_up(alice_client, queued), queued) == "waiting for 4 minutes"
