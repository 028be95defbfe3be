"""The Legnext adapter against the local fake over real HTTP: every status, the field variants its
contract allows, and its faults (shared/api/legnext.md)."""

import uuid

import pytest

from mjadmin import upstream
from mjadmin.vendors.legnext import client
from tests.fakes.fake_legnext import DEMO_LEGNEXT_KEY, GO_ZERO_TIME
from tests.fakes.fake_vendors import SEEDED_TASK_IDS, UNKNOWN_TASK_ID

KEY = DEMO_LEGNEXT_KEY


def job(**fields):
    base = {
        "job_id": str(uuid.uuid4()),
        "model": "midjourney",
        "task_type": "diffusion",
        "status": "pending",
        "output": {"image_url": "", "image_urls": None, "seed": ""},
        "meta": {
            "created_at": "2026-11-20T20:06:14Z",
            "started_at": GO_ZERO_TIME,
            "ended_at": GO_ZERO_TIME,
            "usage": {"type": "point", "frozen": 80, "consume": 0},
        },
        "error": {"code": 0, "raw_message": "", "message": "", "detail": None},
    }
    return base | fields


def test_it_sends_the_key_as_x_api_key_to_the_job_path(fake):
    client.fetch_job(KEY, SEEDED_TASK_IDS[0])
    sent = fake.requests[-1]
    assert sent.path == f"/legnext/api/v1/job/{SEEDED_TASK_IDS[0]}"
    assert sent.headers["x-api-key"] == KEY
    assert "authorization" not in sent.headers


@pytest.mark.parametrize(
    ("status", "group"),
    [
        ("pending", "pending"),
        ("staged", "pending"),
        ("queued", "pending"),
        ("processing", "running"),
        ("running", "running"),
        ("completed", "finished"),
        ("failed", "failed"),
        ("something-new", "running"),
    ],
)
def test_every_status_is_shown_in_its_group(fake, status, group):
    sent = job(status=status)
    fake.add_legnext_job(sent)
    assert client.fetch_job(KEY, sent["job_id"]).group == group


def test_a_completed_job_has_its_grid_and_four_images_and_its_times(fake):
    task = client.fetch_job(KEY, SEEDED_TASK_IDS[0])
    assert task.group == "finished"
    assert task.grid_url.endswith("/grid.png")
    assert [u.rsplit("/", 1)[1] for u in task.image_urls] == ["1.png", "2.png", "3.png", "4.png"]
    assert [t.short_label for t in task.thumbnails] == ["Grid", "U1", "U2", "U3", "U4"]
    assert task.created_at is not None and task.completed_at > task.created_at


def test_go_zero_times_are_not_yet(fake):
    sent = job(status="pending")
    fake.add_legnext_job(sent)
    task = client.fetch_job(KEY, sent["job_id"])
    assert task.completed_at is None
    assert task.created_at.year == 2026


def test_an_upscale_is_one_image_named_in_both_places(fake):
    url = "https://cdn.legnext.ai/mj/abc_0.png"
    sent = job(
        task_type="upscale", status="completed", output={"image_url": url, "image_urls": [url]}
    )
    fake.add_legnext_job(sent)
    task = client.fetch_job(KEY, sent["job_id"])
    assert (task.grid_url, task.image_urls, task.image_url) == (None, (), url)


def test_empty_and_unsafe_image_entries_are_left_out_and_counted(fake):
    output = {
        "image_url": "https://cdn.legnext.ai/mj/x_grid.png",
        "image_urls": ["https://cdn.legnext.ai/1.png", "", "javascript:alert(1)", None],
    }
    sent = job(status="completed", output=output)
    fake.add_legnext_job(sent)
    task = client.fetch_job(KEY, sent["job_id"])
    assert task.image_urls == ("https://cdn.legnext.ai/1.png",)
    assert task.unsafe_urls == 1


def test_a_failed_job_says_why(fake):
    sent = job(status="failed", error={"code": 400, "message": "Banned prompt: gore"})
    fake.add_legnext_job(sent)
    task = client.fetch_job(KEY, sent["job_id"])
    assert (task.group, task.message) == ("failed", "Banned prompt: gore")


def test_a_failed_job_without_words_still_says_it_failed(fake):
    sent = job(status="failed")
    fake.add_legnext_job(sent)
    assert client.fetch_job(KEY, sent["job_id"]).message == "the job failed"


def test_a_video_job_shows_its_videos(fake):
    videos = ["https://cdn.legnext.ai/v/1.mp4", "https://cdn.legnext.ai/v/2.mp4"]
    sent = job(task_type="video_diffusion", status="completed", output={"video_urls": videos})
    fake.add_legnext_job(sent)
    assert client.fetch_job(KEY, sent["job_id"]).video_urls == tuple(videos)


def test_a_describe_job_shows_its_text(fake):
    sent = job(task_type="describe", status="completed", output={"description": "a lighthouse"})
    fake.add_legnext_job(sent)
    assert client.fetch_job(KEY, sent["job_id"]).content == "a lighthouse"


def test_the_envelope_its_own_web_app_reads_is_read_too(fake, monkeypatch):
    sent = job(status="completed", output={"image_url": "https://cdn.legnext.ai/g.png"})
    monkeypatch.setattr(upstream, "request_json", lambda *a, **k: {"timestamp": 1, "data": sent})
    assert client.fetch_job(KEY, sent["job_id"]).grid_url == "https://cdn.legnext.ai/g.png"


def test_an_unknown_job_is_none_and_a_non_uuid_is_never_asked(fake):
    assert client.fetch_job(KEY, UNKNOWN_TASK_ID) is None
    asked = len(fake.requests)
    assert client.fetch_job(KEY, "1732000000000123") is None
    assert len(fake.requests) == asked


def test_a_bare_404_means_a_wrong_address(fake):
    fake.set_fault("404-empty")
    with pytest.raises(upstream.UpstreamUnavailable, match="Check LEGNEXT_BASE_URL"):
        client.fetch_job(KEY, SEEDED_TASK_IDS[0])


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("401", upstream.UpstreamAuthError),
        ("402", upstream.UpstreamPaymentRequired),
        ("429", upstream.UpstreamUnavailable),
        ("500", upstream.UpstreamUnavailable),
        ("503", upstream.UpstreamUnavailable),
        ("non-json", upstream.UpstreamUnavailable),
        ("bad-shape", upstream.UpstreamUnavailable),
        ("huge", upstream.UpstreamUnavailable),
        ("deep-json", upstream.UpstreamUnavailable),
    ],
)
def test_each_fault_is_a_clear_error(fake, kind, error):
    fake.set_fault(kind)
    with pytest.raises(error) as raised:
        client.fetch_job(KEY, SEEDED_TASK_IDS[0])
    assert "Legnext" in raised.value.message


def test_a_short_429_is_waited_out(fake):
    fake.retry_after_seconds = 1
    fake.set_fault("429-retry", times=1)
    assert client.fetch_job(KEY, SEEDED_TASK_IDS[0]).group == "finished"
    asked = [r for r in fake.requests if r.path.startswith("/legnext/")]
    assert [r.fault for r in asked] == ["429-retry", None]


def test_a_wrong_key_is_rejected(fake):
    with pytest.raises(upstream.UpstreamAuthError, match="Legnext rejected your API key"):
        client.fetch_job("lnx_not_a_known_key_000", SEEDED_TASK_IDS[0])


def test_the_balance_says_credits_dollars_and_points(fake):
    account = client.balance(KEY)
    assert account.credits_shown == "71,000"
    assert account.figures == (("Balance", "$72.05"), ("Points", "1,048"))
    assert fake.requests[-1].path == "/legnext/api/account/balance"


def test_a_job_without_a_status_is_finished_when_it_has_results_and_pending_when_not(fake):
    done = job(output={"image_url": "https://cdn.legnext.ai/mj/y_grid.png"})
    done.pop("status")
    waiting = job()
    waiting.pop("status")
    fake.add_legnext_job(done)
    fake.add_legnext_job(waiting)
    assert client.fetch_job(KEY, done["job_id"]).group == "finished"
    assert client.fetch_job(KEY, waiting["job_id"]).group == "pending"
