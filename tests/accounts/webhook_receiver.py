"""A chat webhook on a loopback port, standing in for a Slack incoming webhook in tests."""

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Post:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return json.loads(self.body)["text"]


class Receiver:
    """Records every POST; answers `status` with Slack's plain-text body after `delay` s."""

    def __init__(self, server: ThreadingHTTPServer) -> None:
        self._server = server
        self.posts: list[Post] = []
        self.status = 200
        self.answer = b"ok"
        self.delay = 0.0
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        # A Slack webhook's path is its key: tests look for it in what the command says.
        return f"http://{host}:{port}/services/T0SECRET/B0SECRET/HookKeyZQX0123456789abcd"

    @property
    def texts(self) -> list[str]:
        with self.lock:
            return [post.text for post in self.posts]


@contextmanager
def webhook_receiver() -> Iterator[Receiver]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            receiver: Receiver = self.server.receiver  # type: ignore[attr-defined]
            with receiver.lock:
                receiver.posts.append(Post(self.path, dict(self.headers.items()), body))
            time.sleep(receiver.delay)
            self.send_response(receiver.status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(receiver.answer)))
            self.end_headers()
            self.wfile.write(receiver.answer)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.block_on_close = False
    receiver = Receiver(server)
    server.receiver = receiver  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
