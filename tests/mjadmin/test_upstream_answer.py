"""request_answer: for clients that read some of a vendor's answers themselves (a 204, a
vendor's own status), with a secret of the request body masked like the key."""

import pytest

from mjadmin import upstream
from tests.fakes import fake_useapi_writes
from tests.fakes.fake_vendors import CHANNEL_HELD, DEMO_USEAPI_TOKEN

BEARER = f"Bearer {DEMO_USEAPI_TOKEN}"
BODY_SECRET = "MTk5OTk5/OTk5OTk5+Q2FuYXJ5/ZQWodd~tail"


def answer(fake, method: str, path: str, **kwargs):
    return upstream.request_answer(
        method,
        f"{fake.base_url}{path}",
        service="useapi.net",
        credential="token",
        authorization=BEARER,
        **kwargs,
    )


def test_a_204_comes_back_with_no_payload(fake):
    reset = f"/v2/account/midjourney/{CHANNEL_HELD}/reset"
    assert answer(fake, "POST", reset) == (204, None)


def test_a_2xx_comes_back_with_its_status_and_json(fake):
    status, payload = answer(fake, "GET", "/v2/jobs")
    assert status == 200
    assert payload == fake.useapi_jobs[DEMO_USEAPI_TOKEN]


def test_an_owned_status_comes_back_with_its_body_and_any_other_raises(fake):
    fake.set_fault("596", path="/v2/jobs")
    status, payload = answer(fake, "GET", "/v2/jobs", own_statuses=frozenset({596}))
    assert (status, payload["error"]) == (596, "Pending moderation message")
    with pytest.raises(upstream.UpstreamUnavailable) as excinfo:
        answer(fake, "GET", "/v2/jobs")
    assert (
        excinfo.value.message
        == "useapi.net is unavailable right now (HTTP 596). Try again in a minute."
    )


@pytest.fixture
def echoing(monkeypatch):
    """A careless vendor: its 400 quotes the Discord token it was sent, in text and as a key."""
    monkeypatch.setattr(
        fake_useapi_writes,
        "_save",
        lambda fake_, rec, token: (
            400,
            {"error": f"Bad {rec.json()['discord']}", "echo": {rec.json()["discord"]: 1}},
        ),
    )


SEND_SECRET = {"json_body": {"discord": BODY_SECRET}, "also_secret": (BODY_SECRET,)}


def test_a_secret_of_the_body_is_masked_in_an_owned_answer(fake, echoing):
    owned = frozenset({400})
    answered = answer(fake, "POST", "/v2/account/midjourney", own_statuses=owned, **SEND_SECRET)
    assert answered == (400, {"error": "Bad ••••tail", "echo": {"••••tail": 1}})


def test_a_secret_of_the_body_is_masked_in_the_error_raised(fake, echoing):
    with pytest.raises(upstream.UpstreamBadRequest) as excinfo:
        answer(fake, "POST", "/v2/account/midjourney", **SEND_SECRET)
    assert excinfo.value.details == ["Bad ••••tail"]


def test_a_secret_of_the_body_is_masked_in_a_2xx_answer(fake, monkeypatch):
    # A careless vendor whose 200 says back the Discord token whole (useapi.net's older answers
    # did), and the API token with it.
    monkeypatch.setattr(
        fake_useapi_writes,
        "_save",
        lambda fake_, rec, token: (
            200,
            {"discord": rec.json()["discord"], "saved": [f"{token} {rec.json()['discord']}"]},
        ),
    )
    answered = answer(fake, "POST", "/v2/account/midjourney", **SEND_SECRET)
    assert answered == (200, {"discord": "••••tail", "saved": ["••••0001 ••••tail"]})


def test_a_write_is_not_sent_again_after_a_502_but_a_read_is(fake):
    fake.set_fault("502")
    for method, path in (
        ("POST", "/v2/account/midjourney"),
        ("DELETE", "/v2/account/midjourney/1"),
    ):
        with pytest.raises(upstream.UpstreamUnavailable):
            answer(fake, method, path)
        assert len(fake.requests_to(path)) == 1
    with pytest.raises(upstream.UpstreamUnavailable):
        answer(fake, "GET", "/v2/jobs")
    assert len(fake.requests_to("/v2/jobs")) == 3
