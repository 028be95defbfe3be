import pytest

from mjadmin import upstream
from mjadmin.vendors.apiframe import v1 as apiframe
from tests.fakes.fake_vendors import DEMO_APIFRAME_KEY, SEEDED_TASK_IDS, UNKNOWN_TASK_ID


def test_fetch_many_sends_the_raw_key_and_the_ids(fake):
    apiframe.fetch_many(DEMO_APIFRAME_KEY, SEEDED_TASK_IDS[:3])
    (call,) = fake.requests_to("/fetch-many")
    assert call.method == "POST"
    assert call.headers["authorization"] == DEMO_APIFRAME_KEY
    assert call.headers["content-type"] == "application/json"
    assert call.json() == {"task_ids": SEEDED_TASK_IDS[:3]}


def test_fetch_sends_one_id(fake):
    task = apiframe.fetch(DEMO_APIFRAME_KEY, SEEDED_TASK_IDS[0])
    assert task.task_id == SEEDED_TASK_IDS[0]
    assert fake.requests_to("/fetch")[0].json() == {"task_id": SEEDED_TASK_IDS[0]}


def test_fetch_of_an_unknown_id_is_none(fake):
    assert apiframe.fetch(DEMO_APIFRAME_KEY, UNKNOWN_TASK_ID) is None


@pytest.mark.parametrize("count", [0, 1, 21])
def test_fetch_many_refuses_counts_apiframe_would_reject(fake, count):
    with pytest.raises(ValueError, match="2 to 20"):
        apiframe.fetch_many(DEMO_APIFRAME_KEY, SEEDED_TASK_IDS[:1] * count)
    assert fake.requests == []


def test_a_400_carries_every_message(fake):
    fake.set_fault("400", path="/fetch-many")
    with pytest.raises(upstream.UpstreamBadRequest) as excinfo:
        apiframe.fetch_many(DEMO_APIFRAME_KEY, SEEDED_TASK_IDS[:2])
    assert excinfo.value.details == ["Invalid request", "task_ids must be an array"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("40", 40), (40, 40), (100, 100), (99.6, 100), ("73%", 73), (None, None), ("soon", None)],
)
def test_percentage_as_string_number_or_absent(value, expected):
    raw = {"task_id": "t", "status": "processing"}
    if value is not None:
        raw["percentage"] = value
    assert apiframe.parse_task(raw).percentage == expected


@pytest.mark.parametrize(
    ("status", "group"),
    [
        ("pending", "pending"),
        ("staged", "pending"),
        ("starting", "running"),
        ("processing", "running"),
        ("retry", "running"),
        ("retrying", "running"),
        ("finished", "finished"),
        ("failed", "failed"),
        ("something-new", "running"),
    ],
)
def test_every_status_maps_to_a_group(status, group):
    assert apiframe.parse_task({"task_id": "t", "status": status}).group == group


def test_a_task_with_images_and_no_status_counts_as_finished():
    task = apiframe.parse_task({"task_id": "t", "image_urls": ["https://cdn.example/1.png"]})
    assert task.group == "finished"
    assert apiframe.parse_task({"task_id": "t"}).group == "pending"


def test_only_https_urls_are_kept_for_links_and_images(settings):
    settings.MEDIA_EXTRA_ORIGINS = []
    task = apiframe.parse_task(
        {
            "task_id": "t",
            "original_image_url": "javascript:alert(1)",
            "image_urls": [
                "https://cdn.example/1.png",
                "http://cdn.example/2.png",
                "data:image/png;base64,AAAA",
                "https://cdn.example/ 4.png",
            ],
            "image_url": "//cdn.example/x.png",
            "video_url": "https://cdn.example/v.mp4",
        }
    )
    assert task.grid_url is None
    assert task.image_urls == ("https://cdn.example/1.png",)
    assert task.image_url is None
    assert task.video_urls == ("https://cdn.example/v.mp4",)
    assert task.unsafe_urls == 5


@pytest.mark.parametrize(
    "odd",
    [
        {"percentage": "nan"},
        {"percentage": "inf"},
        {"percentage": [1]},
        {"image_urls": 5},
        {"image_urls": True, "video_urls": 7, "video_url": ["https://cdn.example/v.mp4"]},
        {"image_urls": [None, 3, {"url": "x"}]},
        {"status": 42, "task_type": {"a": 1}, "seed": 12345},
    ],
)
def test_odd_task_shapes_never_break_parsing(odd):
    task = apiframe.parse_task({"task_id": "t", **odd})
    assert task.task_id == "t"
    assert task.percentage is None or 0 <= task.percentage <= 100


def test_fetch_of_an_unknown_id_answered_with_400_is_none(fake):
    fake.fetch_unknown_status = 400
    assert apiframe.fetch(DEMO_APIFRAME_KEY, UNKNOWN_TASK_ID) is None


def test_failure_message_from_message_or_error():
    assert apiframe.parse_task({"task_id": "t", "message": "m"}).message == "m"
    assert apiframe.parse_task({"task_id": "t", "error": "e"}).message == "e"


def test_a_bare_404_from_fetch_means_a_wrong_address_not_an_unknown_task(fake):
    fake.set_fault("404-empty", path="/fetch")
    with pytest.raises(upstream.UpstreamUnavailable, match="Apiframe has no /fetch at http"):
        apiframe.fetch(DEMO_APIFRAME_KEY, UNKNOWN_TASK_ID)


def test_a_404_in_apiframes_own_words_is_an_unknown_task(fake):
    fake.fetch_unknown_status = 404  # the fake answers {"errors": [{"msg": "Task not found"}]}
    assert apiframe.fetch(DEMO_APIFRAME_KEY, UNKNOWN_TASK_ID) is None


def test_a_key_inside_a_tasks_error_message_is_masked():
    task = apiframe.parse_task(
        {"task_id": "t", "status": "failed", "message": "Invalid key af_live_9f8e7d6c5b4a3f2e1d0c"}
    )
    assert task.message == "Invalid key ••••1d0c"
