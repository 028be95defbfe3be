"""The Apiframe v2 client against the fake over loopback HTTP: every status, every shape of a job's
`result`, and every way the vendor can refuse or fail (shared/api/apiframe-v2.md)."""

import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from mjadmin import upstream
from mjadmin.vendors.apiframe import v2 as apiframe_v2
from mjadmin.vendors.apiframe.apis import V2
from mjadmin.vendors.base import VendorKey as ApiframeKey
from tasks import fetching
from tasks.statuses import CANCELLED, ERROR, FAILED, FINISHED, NOT_FOUND, PENDING, RUNNING
from tests.fakes.fake_apiframe_v2 import CANCELLED_JOB_ID, EXPIRED_JOB_ID, TEAMMATE_JOB_ID
from tests.fakes.fake_vendors import (
    DEMO_APIFRAME_V2_KEY,
    INACTIVE_APIFRAME_V2_KEY,
    SEEDED_TASK_IDS,
    UNKNOWN_TASK_ID,
)

KEY = DEMO_APIFRAME_V2_KEY
CDN = "https://cdn.example/v2"
REJECTED = "Apiframe rejected your API key. Check it on the Settings page."
RATE_LIMITED = (
    "Apiframe is limiting how often it is asked (HTTP 429): Too many requests, please slow "
    "down. Wait a minute, then try again."
)


def a_job(fake, **fields: Any) -> str:
    """A job of the demo v2 key with the required fields, `fields` over them; its id."""
    job_id = str(uuid.uuid4())
    job = {
        "id": job_id,
        "status": "COMPLETED",
        "model": "midjourney",
        "progress": 100,
        "error": None,
        "creditCost": 8,
        "webhookStatus": None,
        "createdAt": "2026-11-30T09:00:00Z",
        "completedAt": "2026-11-30T09:00:42Z",
        "input": {"action": "imagine", "prompt": "a lighthouse at dusk"},
        "result": {"images": [f"{CDN}/{n}.png" for n in range(1, 5)], "gridUrl": f"{CDN}/g.png"},
    }
    fake.add_job(job | fields)
    return job_id


def paths(fake) -> list[str]:
    return [r.path for r in fake.requests]


def test_it_asks_for_the_job_by_id_with_the_key_as_x_api_key(fake):
    task = apiframe_v2.fetch_job(KEY, SEEDED_TASK_IDS[0])
    assert task is not None and task.task_id == SEEDED_TASK_IDS[0]
    (sent,) = fake.requests
    assert (sent.method, sent.path) == ("GET", f"/apiframe-v2/v2/jobs/{SEEDED_TASK_IDS[0]}")
    assert sent.headers["x-api-key"] == KEY
    assert "authorization" not in sent.headers  # v1's header is not sent to v2


@pytest.mark.parametrize(
    ("status", "group"),
    [
        ("QUEUED", PENDING),
        ("PROCESSING", RUNNING),
        ("COMPLETED", FINISHED),
        ("FAILED", FAILED),
        ("CANCELLED", CANCELLED),
        ("PAUSED", RUNNING),  # not documented: it exists and is not known to be over
    ],
)
def test_every_status_is_shown_in_its_group(fake, status, group):
    task = apiframe_v2.fetch_job(KEY, a_job(fake, status=status))
    assert (task.status, task.group) == (status, group)


def test_a_completed_job_reads_like_a_finished_v1_task(fake):
    task = apiframe_v2.fetch_job(KEY, a_job(fake))
    assert task.grid_url == f"{CDN}/g.png"
    assert task.image_urls == tuple(f"{CDN}/{n}.png" for n in range(1, 5))
    assert [t.short_label for t in task.thumbnails] == ["Grid", "U1", "U2", "U3", "U4"]
    assert (task.task_type, task.content, task.percentage) == (
        "imagine",
        "a lighthouse at dusk",
        100,
    )
    assert task.created_at == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    assert task.completed_at == datetime(2026, 11, 30, 9, 0, 42, tzinfo=UTC)
    assert task.expired is False and task.status_detail is None


@pytest.mark.parametrize(
    ("result", "action", "grid", "images", "image"),
    [
        ("https://cdn.example/v2/one.png", "imagine", "https://cdn.example/v2/one.png", (), None),
        ("https://cdn.example/v2/u.png", "upscale#2", None, (), "https://cdn.example/v2/u.png"),
        (["https://cdn.example/v2/a.png", "https://cdn.example/v2/b.png"], "imagine", None,
         ("https://cdn.example/v2/a.png", "https://cdn.example/v2/b.png"), None),
        ({"imageUrl": "https://cdn.example/v2/u.png"}, "upscale", None, (),
         "https://cdn.example/v2/u.png"),
        (None, "imagine", None, (), None),
        ({}, "imagine", None, (), None),
        (42, "imagine", None, (), None),
    ],
    ids=["a URL", "an upscale's URL", "a list", "an object of v1 names", "null", "{}", "a number"],
)  # fmt: skip
def test_a_result_in_any_shape(fake, result, action, grid, images, image):
    job_id = a_job(fake, result=result, input={"action": action})
    task = apiframe_v2.fetch_job(KEY, job_id)
    assert (task.grid_url, task.image_urls, task.image_url) == (grid, images, image)
    assert task.unsafe_urls == 0


def test_a_text_result_is_the_describe_jobs_prompts(fake):
    task = apiframe_v2.fetch_job(KEY, a_job(fake, result="1️⃣ a lighthouse\n\n2️⃣ a cliff", input={}))
    assert task.content == "1️⃣ a lighthouse\n\n2️⃣ a cliff"
    assert task.task_type == "midjourney"  # no action in the request: the model says what


def test_only_https_links_of_a_result_are_kept(fake):
    job_id = a_job(
        fake, result={"images": ["http://evil.example/1.png"], "gridUrl": "javascript:x"}
    )
    task = apiframe_v2.fetch_job(KEY, job_id)
    assert (task.grid_url, task.image_urls, task.unsafe_urls) == (None, (), 2)


def test_videos_and_seeds_in_a_result(fake):
    videos = apiframe_v2.fetch_job(KEY, a_job(fake, result={"videoUrls": [f"{CDN}/1.mp4"]}))
    seed = apiframe_v2.fetch_job(KEY, a_job(fake, result={"seed": "3620198521"}))
    assert (videos.video_urls, seed.seed) == ((f"{CDN}/1.mp4",), "3620198521")


@pytest.mark.parametrize(("progress", "shown"), [(None, None), (37, 37), ("64", 64), (-5, 0)])
def test_progress_null_or_a_number(fake, progress, shown):
    job_id = a_job(fake, status="PROCESSING", progress=progress, result=None, completedAt=None)
    task = apiframe_v2.fetch_job(KEY, job_id)
    assert (task.group, task.percentage, task.completed_at) == (RUNNING, shown, None)


def test_a_failed_jobs_error_is_its_message_with_keys_masked(fake):
    said = f"Banned prompt for key {KEY}"
    task = apiframe_v2.fetch_job(KEY, a_job(fake, status="FAILED", error=said, result=None))
    assert task.group == FAILED
    assert task.message == "Banned prompt for key ••••cdef"


def test_an_expired_job_says_so(fake):
    task = apiframe_v2.fetch_job(KEY, EXPIRED_JOB_ID)
    assert task.expired is True and task.group == FINISHED and len(task.image_urls) == 4
    assert apiframe_v2.fetch_job(KEY, a_job(fake, expired="yes")).expired is False


def test_a_cancelled_job_is_terminal(fake):
    task = apiframe_v2.fetch_job(KEY, CANCELLED_JOB_ID)
    assert (task.group, task.percentage, task.thumbnails) == (CANCELLED, None, [])


# -- not found ----------------------------------------------------------------------------


def test_an_unknown_job_and_another_users_job_are_not_found(fake):
    assert apiframe_v2.fetch_job(KEY, UNKNOWN_TASK_ID) is None
    assert apiframe_v2.fetch_job(KEY, TEAMMATE_JOB_ID) is None
    assert len(fake.requests) == 2


@pytest.mark.parametrize("task_id", ["1732262415123", "not-a-uuid"])
def test_an_id_that_is_no_uuid_is_not_asked(fake, task_id):
    assert apiframe_v2.fetch_job(KEY, task_id) is None
    assert fake.requests == []


def test_a_bare_404_means_the_address_is_wrong_and_says_which(fake):
    fake.set_fault("404-empty")
    with pytest.raises(upstream.UpstreamUnavailable) as excinfo:
        apiframe_v2.fetch_job(KEY, SEEDED_TASK_IDS[0])
    assert excinfo.value.message == (
        f"Apiframe has no /v2/jobs at {fake.apiframe_v2_base_url}. Check APIFRAME_V2_BASE_URL, "
        "or try again later."
    )


# -- refusals and failures ----------------------------------------------------------------


def test_a_400_carries_the_vendors_words(fake):
    fake.set_fault("400")
    with pytest.raises(upstream.UpstreamBadRequest) as excinfo:
        apiframe_v2.fetch_job(KEY, SEEDED_TASK_IDS[0])
    assert excinfo.value.message == "Apiframe refused the request: Invalid request."


@pytest.mark.parametrize(
    "refusal",
    ["unknown key", "inactive key (403)", "401 fault"],
)
def test_a_refused_key_says_to_check_it(fake, refusal):
    key = {"unknown key": "afk_nobody_0123456789", "inactive key (403)": INACTIVE_APIFRAME_V2_KEY}
    if refusal == "401 fault":
        fake.set_fault("401")
    with pytest.raises(upstream.UpstreamAuthError) as excinfo:
        apiframe_v2.fetch_job(key.get(refusal, KEY), SEEDED_TASK_IDS[0])
    assert excinfo.value.message == REJECTED


def test_a_429_whose_wait_ends_in_time_is_waited_for_then_asked_again(fake):
    fake.set_fault("429-retry", times=1)  # Retry-After: 1
    with upstream.page_deadline(10):
        task = apiframe_v2.fetch_job(KEY, SEEDED_TASK_IDS[0])
    assert task is not None and task.group == FINISHED
    assert [r.fault for r in fake.requests] == ["429-retry", None]


def test_a_429_whose_wait_ends_past_the_pages_deadline_is_the_answer_at_once(fake):
    fake.retry_after_seconds = 3
    fake.set_fault("429-retry", times=1)
    with upstream.page_deadline(2), pytest.raises(upstream.UpstreamUnavailable) as excinfo:
        apiframe_v2.fetch_job(KEY, SEEDED_TASK_IDS[0])
    assert (excinfo.value.status, excinfo.value.retry_after) == (429, 3)
    assert excinfo.value.message == RATE_LIMITED
    assert len(fake.requests) == 1  # not asked again


def test_a_429_asking_for_99999_seconds_is_never_waited_for(fake):
    fake.set_fault("429")
    with pytest.raises(upstream.UpstreamUnavailable) as excinfo:
        apiframe_v2.fetch_job(KEY, SEEDED_TASK_IDS[0])
    assert excinfo.value.message == RATE_LIMITED
    assert len(fake.requests) == 1


def test_a_vendor_that_keeps_saying_429_is_asked_a_few_times_only(fake):
    fake.retry_after_seconds = 0
    fake.set_fault("429-retry")
    with pytest.raises(upstream.UpstreamUnavailable):
        apiframe_v2.fetch_job(KEY, SEEDED_TASK_IDS[0])
    assert len(fake.requests) == 4  # once, and 3 more times


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("500", "Apiframe is unavailable right now (HTTP 500). Try again in a minute."),
        ("502", "Apiframe is unavailable right now (HTTP 502). Try again in a minute."),
        (
            "slow",
            "Apiframe is unavailable right now (no answer within 2 s). Try again in a minute.",
        ),
        (
            "non-json",
            "Apiframe is unavailable right now (it answered with something other than JSON). "
            "Try again in a minute.",
        ),
        (
            "bad-shape",
            "Apiframe answered in a shape mjadmin does not understand. Try again in a minute.",
        ),
    ],
)
def test_a_failing_vendor_is_one_clear_error(fake, kind, message):
    fake.set_fault(kind)
    with pytest.raises(upstream.UpstreamUnavailable) as excinfo:
        apiframe_v2.fetch_job(KEY, SEEDED_TASK_IDS[0])
    assert excinfo.value.message == message


def test_a_job_answered_in_v1s_shape_is_not_taken_for_a_job(fake):
    job_id = a_job(fake)
    fake.apiframe_v2.jobs[job_id]["task_id"] = job_id  # not v2's Job any more
    with pytest.raises(upstream.UpstreamUnavailable, match="shape mjadmin does not understand"):
        apiframe_v2.fetch_job(KEY, job_id)


def test_nan_and_infinity_in_a_job_are_unknown(fake):
    fake.set_fault("nan")
    task = apiframe_v2.fetch_job(KEY, SEEDED_TASK_IDS[0])
    assert (task.percentage, task.raw["progress"], task.raw["creditCost"]) == (None, None, None)


def test_a_key_the_vendor_echoes_is_masked_in_the_error(fake):
    fake.set_fault("echo-key")
    with pytest.raises(upstream.UpstreamBadRequest) as excinfo:
        apiframe_v2.fetch_job(KEY, SEEDED_TASK_IDS[0])
    assert KEY not in excinfo.value.message
    assert "••••cdef" in excinfo.value.message


# -- many ids: one call each, within the bulkhead ------------------------------------------


def test_a_v2_lookup_asks_each_id_on_its_own_at_most_lookup_calls_at_once(
    fake, settings, monkeypatch
):
    settings.TASKS_LOOKUP_CALLS = 4
    ids = [a_job(fake) for _ in range(12)] + [UNKNOWN_TASK_ID]
    lock = threading.Lock()
    running, most = 0, 0
    real = apiframe_v2.fetch_job

    def counted(key: str, job_id: str):
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        try:
            time.sleep(0.05)  # long enough for the others to start meanwhile
            return real(key, job_id)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(apiframe_v2, "fetch_job", counted)
    outcomes = fetching.fetch_all(ApiframeKey(KEY, V2), ids)
    assert [outcomes[i].state for i in ids] == [FINISHED] * 12 + [NOT_FOUND]
    assert sorted(paths(fake)) == sorted(f"/apiframe-v2/v2/jobs/{i}" for i in ids)
    assert 1 < most <= 4


def test_one_failed_call_fails_only_its_own_id(fake):
    ids = [a_job(fake) for _ in range(3)]
    fake.set_fault("500", path=f"/apiframe-v2/v2/jobs/{ids[1]}")
    outcomes = fetching.fetch_all(ApiframeKey(KEY, V2), ids)
    assert [outcomes[i].state for i in ids] == [FINISHED, ERROR, FINISHED]
    assert outcomes[ids[1]].error == (
        "Apiframe is unavailable right now (HTTP 500). Try again in a minute."
    )
