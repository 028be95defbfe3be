"""Reading the Tasks pages as a user does: the cards, their badges, the tiles, the form."""

import time
import uuid

from bs4 import Tag
from django.http import HttpResponse
from django.test import Client

from tasks.models import Lookup
from tests.fakes.fake_vendors import SEEDED_TASK_IDS, UNKNOWN_TASK_ID, FakeUpstream
from tests.html import Source, all_of, one, text

Page = Source

# The README's demo paste: mixed statuses, one unknown ID, one duplicate, some noise.
SAMPLE = f"""2026-11-22 09:30:15 INFO imagine done task={SEEDED_TASK_IDS[0]}
{SEEDED_TASK_IDS[1]}, {SEEDED_TASK_IDS[4]}
{{"task_id": "{SEEDED_TASK_IDS[6]}"}} {{"task_id": "{SEEDED_TASK_IDS[13]}"}}
https://app.example/tasks/{SEEDED_TASK_IDS[9]}
{SEEDED_TASK_IDS[11]} {SEEDED_TASK_IDS[15]}
{UNKNOWN_TASK_ID}
{SEEDED_TASK_IDS[0]}
"""
SAMPLE_IDS = [SEEDED_TASK_IDS[n] for n in (0, 1, 4, 6, 13, 9, 11, 15)] + [UNKNOWN_TASK_ID]


def look_up(client: Client, pasted: str) -> HttpResponse:
    return client.post("/tasks/", {"ids": pasted}, follow=True)


def refresh(client: Client, url: str) -> HttpResponse:
    """Press the page's Refresh button (a POST), then land on the page again."""
    return client.post(url, follow=True)


def new_ids(fake: FakeUpstream, count: int, status: str = "finished") -> list[str]:
    ids = [str(uuid.uuid4()) for _ in range(count)]
    for task_id in ids:
        fake.add_task({"task_id": task_id, "task_type": "imagine", "status": status})
    return ids


def cards(response: Page) -> list[Tag]:
    return all_of(response, "#live-results article.task")


def card_ids(response: Page) -> list[str]:
    return [text(one(card, ".task-id code")) for card in cards(response)]


def card(response: Page, task_id: str) -> Tag:
    (found,) = [c for c in cards(response) if text(one(c, ".task-id code")) == task_id]
    return found


def badge(response: Page, task_id: str) -> str:
    return text(one(card(response, task_id), ".badge"))


def tiles(response: Page) -> dict[str, int]:
    """Status tile label -> count, as the summary above the results shows them."""
    shown = {}
    for tile in all_of(response, "#live-summary a.tile"):
        label = text(one(tile, ".label"))
        shown[label] = int(text(one(tile, ".value")))
    return shown


def polling(response: Page) -> bool:
    return one(response, "#live")["data-polling"] == "true"


def live_problem(response: Page) -> str:
    return text(one(response, "#live-problem"))


def pasted_text(response: Page) -> str:
    """What the form's text box holds (what the user would find still there)."""
    content = one(response, "textarea[name=ids]").get_text()
    # Browsers drop a newline right after <textarea> (HTML spec); Django writes one there.
    return content.removeprefix("\n")


def field_error(response: Page) -> str:
    return text(one(response, "#id_ids_error"))


def filled(timeout: float = 15.0) -> Lookup:
    """The only lookup, once its filler has stored every answer (it writes from its own thread:
    tests that wait for it need `django_db(transaction=True)`)."""
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        lookup = Lookup.objects.get()
        if lookup.filling_until is None:
            return lookup
        time.sleep(0.05)
    raise AssertionError("the lookup did not finish filling in")
