"""Looking up many ids against the clock: a page whose time is up asks nothing more, the page's
deadline holds inside the worker threads, and one lookup keeps to its share of them."""

import threading
import time
import uuid

from mjadmin import upstream
from mjadmin.vendors.apiframe import v1 as apiframe
from mjadmin.vendors.apiframe.apis import V1
from mjadmin.vendors.base import VendorKey as ApiframeKey
from tasks import fetching
from tasks.statuses import ERROR, NOT_FOUND
from tests.fakes.fake_vendors import DEMO_APIFRAME_KEY, SEEDED_TASK_IDS, UNKNOWN_TASK_ID

KEY = ApiframeKey(DEMO_APIFRAME_KEY, V1)  # for the original (v1) API


def unknown_ids(count: int) -> list[str]:
    return [str(uuid.uuid4()) for _ in range(count)]


def test_when_the_pages_time_is_up_no_call_is_made_and_every_id_says_so(fake):
    ids = unknown_ids(21)
    with upstream.page_deadline(0):
        outcomes = fetching.fetch_all(KEY, ids)
    assert sorted(outcomes) == sorted(ids)
    for outcome in outcomes.values():
        assert outcome.state == ERROR
        assert outcome.error == (
            "Not asked: the lookup ran out of time before this call. Refresh to ask again."
        )
    assert fake.requests == []


def test_with_time_left_on_the_page_every_call_is_made(fake):
    with upstream.page_deadline(5):
        outcomes = fetching.fetch_all(KEY, unknown_ids(21))
    assert {outcome.state for outcome in outcomes.values()} == {NOT_FOUND}
    assert len(fake.requests) == 2


def test_the_pages_deadline_holds_in_the_threads_that_make_the_calls(fake, settings):
    settings.UPSTREAM_TIMEOUT = 5
    fake.slow_seconds = 3
    fake.set_fault("slow", path="/fetch")
    started = time.monotonic()
    with upstream.page_deadline(0.4):
        (outcome,) = fetching.fetch_all(KEY, [SEEDED_TASK_IDS[0]]).values()
    assert outcome.state == ERROR
    assert "(no answer within 0.4 s)" in outcome.error
    assert time.monotonic() - started < 2


def test_one_lookup_makes_no_more_calls_at_once_than_its_share(fake, settings):
    settings.TASKS_LOOKUP_CALLS = 1
    fake.latency = 0.3
    started = time.monotonic()
    fetching.fetch_all(KEY, unknown_ids(41))  # 20, 20 and 1: three calls
    assert time.monotonic() - started >= 0.85  # one after another, never two at once
    assert len(fake.requests) == 3


def test_a_waiting_call_starts_as_soon_as_any_running_one_ends(fake, settings, monkeypatch):
    # Two at a time: the first of two fetch-many calls is held for a second; the lone id's
    # /fetch must start when the other one ends, not when both have.
    settings.TASKS_LOOKUP_CALLS = 2
    lock = threading.Lock()
    seen: dict[str, float] = {}
    real_fetch_many, real_fetch = apiframe.fetch_many, apiframe.fetch

    def fetch_many(key: str, batch: list[str]):
        with lock:
            held = "held_started" not in seen
            seen["held_started" if held else "other_started"] = time.monotonic()
        if held:
            time.sleep(1.0)
        try:
            return real_fetch_many(key, batch)
        finally:
            if held:
                seen["held_ended"] = time.monotonic()

    def fetch(key: str, task_id: str):
        seen["lone_started"] = time.monotonic()
        return real_fetch(key, task_id)

    monkeypatch.setattr(apiframe, "fetch_many", fetch_many)
    monkeypatch.setattr(apiframe, "fetch", fetch)
    outcomes = fetching.fetch_all(KEY, unknown_ids(41))
    assert len(outcomes) == 41
    assert seen["lone_started"] < seen["held_ended"]


def test_a_found_task_carries_no_error_and_an_unknown_one_says_why(fake):
    outcomes = fetching.fetch_all(KEY, [SEEDED_TASK_IDS[0], UNKNOWN_TASK_ID])
    assert outcomes[SEEDED_TASK_IDS[0]].error == ""
    assert outcomes[UNKNOWN_TASK_ID].error == (
        "Apiframe has no task with this ID (check it, or it may belong to another API key)."
    )
