"""A vendor that sends even its status line and headers a byte at a time: socket timeouts never
trip (each byte arrives in time), so only the call's deadline can end it."""

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from mjadmin import upstream


@pytest.fixture
def header_dribbler() -> Iterator[int]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    stop = threading.Event()

    def dribble(conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            conn.recv(65536)
            for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Slow: ":
                conn.sendall(bytes([byte]))
                time.sleep(0.2)
            while not stop.is_set():  # a header line that never ends
                conn.sendall(b"x")
                time.sleep(0.2)

    def serve() -> None:
        with contextlib.suppress(OSError):
            while not stop.is_set():
                conn, _ = listener.accept()
                threading.Thread(target=dribble, args=(conn,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    yield listener.getsockname()[1]
    stop.set()
    listener.close()


def call(port: int, page_seconds: float | None = None) -> tuple[str, float]:
    """The error the call ended with and how long it took; fails if it is still running after
    5 s (without a deadline on the whole call it would run for ever)."""
    outcome: dict[str, str] = {}

    def run() -> None:
        deadline = (
            upstream.page_deadline(page_seconds) if page_seconds else contextlib.nullcontext()
        )
        try:
            with deadline:
                upstream.request_json(
                    "GET",
                    f"http://127.0.0.1:{port}/v2/jobs",
                    service="useapi.net",
                    credential="token",
                    authorization="Bearer user:1-abcdefghijkl",
                )
        except upstream.UpstreamUnavailable as exc:
            outcome["error"] = exc.message

    started = time.monotonic()
    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(5)
    assert not worker.is_alive(), "the call was still waiting for headers after 5 s"
    return outcome["error"], time.monotonic() - started


def test_headers_dribbled_forever_end_at_upstream_timeout(settings, header_dribbler):
    settings.UPSTREAM_TIMEOUT = 1.5
    error, took = call(header_dribbler)
    assert "no answer within 1.5 s" in error
    assert took < 2.5


def test_the_page_deadline_cuts_them_sooner(settings, header_dribbler):
    settings.UPSTREAM_TIMEOUT = 10
    error, took = call(header_dribbler, page_seconds=1.0)
    assert "no answer within 1 s" in error
    assert took < 2.0
