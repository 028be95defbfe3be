"""How the one HTTP module reaches a vendor: never through the host's proxy settings, and
past a refused connection when the vendor comes back."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
import urllib3.util.connection

from mjadmin import upstream
from tests.fakes.fake_vendors import DEMO_USEAPI_TOKEN


def in_fresh_thread(call: Callable[[], Any]) -> Any:
    # A new thread has a new pooled session, so the call opens a new connection.
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except upstream.UpstreamError as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def running_jobs(fake) -> Any:
    return upstream.request_json(
        "GET",
        f"{fake.base_url}/v2/jobs",
        service="useapi.net",
        credential="token",
        authorization=f"Bearer {DEMO_USEAPI_TOKEN}",
    )


@pytest.fixture
def refusals(monkeypatch):
    """Make the next N connection attempts fail as refused; counts every attempt."""
    real = urllib3.util.connection.create_connection
    state = {"refuse": 0, "attempts": 0}

    def create_connection(*args: Any, **kwargs: Any) -> Any:
        state["attempts"] += 1
        if state["refuse"] > 0:
            state["refuse"] -= 1
            raise ConnectionRefusedError("refused by the test")
        return real(*args, **kwargs)

    monkeypatch.setattr(urllib3.util.connection, "create_connection", create_connection)
    return state


def test_the_hosts_proxy_variables_are_ignored(fake, monkeypatch):
    # A proxy would see every key; this server talks to vendors directly.
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "")
    assert isinstance(in_fresh_thread(lambda: running_jobs(fake)), list)
    assert len(fake.requests_to("/v2/jobs")) == 1


def test_a_refused_connection_is_tried_again_and_the_call_succeeds(fake, refusals):
    refusals["refuse"] = 2
    assert isinstance(in_fresh_thread(lambda: running_jobs(fake)), list)
    assert refusals["attempts"] == 3


def test_a_connection_refused_every_time_is_reported_after_three_tries(fake, refusals):
    refusals["refuse"] = 99
    with pytest.raises(upstream.UpstreamUnavailable, match=r"could not connect to 127\.0\.0\.1"):
        in_fresh_thread(lambda: running_jobs(fake))
    assert refusals["attempts"] == 3
    assert fake.requests_to("/v2/jobs") == []
