"""The midjourney-proxy adapter against the local fake over real HTTP: batch lookups and their
fallback, every status, the field variants of both proxies, and the faults of its contract
(shared/api/midjourney-proxy.md)."""

import pytest

from mjadmin import upstream
from mjadmin.vendors.midjourney_proxy import client
from mjadmin.vendors.midjourney_proxy.vendor import TaskApi
from tests.fakes.fake_midjourney_proxy import DEMO_MJ_PROXY_TOKEN, task_id_for

TOKEN = DEMO_MJ_PROXY_TOKEN
FINISHED, FAILED = task_id_for(0), task_id_for(13)
UNKNOWN = "1732000000099999"


def task(task_id: str, **fields) -> dict:
    return {
        "id": task_id,
        "action": "IMAGINE",
        "status": "NOT_START",
        "prompt": "a lighthouse",
        "submitTime": 1764000000000,
        "startTime": None,
        "finishTime": None,
        "progress": "0%",
        "imageUrl": None,
        "failReason": None,
        "properties": {},
    } | fields


def test_a_batch_is_one_post_with_the_ids_and_the_token_as_mj_api_secret(fake):
    found = client.look_up(TOKEN, [FINISHED, FAILED, UNKNOWN])
    assert {t.task_id for t in found} == {FINISHED, FAILED}
    (sent,) = fake.requests
    assert (sent.method, sent.path) == ("POST", "/mjproxy/mj/task/list-by-condition")
    assert sent.json() == {"ids": [FINISHED, FAILED, UNKNOWN]}
    assert sent.headers["mj-api-secret"] == TOKEN
    assert "authorization" not in sent.headers


def test_the_authorization_spelling_is_a_setting(fake, settings):
    settings.MJ_PROXY_AUTH_HEADER = "authorization"
    client.look_up(TOKEN, [FINISHED])
    assert fake.requests[-1].headers["authorization"] == TOKEN  # raw, no "Bearer"


@pytest.mark.parametrize(
    ("status", "group"),
    [
        ("NOT_START", "pending"),
        ("SUBMITTED", "pending"),
        ("MODAL", "pending"),
        ("IN_PROGRESS", "running"),
        ("SUCCESS", "finished"),
        ("FAILURE", "failed"),
        ("CANCEL", "cancelled"),
        ("SOMETHING_NEW", "running"),
    ],
)
def test_every_status_is_shown_in_its_group(fake, status, group):
    fake.add_proxy_task(task("1732000000050001", status=status))
    (found,) = client.look_up(TOKEN, ["1732000000050001"])
    assert found.group == group


def test_a_running_task_says_its_progress_and_when_it_was_submitted(fake):
    fake.add_proxy_task(task("1732000000050002", status="IN_PROGRESS", progress="45%"))
    (found,) = client.look_up(TOKEN, ["1732000000050002"])
    assert found.percentage == 45
    assert found.created_at.isoformat() == "2025-11-24T16:00:00+00:00"


def test_a_finished_grid_has_its_four_images_from_image_urls(fake):
    (found,) = client.look_up(TOKEN, [FINISHED])
    assert found.grid_url.endswith("/grid.png")
    assert [t.short_label for t in found.thumbnails] == ["Grid", "U1", "U2", "U3", "U4"]
    assert found.completed_at is not None


def test_an_upscale_image_is_its_one_image_not_a_grid(fake):
    url = "https://cdn.discordapp.com/attachments/1/2/upscaled.png"
    fake.add_proxy_task(task("1732000000050003", action="UPSCALE", status="SUCCESS", imageUrl=url))
    (found,) = client.look_up(TOKEN, ["1732000000050003"])
    assert (found.grid_url, found.image_url) == (None, url)


def test_novicezk_tasks_without_image_urls_show_their_grid(fake):
    url = "https://cdn.discordapp.com/attachments/1/2/grid.png"
    plain = task("1732000000050004", status="SUCCESS", imageUrl=url)
    plain.pop("properties")
    fake.add_proxy_task(plain)
    (found,) = client.look_up(TOKEN, ["1732000000050004"])
    assert (found.grid_url, found.image_urls) == (url, ())


def test_a_failure_says_why_and_a_describe_shows_its_prompts(fake):
    (failed,) = client.look_up(TOKEN, [FAILED])
    assert failed.group == "failed"
    assert failed.message.startswith("Banned prompt detected: the word 'gore'")
    described = task(
        "1732000000050005",
        action="DESCRIBE",
        status="SUCCESS",
        properties={"finalPrompt": "1️⃣ a lighthouse at dusk"},
    )
    fake.add_proxy_task(described)
    (found,) = client.look_up(TOKEN, ["1732000000050005"])
    assert found.content == "1️⃣ a lighthouse at dusk"


def test_unsafe_links_are_left_out_and_counted(fake):
    fake.add_proxy_task(
        task(
            "1732000000050006",
            status="SUCCESS",
            imageUrl="javascript:alert(1)",
            imageUrls=[{"url": "http://plain.example/1.png"}, {"url": "https://ok.example/2.png"}],
        )
    )
    (found,) = client.look_up(TOKEN, ["1732000000050006"])
    assert (found.grid_url, found.image_urls, found.unsafe_urls) == (
        None,
        ("https://ok.example/2.png",),
        2,
    )


def test_without_the_batch_route_each_id_is_fetched_and_that_is_remembered(fake):
    fake.mj_proxy.batch_route = False
    found = client.look_up(TOKEN, [FINISHED, UNKNOWN])
    assert [t.task_id for t in found] == [FINISHED]
    assert [r.path for r in fake.requests] == [
        "/mjproxy/mj/task/list-by-condition",
        f"/mjproxy/mj/task/{FINISHED}/fetch",
        f"/mjproxy/mj/task/{UNKNOWN}/fetch",
    ]
    # Remembered: the next lookup asks one id a call, at once, and no batch first.
    assert TaskApi().ids_per_call == 1
    client.look_up(TOKEN, [FAILED])
    assert fake.requests[-1].path == f"/mjproxy/mj/task/{FAILED}/fetch"


def test_an_unknown_id_fetched_alone_is_none(fake):
    assert client.fetch(TOKEN, UNKNOWN) is None
    assert client.fetch(TOKEN, FINISHED).group == "finished"


def test_a_wrong_token_is_rejected_with_a_clear_message(fake):
    with pytest.raises(upstream.UpstreamAuthError, match="midjourney-proxy rejected your token"):
        client.look_up("mjp-not-a-token-0000", [FINISHED])


def test_no_proxy_address_says_the_operator_sets_it(fake, settings):
    settings.MJ_PROXY_BASE_URL = ""
    with pytest.raises(client.NoProxy, match="MJ_PROXY_BASE_URL"):
        client.look_up(TOKEN, [FINISHED])
    assert fake.requests == []


@pytest.mark.parametrize("kind", ["500", "502", "non-json", "bad-shape", "huge", "deep-json"])
def test_each_fault_is_a_clear_error(fake, kind):
    fake.set_fault(kind)
    with pytest.raises(upstream.UpstreamError) as raised:
        client.look_up(TOKEN, [FINISHED])
    assert "midjourney-proxy" in raised.value.message


def test_a_task_with_times_of_four_hundred_digits_is_read_without_them(fake):
    huge = 10**400
    fake.add_proxy_task(
        task("1732000000050007", status="IN_PROGRESS", submitTime=huge, progress=huge)
    )
    (found,) = client.look_up(TOKEN, ["1732000000050007"])
    assert (found.group, found.created_at, found.percentage) == ("running", None, None)


def test_a_task_without_a_status_is_finished_when_it_has_its_grid_and_pending_when_not(fake):
    fake.add_proxy_task(task("1732000000050008", status=None, imageUrl="https://cdn.x/grid.png"))
    fake.add_proxy_task(task("1732000000050009", status=None))
    found = {
        t.task_id: t.group for t in client.look_up(TOKEN, ["1732000000050008", "1732000000050009"])
    }
    assert found == {"1732000000050008": "finished", "1732000000050009": "pending"}
