"""The one outbound-HTTP module, against the local fake over real HTTP."""

import logging
import threading
import time

import pytest

from mjadmin import upstream
from tests.fakes.fake_vendors import DEMO_USEAPI_TOKEN

CANARY = "user:9999-CanaryTokenNeverLogged"


def get(fake, path="/v2/jobs", token=DEMO_USEAPI_TOKEN):
    return upstream.request_json(
        "GET",
        f"{fake.base_url}{path}",
        service="useapi.net",
        credential="token",
        authorization=f"Bearer {token}",
    )


def test_it_returns_parsed_json(fake):
    assert get(fake) == fake.useapi_jobs[DEMO_USEAPI_TOKEN]


@pytest.mark.parametrize("kind", ["502", "503"])
def test_502_and_503_are_retried_a_few_times_then_reported(fake, kind):
    fake.set_fault(kind, path="/v2/jobs")
    with pytest.raises(upstream.UpstreamUnavailable, match=f"HTTP {kind}"):
        get(fake)
    assert len(fake.requests_to("/v2/jobs")) == 3


def test_a_retry_after_header_does_not_stretch_the_wait(fake):
    fake.set_fault("503", path="/v2/jobs")  # answers with Retry-After: 30
    started = time.monotonic()
    with pytest.raises(upstream.UpstreamUnavailable):
        get(fake)
    assert time.monotonic() - started < 5


def test_500_is_not_retried(fake):
    fake.set_fault("500", path="/v2/jobs")
    with pytest.raises(upstream.UpstreamUnavailable, match="HTTP 500"):
        get(fake)
    assert len(fake.requests_to("/v2/jobs")) == 1


def test_redirects_are_not_followed(fake):
    fake.set_fault("redirect", path="/v2/jobs")
    with pytest.raises(upstream.UpstreamUnavailable, match="redirect"):
        get(fake)
    assert len(fake.requests) == 1


def test_answers_over_the_size_cap_are_refused(fake, settings):
    settings.UPSTREAM_MAX_RESPONSE_BYTES = 1024 * 1024
    fake.set_fault("huge", path="/v2/jobs")
    with pytest.raises(upstream.UpstreamUnavailable, match=r"larger than 1 MB"):
        get(fake)


def test_the_timeout_comes_from_the_setting(fake, settings):
    settings.UPSTREAM_TIMEOUT = 0.2
    fake.slow_seconds = 1.5
    fake.set_fault("slow", path="/v2/jobs")
    with pytest.raises(upstream.UpstreamUnavailable, match=r"no answer within 0\.2 s"):
        get(fake)
    assert len(fake.requests_to("/v2/jobs")) == 1


def test_a_refused_connection_is_retried_then_reported(settings):
    with pytest.raises(upstream.UpstreamUnavailable, match="could not connect"):
        upstream.request_json(
            "GET",
            "http://127.0.0.1:9/v2/jobs",
            service="useapi.net",
            credential="token",
            authorization="Bearer x",
        )


def test_the_token_is_never_stored_on_the_shared_session(fake):
    get(fake, token=DEMO_USEAPI_TOKEN)
    session = upstream._session()
    assert "Authorization" not in session.headers
    fake.useapi_tokens.add(CANARY)
    get(fake, token=CANARY)
    assert "Authorization" not in session.headers
    assert fake.requests[-1].headers["authorization"] == f"Bearer {CANARY}"


def test_each_thread_has_its_own_pooled_session():
    sessions = []
    thread = threading.Thread(target=lambda: sessions.append(upstream._session()))
    thread.start()
    thread.join()
    assert sessions[0] is not upstream._session()
    assert upstream._session() is upstream._session()


def test_the_token_is_never_logged_even_on_failure(fake, caplog):
    fake.useapi_tokens.add(CANARY)
    caplog.set_level(logging.DEBUG)
    get(fake, token=CANARY)
    for kind in ["401", "500", "non-json", "502"]:
        fake.set_fault(kind, path="/v2/jobs")
        with pytest.raises(upstream.UpstreamError) as excinfo:
            get(fake, token=CANARY)
        assert CANARY not in str(excinfo.value)
    assert "/v2/jobs" in caplog.text
    assert "CanaryToken" not in caplog.text
