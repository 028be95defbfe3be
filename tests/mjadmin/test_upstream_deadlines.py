"""How the one HTTP module reads an answer: within the size cap to the byte, within the call's
and the page's deadline however slowly the body arrives, compressed or not, and what it logs."""

import gzip
import json
import logging
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from mjadmin import upstream
from tests.fakes.fake_vendors import DEMO_USEAPI_TOKEN


def jobs(base_url: str):
    return upstream.request_json(
        "GET",
        f"{base_url}/v2/jobs",
        service="useapi.net",
        credential="token",
        authorization=f"Bearer {DEMO_USEAPI_TOKEN}",
    )


def timed_failure(base_url: str) -> tuple[upstream.UpstreamError, float]:
    started = time.monotonic()
    with pytest.raises(upstream.UpstreamError) as excinfo:
        jobs(base_url)
    return excinfo.value, time.monotonic() - started


def messages(caplog, level: int) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "mjadmin.upstream" and r.levelno == level
    ]


def test_an_answer_exactly_at_the_size_cap_is_read(fake, settings):
    size = len(json.dumps(fake.useapi_jobs[DEMO_USEAPI_TOKEN]).encode())
    settings.UPSTREAM_MAX_RESPONSE_BYTES = size
    assert jobs(fake.base_url) == fake.useapi_jobs[DEMO_USEAPI_TOKEN]


def test_an_answer_one_byte_over_the_size_cap_is_refused(fake, settings):
    size = len(json.dumps(fake.useapi_jobs[DEMO_USEAPI_TOKEN]).encode())
    settings.UPSTREAM_MAX_RESPONSE_BYTES = size - 1
    error, _ = timed_failure(fake.base_url)
    assert error.message == (
        "useapi.net is unavailable right now (its answer was larger than 0 MB). "
        "Try again in a minute."
    )


def test_a_body_that_trickles_in_ends_at_the_calls_deadline_not_at_its_next_byte(
    fake, settings, caplog
):
    # A byte a second: every single read is quicker than the timeout, so only a per-read wait
    # cut to the time left ends the call at 1.3 s rather than when the byte after it arrives.
    settings.UPSTREAM_TIMEOUT = 1.3
    fake.dribble_seconds = 1.0
    fake.set_fault("dribble", path="/v2/jobs")
    error, elapsed = timed_failure(fake.base_url)
    assert error.message == (
        "useapi.net is unavailable right now (no answer within 1.3 s). Try again in a minute."
    )
    assert 1.2 < elapsed < 1.75
    assert messages(caplog, logging.WARNING) == [
        "useapi.net GET /v2/jobs failed: no answer within 1.3 s"
    ]


def test_a_call_inside_a_page_ends_by_the_pages_deadline(fake, settings):
    settings.UPSTREAM_TIMEOUT = 5
    fake.slow_seconds = 3
    fake.set_fault("slow", path="/v2/jobs")
    with upstream.page_deadline(0.4):
        error, elapsed = timed_failure(fake.base_url)
    assert "(no answer within 0.4 s)" in error.message
    assert elapsed < 1.5


def test_a_page_deadline_inside_another_keeps_the_sooner_one():
    assert upstream.time_left() == float("inf")
    with upstream.page_deadline(5):
        assert 4.5 < upstream.time_left() <= 5
        with upstream.page_deadline(60):
            assert upstream.time_left() <= 5
        with upstream.page_deadline(1):
            assert 0.5 < upstream.time_left() <= 1
        assert 4 < upstream.time_left() <= 5
    assert upstream.time_left() == float("inf")


def test_a_page_whose_time_is_up_makes_no_call(fake):
    with upstream.page_deadline(0):
        error, _ = timed_failure(fake.base_url)
    assert "no answer within" in error.message
    assert fake.requests_to("/v2/jobs") == []


def test_a_503_is_not_tried_again_when_the_wait_would_not_leave_time_for_an_answer(fake, settings):
    settings.UPSTREAM_TIMEOUT = 0.6  # less than the first wait (0.2 s) plus half a second
    fake.set_fault("503", path="/v2/jobs")
    error, _ = timed_failure(fake.base_url)
    assert "(HTTP 503)" in error.message
    assert len(fake.requests_to("/v2/jobs")) == 1


def test_an_answer_cut_off_mid_body_says_so(fake, caplog):
    fake.set_fault("reset", path="/v2/jobs")
    error, _ = timed_failure(fake.base_url)
    assert error.message == (
        "useapi.net is unavailable right now (the answer broke off). Try again in a minute."
    )
    assert messages(caplog, logging.WARNING) == [
        "useapi.net GET /v2/jobs failed: the answer broke off"
    ]


def test_a_refused_connection_names_the_host_and_what_to_check(settings, caplog):
    settings.UPSTREAM_TIMEOUT = 0.3  # no time to try again
    error, _ = timed_failure("http://127.0.0.1:9")
    assert error.message == (
        "useapi.net could not be reached (could not connect to 127.0.0.1). Check that this "
        "server can reach it (network, DNS, proxy), then try again."
    )
    assert messages(caplog, logging.WARNING) == [
        "useapi.net GET /v2/jobs failed: could not connect to 127.0.0.1"
    ]


def test_each_answer_is_logged_with_its_service_method_path_status_and_duration(fake, caplog):
    caplog.set_level(logging.INFO, logger="mjadmin.upstream")
    fake.latency = 0.15
    jobs(fake.base_url)
    (logged,) = messages(caplog, logging.INFO)
    prefix, _, duration = logged.partition(" -> 200 in ")
    assert prefix == "useapi.net GET /v2/jobs"
    assert 150 <= int(duration.removesuffix(" ms")) < 2000


def test_a_retry_is_logged_with_the_attempt_it_starts(fake, caplog):
    caplog.set_level(logging.INFO, logger="mjadmin.upstream")
    fake.set_fault("503", path="/v2/jobs", times=1)
    jobs(fake.base_url)
    assert "useapi.net GET /v2/jobs: trying again (attempt 2)" in messages(caplog, logging.INFO)


@pytest.fixture
def gzip_vendor() -> Iterator[str]:
    """A vendor that compresses its answers, as many servers behind a CDN do."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = gzip.compress(json.dumps(["job:1-channel:2"]).encode())
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_compressed_answer_is_read_as_its_json(gzip_vendor):
    assert jobs(gzip_vendor) == ["job:1-channel:2"]
