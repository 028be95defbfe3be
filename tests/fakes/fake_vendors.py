"""A local stand-in for the useapi.net v2 and Apiframe v1 APIs, for tests and offline demos.

Both vendors are served from one loopback port: their paths do not collide (``/v2/...`` vs
``/fetch``/``/fetch-many``). Standard library only, so it runs before the project's dependencies
are installed. Standalone: ``python -m tests.fakes.fake_vendors --port 8765 --serve-images``.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import functools
import hashlib
import io
import json
import random
import select
import signal
import socket
import struct
import sys
import threading
import time
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.fakes import (
    fake_apiframe_v2,
    fake_legnext,
    fake_midjourney_proxy,
    fake_useapi_writes,
)

DEMO_USEAPI_TOKEN = "user:1234-mjadminDemoUseapiToken0001"
EMPTY_USEAPI_TOKEN = "user:1234-mjadminEmptyToken0002"
DEMO_APIFRAME_KEY = "af_demo_mjadmin_0123456789abcdef"
# Apiframe v2 keys ("afk_…"): the demo's (its team's owner, who owns the demo's jobs), a plain
# member's (no team scope; owns fake_apiframe_v2.TEAMMATE_JOB_ID), and one the vendor turned off.
DEMO_APIFRAME_V2_KEY = "afk_demo_mjadmin_0123456789abcdef"
MEMBER_APIFRAME_V2_KEY = "afk_member_mjadmin_0123456789abcd"
INACTIVE_APIFRAME_V2_KEY = "afk_inactive_mjadmin_0123456789ab"
UNKNOWN_TASK_ID = "00000000-0000-4000-8000-000000000000"
DEFAULT_IMAGE_BASE = "https://cdn.apiframe-fake.example/images"

# What each fault does, for `fault --help`; the keys are the kinds set_fault() accepts.
FAULT_HELP: dict[str, str] = {
    "400": "400 with the vendor's error body",
    "401": "401: the key is rejected",
    "402": "402: no active subscription",
    "404": "404 with the vendor's error body",
    "404-empty": "404 with an empty body",
    "429": "429 with Retry-After: 99999 and the vendor's error body",
    "500": "500 with an empty JSON object",
    "502": "502 with an HTML page (a proxy's)",
    "503": "503 with Retry-After: 30",
    "html-500": "500 with an HTML error page",
    "non-json": "200 with an HTML page",
    "bad-shape": "200 with valid JSON of the wrong shape",
    "deep-json": "200 with JSON nested 100,000 levels deep",
    "nan": "the normal answer with NaN and Infinity written raw into it",
    "huge": "200 with a 12 MB JSON body",
    "slow": "the normal answer after `slow_seconds` (5 s) of silence",
    "dribble": "the normal answer, its body written 1 byte a second",
    "reset": "the normal answer cut off mid-body by a TCP reset",
    "redirect": "302 to a closed port on 127.0.0.1",
    "offsite-redirect": "302 to the same path on another host (127.0.0.2), which records requests",
    "echo-key": "400 whose error message repeats the key it was sent (a careless vendor)",
    "429-retry": "429 with Retry-After: `retry_after_seconds` (1 s), short enough to honour",
    "596": "useapi.net only: 596, the account the call is for is held by a moderation message",
}
FAULT_KINDS = frozenset(FAULT_HELP)
# How Apiframe v1 is sent its key: the raw key (documented), or "Bearer <key>" (apiframe-sdk).
APIFRAME_AUTH_SCHEMES = ("raw", "bearer")
NON_TERMINAL = frozenset({"pending", "staged", "starting", "processing", "retry", "retrying"})
_VIDEO_TYPES = frozenset({"imagine-video", "luma", "runway", "kling", "sora"})
_DESCRIBE_TEXT = (
    "1️⃣ a lighthouse at dusk on a basalt cliff, crashing waves, volumetric fog, warm window "
    "light, cinematic matte painting --ar 3:2\n\n"
    "2️⃣ an old stone lighthouse under a violet sky, long exposure sea, Hiroshi Sugimoto style "
    "--ar 3:2\n\n"
    "3️⃣ coastal lighthouse, storm clouds, golden hour rim light, detailed oil painting --ar 3:2\n\n"
    "4️⃣ lonely lighthouse beacon cutting through mist, teal and orange palette --ar 3:2"
)

# Realistic Discord snowflakes; the first account's token is returned whole, as older useapi
# revisions did, so the app's masking is exercised on a real-looking secret.
CHANNEL_MAIN = "1170809721663422494"
CHANNEL_PRO = "1182307445130956861"
CHANNEL_HELD = "1191564823071821915"
CHANNEL_SPARE = "1203746019284519012"
_WHOLE_DISCORD_TOKEN = "MTE3MDgwOTcyMTY2MzQyMjQ5NA.Gh7x2K.q3Vt9LmZ8wKpR2yXc7NbHs4JdF1gEa6UoWi0Te"
HELD_MESSAGE = (
    "Action needed to continue: please acknowledge the community guidelines update in Discord "
    "(message 1573983255944900635). Jobs on this account are paused until you do."
)


def _job_id(stamp: str, channel: str) -> str:
    return f"job:{stamp}-user:1234-channel:{channel}"


def _seed_accounts() -> dict[str, dict[str, Any]]:
    return {
        CHANNEL_MAIN: {
            "channel": CHANNEL_MAIN,
            "discord": _WHOLE_DISCORD_TOKEN,
            "server": "1170809720543525024",
            "maxJobs": 3,
        },
        CHANNEL_PRO: {"channel": CHANNEL_PRO, "discord": "MTI...xYz", "maxJobs": 15},
        CHANNEL_HELD: {
            "channel": CHANNEL_HELD,
            "discord": "MTE...q9A",
            "server": "1191564822501396530",
            "maxJobs": 1,
            "pendingModMessage": HELD_MESSAGE,
        },
        CHANNEL_SPARE: {
            "channel": CHANNEL_SPARE,
            "discord": "MTI...Lk2",
            "server": "1203746018660249610",
            "maxJobs": 12,
        },
    }


def _seed_jobs() -> list[str]:
    # Uneven on purpose: 2/3 on the main account, 3/15, 0/1 on the held one, 1/12.
    return [
        _job_id("20261122093015123", CHANNEL_MAIN),
        _job_id("20261122093102457", CHANNEL_PRO),
        _job_id("20261122093148902", CHANNEL_MAIN),
        _job_id("20261122093211038", CHANNEL_PRO),
        _job_id("20261122093240611", CHANNEL_SPARE),
        _job_id("20261122093305774", CHANNEL_PRO),
    ]


def _result_fields(task_id: str, task_type: str, image_base: str) -> dict[str, Any]:
    base = f"{image_base}/{task_id}"
    if task_type.startswith("upscale"):
        return {"image_url": f"{base}/1.png"}
    if task_type == "luma":
        return {"video_url": f"{base}/1.mp4"}  # luma reports one video, the others a list
    if task_type in _VIDEO_TYPES or "video" in task_type:
        return {"video_urls": [f"{base}/1.mp4", f"{base}/2.mp4"]}
    if task_type == "seed":
        return {"seed": "3620198521"}
    if task_type == "describe":
        return {"content": _DESCRIBE_TEXT}
    # imagine, variation-N, reroll, blend, and anything unknown: a grid plus four images.
    return {
        "original_image_url": f"{base}/grid.png",
        "image_urls": [f"{base}/{n}.png" for n in range(1, 5)],
    }


# task_id, task_type, status (None: the vendor's own example omits it), extra fields.
# "_progresses" opts a task into advancing on every fetch; "_"-keys are never sent to clients.
# fmt: off
_SEED_TASKS: list[tuple[str, str, str | None, dict[str, Any]]] = [
    ("29e983ca-7e86-4017-a9e3-ef6fe9cd5f2a", "imagine", "finished", {"sref": "2961418376"}),
    ("71cfa6bd-f0d2-4f0c-b11d-56f256fc55a4", "imagine", "pending", {"_progresses": True}),
    ("8274fd0f-259b-42e3-af07-4ac6d4ab7c6e", "variation-1", "staged", {}),
    ("3b1c9e52-6d7a-4f18-9c2e-5a0d4b7e81f3", "reroll", "starting",
     {"percentage": "0", "_progresses": True}),
    ("c4e2a7d9-1f35-4b86-8a0c-7d9e3f51b624", "blend", "processing",
     {"percentage": "40", "_progresses": True}),
    ("5f8d3c21-9a4e-4c7b-b1d6-2e7f9a03c8d5", "upscale-subtle", "retrying", {"percentage": "0"}),
    ("a6b9e014-3c72-4d5f-9e81-0b4c6d2f7a39", "upscale#1", "finished", {}),
    ("d27f5a83-8e14-4c9b-a365-f1b08c4d92e7", "upscale-creative", "finished", {}),
    ("e9c01b46-5d28-4a7e-8f93-6c2a1d7b05f4", "upscale-2x", "finished", {}),
    ("1d4a7e92-b6c3-4f05-8d17-9e3b2c6a0f58", "seed", "finished", {}),
    ("6e3f9b17-2a84-4d6c-b0e5-8f1c7a4d2b93", "describe", "finished", {}),
    ("b8d25c6f-4e91-4a3b-9c07-d5e2f8a16b40", "imagine-video", "finished", {}),
    ("f0a74d38-c95b-4e26-a1f8-3b6d9e0c57a2", "luma", "finished", {}),
    ("47c8e2b5-0d63-4f9a-8b1e-c2a5d7f3e960", "imagine", "failed",
     {"message": "Banned prompt detected: the word 'gore' is not allowed by Midjourney."}),
    ("9a1f6c04-e7b8-4d32-a5c9-1e0b3f8d6a7c", "variation-2", "failed",
     {"error": "Midjourney job timed out"}),
    ("2c7b0e9f-5a16-4e83-b4d2-a9f5c1e7b308", "imagine", None, {"sref": "1234578888888"}),
]
# fmt: on
SEEDED_TASK_IDS: list[str] = [row[0] for row in _SEED_TASKS]
PROGRESSING_TASK_IDS: list[str] = [row[0] for row in _SEED_TASKS if row[3].get("_progresses")]


def _seed_v2_keys() -> list[fake_apiframe_v2.V2Key]:
    return [
        fake_apiframe_v2.V2Key(DEMO_APIFRAME_V2_KEY, "usr_demo0001", "demo@apiframe-fake.example"),
        fake_apiframe_v2.V2Key(
            MEMBER_APIFRAME_V2_KEY,
            "usr_member0002",
            "member@apiframe-fake.example",
            role="MEMBER",
            name="member's key",
        ),
        fake_apiframe_v2.V2Key(
            INACTIVE_APIFRAME_V2_KEY,
            "usr_gone0003",
            "gone@apiframe-fake.example",
            role="MEMBER",
            active=False,
            name="turned off",
        ),
    ]


def _seed_v2_jobs(image_base: str) -> list[tuple[dict[str, Any], str]]:
    """The demo's tasks as v2 jobs of the demo v2 key (a minute apart, newest first), the same
    images, prompt and status; then the jobs only v2 has."""
    now = datetime.now(UTC)
    jobs = []
    for n, task in enumerate(_seed_tasks(image_base)):
        done = _result_fields(task["task_id"], str(task["task_type"]), image_base)
        job = fake_apiframe_v2.job_from_v1(task, now - timedelta(minutes=n + 1), done)
        jobs.append((job, DEMO_APIFRAME_V2_KEY))
    for job_id, job in fake_apiframe_v2.v2_only_jobs(now, image_base).items():
        teammate = job_id == fake_apiframe_v2.TEAMMATE_JOB_ID
        jobs.append((job, MEMBER_APIFRAME_V2_KEY if teammate else DEMO_APIFRAME_V2_KEY))
    return jobs


def _seed_legnext_jobs(image_base: str) -> list[dict[str, Any]]:
    """The demo's tasks as Legnext jobs: the same ids, images, prompt and status."""
    now = datetime.now(UTC)
    return [
        fake_legnext.job_from_v1(
            task,
            now - timedelta(minutes=n + 1),
            _result_fields(task["task_id"], str(task["task_type"]), image_base),
        )
        for n, task in enumerate(_seed_tasks(image_base))
    ]


def _seed_proxy_tasks(image_base: str) -> list[dict[str, Any]]:
    """The demo's tasks as midjourney-proxy tasks: their own 16-digit ids (the demo's n-th task is
    fake_midjourney_proxy.task_id_for(n)), the same images, prompt and status."""
    now = datetime.now(UTC)
    return [
        fake_midjourney_proxy.task_from_v1(
            fake_midjourney_proxy.task_id_for(n),
            task,
            now - timedelta(minutes=n + 1),
            _result_fields(task["task_id"], str(task["task_type"]), image_base),
        )
        for n, task in enumerate(_seed_tasks(image_base))
    ]


def _seed_tasks(image_base: str) -> list[dict[str, Any]]:
    tasks: list[dict[str, Any]] = []
    for task_id, task_type, status, extra in _SEED_TASKS:
        task: dict[str, Any] = {"task_id": task_id, "task_type": task_type}
        if status is not None:
            task["status"] = status
        if status == "finished":
            task["percentage"] = 100
        if status in ("finished", None):
            task |= _result_fields(task_id, task_type, image_base)
        tasks.append(task | copy.deepcopy(extra))
    return tasks


_USEAPI_401 = {"error": "Unauthorized", "code": 401}
_USEAPI_404 = {
    "error": "Configuration not found. To create configuration use POST account/midjourney.",
    "code": 404,
}
_USEAPI_402 = {"error": "Account has no subscription or subscription expired", "code": 402}
_USEAPI_503 = {"error": "Service unavailable", "code": 503}
_FETCH_MANY_400 = {"errors": [{"msg": "task_ids must be an array of 2 to 20 task ids"}]}
_HTML_502 = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
_HTML_CLOUDFLARE = b"<html><body>Cloudflare says hi</body></html>"
_HTML_500 = (
    b"<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head>\n"
    b"<body><h1>Internal Server Error</h1><p>The server encountered an internal error and was "
    b"unable to complete your request.</p><hr><address>nginx</address></body></html>\n"
)
_USEAPI_429 = {"error": "Too many requests, please slow down", "code": 429}
_APIFRAME_429 = {"errors": [{"msg": "Too many requests, please slow down"}]}
_HTML = "text/html; charset=utf-8"


@dataclass
class _Response:
    status: int
    body: bytes = b""
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    # Written by the handler rather than in one go: seconds to wait before each byte of the body,
    # or how many bytes of it to send before resetting the connection (Content-Length stays whole).
    drip: float = 0.0
    reset_after: int | None = None


def _json(status: int, payload: Any) -> _Response:
    return _Response(status, json.dumps(payload).encode(), "application/json")


@functools.cache
def _huge_body() -> bytes:
    # Built once, lazily: valid JSON so only a client's size cap (not a parse error) stops it.
    return b'{"padding": "' + b"x" * (12 * 1024 * 1024) + b'"}'


@functools.cache
def _deep_body() -> bytes:
    # Valid JSON that a recursive parser or walker cannot get through without a deep stack.
    return b"[" * 100_000 + b"]" * 100_000


def _with_non_finite(payload: Any) -> Any:
    """The answer with NaN and Infinity where numbers go (json.dumps writes them raw)."""

    def task(entry: Any) -> None:
        if isinstance(entry, dict):
            entry["percentage"] = float("nan")
            entry["seed"] = float("inf")

    def job(entry: Any) -> None:  # an Apiframe v2 job
        if isinstance(entry, dict):
            entry["progress"] = float("nan")
            entry["creditCost"] = float("inf")

    if isinstance(payload, dict) and isinstance(payload.get("jobs"), list):
        for entry in payload["jobs"]:
            job(entry)
    elif isinstance(payload, dict) and "createdAt" in payload:
        job(payload)
    elif isinstance(payload, dict) and isinstance(payload.get("tasks"), list):
        for entry in payload["tasks"]:
            task(entry)
    elif isinstance(payload, dict) and "task_id" in payload:
        task(payload)
    elif isinstance(payload, dict) and "channel" in payload:
        payload["maxJobs"] = float("inf")  # one account
    elif isinstance(payload, dict):
        for account in payload.values():  # the account map
            if isinstance(account, dict):
                account["maxJobs"] = float("inf")
    elif isinstance(payload, list):
        payload.append(float("nan"))  # the running jobs
    return payload


# kind -> (status, useapi body, apiframe body) for the faults that answer with plain JSON.
_JSON_FAULTS: dict[str, tuple[int, Any, Any]] = {
    "401": (401, _USEAPI_401, {}),
    "402": (402, _USEAPI_402, _USEAPI_402),
    "404": (404, _USEAPI_404, {"errors": [{"msg": "Not found"}]}),
    "400": (
        400,
        {"error": "Required param is missing", "code": 400},
        {"errors": [{"msg": "Invalid request"}, {"msg": "task_ids must be an array"}]},
    ),
    "429": (429, _USEAPI_429, _APIFRAME_429),
    "500": (500, {}, {}),
    "503": (503, _USEAPI_503, _USEAPI_503),
}
_BAD_SHAPES: dict[str, Any] = {
    "/v2/jobs": {"jobs": "nope"},
    "/fetch-many": {"tasks": "nope"},
    "/fetch": [1, 2],
}


# Faults that spoil the normal answer rather than replace it.
_SPOILED_ANSWERS = frozenset({"dribble", "reset", "nan"})


def _fault_response(kind: str, path: str, is_useapi: bool) -> _Response:
    if kind in _JSON_FAULTS:
        status, useapi_body, apiframe_body = _JSON_FAULTS[kind]
        response = _json(status, useapi_body if is_useapi else apiframe_body)
        if status == 503:
            # Overloaded services ask for patience; a client must not wait that long.
            response.headers["Retry-After"] = "30"
        if status == 429:
            # Far past any page's deadline: a client that honours it blocks a worker for a day.
            response.headers["Retry-After"] = "99999"
        return response
    if kind == "404-empty":
        return _Response(404)
    if kind == "502":
        return _Response(502, _HTML_502, _HTML)
    if kind == "html-500":
        return _Response(500, _HTML_500, _HTML)
    if kind == "deep-json":
        return _Response(200, _deep_body(), "application/json")
    if kind == "non-json":
        return _Response(200, _HTML_CLOUDFLARE, _HTML)
    if kind == "redirect":
        return _Response(302, headers={"Location": "http://127.0.0.1:1/elsewhere"})
    if kind == "huge":
        return _Response(200, _huge_body(), "application/json")
    # bad-shape: valid JSON, wrong structure for the endpoint asked.
    return _json(200, _BAD_SHAPES.get(path, ["not", "a", "map"]))


@functools.lru_cache(maxsize=512)
def _solid_png(rgb: tuple[int, int, int], size: int = 96) -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(tag + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit truecolour
    raw = (b"\x00" + bytes(rgb) * size) * size  # filter byte 0 before every scanline
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def png_for(path: str) -> bytes:
    digest = hashlib.sha256(path.encode()).digest()
    # Mid-tones only, so thumbnails stay visible on both light and dark themes.
    return _solid_png((48 + digest[0] % 160, 48 + digest[1] % 160, 48 + digest[2] % 160))


def _mask(value: str) -> str:
    return "****" + value[-4:] if len(value) > 8 else "****"


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes
    fault: str | None = None  # the fault kind this request met, if any
    # When it arrived (time.monotonic), for tests of which calls go out first.
    received_at: float = field(default_factory=time.monotonic)

    def json(self) -> Any:
        if not self.body:
            return None
        try:
            return json.loads(self.body)
        except ValueError:
            return None


@dataclass
class _Fault:
    kind: str
    token: str | None
    path: str | None
    times: int | None = None  # matching calls left before the rule is spent; None: forever


def _path_matches(rule: str, path: str) -> bool:
    # Whole segments only, so a rule for /fetch does not also hit /fetch-many.
    return path == rule or path.startswith(rule if rule.endswith("/") else rule + "/")


class FakeUpstream:
    # Knobs a test may set; reset() restores these defaults (latency: the value given at init).
    latency: float
    slow_seconds: float = 5.0
    dribble_seconds: float = 1.0  # the "dribble" fault's wait before each byte of the body
    steps_to_finish: int
    unknown_task_mode: str = "omit"  # or "failed"
    result_order: str = "reversed"  # or "asked", "shuffled"
    # The vendor does not document how /fetch answers an unknown id: 404 or 400 (inferred).
    fetch_unknown_status: int = 404
    # Task ids are UUIDs, which are case-insensitive: a vendor may echo them in upper case.
    ids_in_upper_case: bool = False
    # Apiframe v1's auth header (APIFRAME_AUTH_SCHEMES): reset() restores the value given at init.
    apiframe_auth_scheme: str
    # GET /account's field names, one of fake_apiframe_v2.ACCOUNT_SHAPES.
    apiframe_account_shape: str = "documented"
    # The "429-retry" fault's Retry-After, in seconds.
    retry_after_seconds: int = 1
    # useapi.net: the Midjourney plan's Maximum Concurrent Jobs (a higher maxJobs is refused),
    # and how many accounts a token may have before 402 "Subscription quantity exceeded".
    useapi_plan_max_jobs: int = 15
    useapi_account_limit: int | None = None

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        latency: float = 0.0,
        image_base_url: str | None = None,
        steps_to_finish: int = 3,
        apiframe_auth_scheme: str = "raw",
    ) -> None:
        if apiframe_auth_scheme not in APIFRAME_AUTH_SCHEMES:
            raise ValueError(f"apiframe_auth_scheme must be one of {APIFRAME_AUTH_SCHEMES}")
        self.host = host
        self.port = port
        self.image_base_url = image_base_url
        self._initial_latency = latency
        self._initial_steps = steps_to_finish
        self._initial_auth_scheme = apiframe_auth_scheme
        # RLock: reset() can be reached from a handler thread through the control endpoint.
        self._lock = threading.RLock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._connections: set[socket.socket] = set()
        self._dribbling = 0
        self._faults: list[_Fault] = []
        self.requests: list[RecordedRequest] = []
        # What reached the other host of the "offsite-redirect" fault (started on first use).
        self.offsite_requests: list[RecordedRequest] = []
        self._offsite: _Server | None = None
        self.useapi_accounts: dict[str, dict[str, dict[str, Any]]] = {}
        self.useapi_tokens: set[str] = set()
        self.useapi_jobs: dict[str, list[str]] = {}
        self.apiframe_keys: set[str] = set()
        self.apiframe_tasks: dict[str, dict[str, Any]] = {}
        self.apiframe_v2 = fake_apiframe_v2.ApiframeV2()
        self.legnext = fake_legnext.Legnext()
        self.mj_proxy = fake_midjourney_proxy.MidjourneyProxy()
        self.reset()

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeUpstream is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def image_base(self) -> str:
        return self.image_base_url or DEFAULT_IMAGE_BASE

    def start(self) -> FakeUpstream:
        if self._server is not None:
            return self
        self._server = _Server((self.host, self.port), self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-upstream",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._lock:
            offsite, self._offsite = self._offsite, None
        if offsite is not None:
            offsite.shutdown()
            offsite.server_close()
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        # Idle keep-alive connections would otherwise keep their handler threads (and a client's
        # pooled socket) alive against a server that is gone.
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeUpstream:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- state -------------------------------------------------------------------------------

    def reset(self) -> None:
        with self._lock:
            # Mutate in place so references a test took to these containers stay live.
            self.useapi_tokens.clear()
            self.useapi_tokens.update({DEMO_USEAPI_TOKEN, EMPTY_USEAPI_TOKEN})
            self.useapi_accounts.clear()
            self.useapi_accounts[DEMO_USEAPI_TOKEN] = _seed_accounts()
            self.useapi_jobs.clear()
            self.useapi_jobs[DEMO_USEAPI_TOKEN] = _seed_jobs()
            self.apiframe_keys.clear()
            self.apiframe_keys.add(DEMO_APIFRAME_KEY)
            self.apiframe_tasks.clear()
            for task in _seed_tasks(self.image_base):
                self.apiframe_tasks[task["task_id"]] = task
            self._faults.clear()
            self.requests.clear()
            self.offsite_requests.clear()
            self.latency = self._initial_latency
            self.slow_seconds = FakeUpstream.slow_seconds
            self.dribble_seconds = FakeUpstream.dribble_seconds
            self.steps_to_finish = self._initial_steps
            self.unknown_task_mode = FakeUpstream.unknown_task_mode
            self.result_order = FakeUpstream.result_order
            self.fetch_unknown_status = FakeUpstream.fetch_unknown_status
            self.ids_in_upper_case = FakeUpstream.ids_in_upper_case
            self.apiframe_auth_scheme = self._initial_auth_scheme
            self.apiframe_account_shape = FakeUpstream.apiframe_account_shape
            self.retry_after_seconds = FakeUpstream.retry_after_seconds
            self.apiframe_v2.reset(_seed_v2_keys(), _seed_v2_jobs(self.image_base))
            self.legnext.reset(_seed_legnext_jobs(self.image_base))
            self.mj_proxy.reset(_seed_proxy_tasks(self.image_base))
            self.useapi_plan_max_jobs = FakeUpstream.useapi_plan_max_jobs
            self.useapi_account_limit = FakeUpstream.useapi_account_limit

    def add_job(self, job: dict[str, Any], owner: str = DEMO_APIFRAME_V2_KEY) -> None:
        """An Apiframe v2 job, stored as given, owned by the user of the v2 key `owner`."""
        with self._lock:
            self.apiframe_v2.add_job(job, owner)

    @property
    def legnext_base_url(self) -> str:
        """What LEGNEXT_BASE_URL is for this fake: Legnext lives under a prefix of its own."""
        return self.base_url + fake_legnext.PREFIX + "/api"

    @property
    def mj_proxy_base_url(self) -> str:
        """What MJ_PROXY_BASE_URL is for this fake: the proxy lives under a prefix of its own."""
        return self.base_url + fake_midjourney_proxy.PREFIX

    def add_proxy_task(self, task: dict[str, Any]) -> None:
        """A midjourney-proxy task, stored as given."""
        with self._lock:
            self.mj_proxy.add_task(task)

    def add_legnext_job(self, job: dict[str, Any]) -> None:
        """A Legnext job, stored as given (any Legnext key may read it)."""
        with self._lock:
            self.legnext.add_job(job)

    @property
    def apiframe_v2_base_url(self) -> str:
        """What APIFRAME_V2_BASE_URL is for this fake: v2 lives under a prefix of its own."""
        return self.base_url + fake_apiframe_v2.PREFIX

    def add_task(self, task: dict[str, Any]) -> None:
        # Stored as given (not copied) so a test can watch its own dict progress.
        if not isinstance(task.get("task_id"), str):
            raise ValueError("task needs a string task_id")
        with self._lock:
            self.apiframe_tasks[task["task_id"]] = task

    def seed_many_accounts(
        self, accounts: int, jobs: int, *, token: str = DEMO_USEAPI_TOKEN
    ) -> list[str]:
        """Replace `token`'s accounts with `accounts` of them and `jobs` running jobs spread
        round-robin over them; returns the channels in the order useapi.net lists them."""
        channels = [str(1_300_000_000_000_000_000 + n * 7_919) for n in range(accounts)]
        seeded = {
            channel: {
                "channel": channel,
                "discord": "MTI...xYz",
                "server": str(1_250_000_000_000_000_000 + n),
                "maxJobs": 3,
            }
            for n, channel in enumerate(channels)
        }
        running = [
            _job_id(f"2026112209{n:07d}", channels[n % accounts])
            for n in range(jobs if channels else 0)
        ]
        with self._lock:
            self.useapi_tokens.add(token)
            self.useapi_accounts[token] = seeded
            self.useapi_jobs[token] = running
        return channels

    def set_fault(
        self,
        kind: str,
        *,
        token: str | None = None,
        path: str | None = None,
        times: int | None = None,
    ) -> None:
        """Answer matching calls with a fault; `times` limits it to the next N matching calls
        (then the rule is spent and older rules, or the normal answer, apply again)."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {sorted(FAULT_KINDS)}")
        if times is not None and times < 1:
            raise ValueError("times must be at least 1")
        with self._lock:
            self._faults.append(_Fault(kind, token, path, times))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def requests_to(self, path: str) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def open_connections(self) -> int:
        """Client connections the fake is serving now, idle keep-alive ones included."""
        with self._lock:
            return len(self._connections)

    def dribbling(self) -> int:
        """Answers being dribbled now: each ends when its client hangs up."""
        with self._lock:
            return self._dribbling

    def _count_dribble(self, change: int) -> None:
        with self._lock:
            self._dribbling += change

    @property
    def offsite_base_url(self) -> str:
        """The other host that "offsite-redirect" sends clients to; started on first use."""
        with self._lock:
            if self._offsite is None:
                self._offsite = self._start_offsite()
            host, port = self._offsite.server_address[:2]
        # 127.0.0.0/8 is all loopback on Linux; elsewhere only 127.0.0.1 may exist, and
        # "localhost" is then the other host (a different name and port to any client).
        return f"http://{'localhost' if host == '127.0.0.1' else host}:{port}"

    def _start_offsite(self) -> _Server:
        other = "127.0.0.3" if self.host == "127.0.0.2" else "127.0.0.2"
        try:
            server = _Server((other, 0), self, _OffsiteHandler)
        except OSError:
            server = _Server(("127.0.0.1", 0), self, _OffsiteHandler)
        thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-upstream-offsite",
            daemon=True,
        )
        thread.start()
        return server

    # -- request handling (called from handler threads) --------------------------------------

    def _track(self, conn: socket.socket, open_: bool) -> None:
        with self._lock:
            if open_:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    def _record(self, rec: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(rec)

    def _record_offsite(self, rec: RecordedRequest) -> None:
        with self._lock:
            self.offsite_requests.append(rec)

    def _matching_fault(self, credential: str | None, path: str) -> str | None:
        with self._lock:
            for fault in reversed(self._faults):  # latest matching rule wins
                if fault.token is not None and fault.token != credential:
                    continue
                if fault.path is not None and not _path_matches(fault.path, path):
                    continue
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times == 0:
                        self._faults.remove(fault)
                return fault.kind
        return None

    def _handle(self, rec: RecordedRequest) -> _Response:
        if rec.path.startswith("/_fake/"):
            return self._control(rec)
        self._record(rec)
        if rec.path.startswith("/images/"):
            if rec.method == "GET" and rec.path.endswith(".png"):
                headers = {"Cache-Control": "max-age=3600", "Access-Control-Allow-Origin": "*"}
                return _Response(200, png_for(rec.path), "image/png", headers)
            return _Response(404, b"not found", "text/plain")
        if self.latency > 0:
            time.sleep(self.latency)
        is_useapi = rec.path == "/v2" or rec.path.startswith("/v2/")
        is_v2 = fake_apiframe_v2.is_v2_path(rec.path)  # Apiframe's v2, under its own prefix
        is_legnext = fake_legnext.is_legnext_path(rec.path)
        is_proxy = fake_midjourney_proxy.is_proxy_path(rec.path)
        auth = rec.headers.get("authorization")
        if is_proxy:
            # trueai-org's proxy reads Authorization first, else mj-api-secret (raw tokens).
            credential = auth or rec.headers.get("mj-api-secret")
        elif is_useapi:
            credential = auth[7:] if auth and auth.startswith("Bearer ") else None
        elif is_v2 or is_legnext:
            credential = rec.headers.get("x-api-key")
        else:
            credential = self._apiframe_credential(auth)
        fault = self._matching_fault(credential, rec.path)
        rec.fault = fault
        if fault == "slow":
            time.sleep(self.slow_seconds)
        elif fault == "offsite-redirect":
            target = f"{self.offsite_base_url}{rec.path}" + (f"?{rec.query}" if rec.query else "")
            return _Response(302, headers={"Location": target})
        elif fault == "echo-key":
            said = f"Invalid request for key {credential}: check your plan"
            body = {"error": said, "code": 400} if is_useapi else {"errors": [{"msg": said}]}
            if is_legnext:
                body = {"error": {"code": 400, "message": said}}
            return _json(400, {"error": said} if is_v2 else body)
        elif fault == "429-retry":
            body = _USEAPI_429 if is_useapi else _APIFRAME_429
            response = _json(429, fake_apiframe_v2.FAULT_BODIES["429"][1] if is_v2 else body)
            response.headers["Retry-After"] = str(self.retry_after_seconds)
            return response
        elif is_useapi and fault in fake_useapi_writes.FAULTS:
            response = _json(*fake_useapi_writes.fault_answer(self, fault, rec, credential))
            if response.status == 429:
                # As the other 429s: far past any page's deadline (useapi documents none).
                response.headers["Retry-After"] = "99999"
            return response
        elif fault == "596":
            pass  # useapi.net's own status: Apiframe's calls answer as usual
        elif is_legnext and fault in fake_legnext.FAULT_BODIES:
            # The same status and headers as Apiframe's, with Legnext's own error body.
            response = _fault_response(fault, rec.path, is_useapi)
            response.body = json.dumps(fake_legnext.FAULT_BODIES[fault][1]).encode()
            return response
        elif is_v2 and fault in fake_apiframe_v2.FAULT_BODIES:
            # The same status and headers as v1's, with v2's own error body.
            response = _fault_response(fault, rec.path, is_useapi)
            response.body = json.dumps(fake_apiframe_v2.FAULT_BODIES[fault][1]).encode()
            return response
        elif fault is not None and fault not in _SPOILED_ANSWERS:
            return _fault_response(fault, rec.path, is_useapi)
        if is_proxy:
            response = self._mj_proxy(rec, credential)
        elif is_legnext:
            response = self._legnext(rec, credential)
        elif is_v2:
            response = self._apiframe_v2(rec, credential)
        elif is_useapi:
            response = self._useapi(rec, credential)
        else:
            response = self._apiframe(rec, credential)
        if fault == "dribble":
            response.drip = self.dribble_seconds
        elif fault == "reset":
            # Half of it (at least a byte, never all of it), so the break is mid-body.
            response.reset_after = max(1, len(response.body) // 2)
        elif fault == "nan" and response.status == 200:
            payload = _with_non_finite(json.loads(response.body))
            response.body = json.dumps(payload, allow_nan=True).encode()
        return response

    def _useapi(self, rec: RecordedRequest, token: str | None) -> _Response:
        if token is None or token not in self.useapi_tokens:
            return _json(401, _USEAPI_401)
        written = fake_useapi_writes.handle(self, rec, token)
        if written is not None:
            status, payload = written
            return _Response(status) if payload is None else _json(status, payload)
        if rec.method != "GET":
            return _json(405, {"error": "Method not supported by the fake", "code": 405})
        if rec.path == "/v2/jobs":
            return _json(200, list(self.useapi_jobs.get(token, [])))
        prefix = "/v2/account/midjourney"
        if rec.path == prefix or rec.path.startswith(prefix + "/"):
            accounts = self.useapi_accounts.get(token)
            if accounts is None:
                return _json(404, _USEAPI_404)
            channel = rec.path[len(prefix) + 1 :]
            if not channel:
                return _json(200, accounts)
            if "/" not in channel and channel in accounts:
                return _json(200, accounts[channel])
            return _json(
                404, {"error": "Configuration not found for provided channel", "code": 404}
            )
        return _json(404, {"error": "Not found", "code": 404})

    def _apiframe_credential(self, auth: str | None) -> str | None:
        """The key in v1's Authorization header, if it came in the scheme the fake wants (a
        key in the other scheme is no key: 401 `{}`, as the vendor documents)."""
        if self.apiframe_auth_scheme == "bearer":
            return auth[7:] if auth and auth.startswith("Bearer ") else None
        return auth

    def _apiframe_v2(self, rec: RecordedRequest, key: str | None) -> _Response:
        with self._lock:
            self.apiframe_v2.steps_to_finish = self.steps_to_finish
            status, payload, headers = self.apiframe_v2.handle(rec.method, rec.path, rec.query, key)
        response = _json(status, payload)
        response.headers.update(headers)
        return response

    def _mj_proxy(self, rec: RecordedRequest, token: str | None) -> _Response:
        with self._lock:
            self.mj_proxy.steps_to_finish = self.steps_to_finish
            answer = self.mj_proxy.handle(rec.method, rec.path, token, rec.body)
        status, payload, headers = answer
        if payload is None:
            response = _Response(status)
        elif isinstance(payload, str):
            response = _Response(status, payload.encode(), "text/plain; charset=utf-8")
        else:
            response = _json(status, payload)
        response.headers.update(headers)
        return response

    def _legnext(self, rec: RecordedRequest, key: str | None) -> _Response:
        with self._lock:
            self.legnext.steps_to_finish = self.steps_to_finish
            status, payload, headers = self.legnext.handle(rec.method, rec.path, key)
        response = _json(status, payload)
        response.headers.update(headers)
        return response

    def _apiframe(self, rec: RecordedRequest, key: str | None) -> _Response:
        if key is None or key not in self.apiframe_keys:
            return _json(401, {})
        if rec.method == "GET" and rec.path == "/account":
            return _json(200, fake_apiframe_v2.v1_account(self.apiframe_account_shape))
        if rec.method == "POST" and rec.path == "/fetch-many":
            return self._fetch_many(rec)
        if rec.method == "POST" and rec.path == "/fetch":
            data = rec.json()
            task_id = data.get("task_id") if isinstance(data, dict) else None
            if not isinstance(task_id, str) or not task_id:
                return _json(400, {"errors": [{"msg": "task_id is required"}]})
            with self._lock:
                task = self.apiframe_tasks.get(task_id)
                if task is None:
                    status = self.fetch_unknown_status
                    return _json(status, {"errors": [{"msg": "Task not found"}]})
                return _json(200, self._deliver(task))
        return _json(404, {"errors": [{"msg": "Not found"}]})

    def _fetch_many(self, rec: RecordedRequest) -> _Response:
        data = rec.json()
        ids = data.get("task_ids") if isinstance(data, dict) else None
        if (
            not isinstance(ids, list)
            or not all(isinstance(i, str) for i in ids)
            or not 2 <= len(ids) <= 20
        ):
            return _json(400, _FETCH_MANY_400)
        unique = list(dict.fromkeys(ids))
        if self.result_order == "reversed":
            unique.reverse()
        elif self.result_order == "shuffled":
            random.shuffle(unique)
        tasks: list[dict[str, Any]] = []
        with self._lock:
            for task_id in unique:
                task = self.apiframe_tasks.get(task_id)
                if task is not None:
                    tasks.append(self._deliver(task))
                elif self.unknown_task_mode == "failed":
                    tasks.append(
                        {"task_id": task_id, "status": "failed", "message": "Task not found"}
                    )
        return _json(200, {"tasks": tasks})

    def _deliver(self, task: dict[str, Any]) -> dict[str, Any]:
        self._advance(task)
        delivered = {k: copy.deepcopy(v) for k, v in task.items() if not str(k).startswith("_")}
        if self.ids_in_upper_case:
            delivered["task_id"] = delivered["task_id"].upper()
        return delivered

    def _advance(self, task: dict[str, Any]) -> None:
        # Only opted-in tasks move, so a test can pin any status it needs.
        if not task.get("_progresses") or task.get("status") not in NON_TERMINAL:
            return
        steps = max(1, self.steps_to_finish)
        returned = int(task.get("_returned", 0)) + 1
        task["_returned"] = returned
        if returned >= steps:
            task["status"] = "finished"
            task["percentage"] = 100  # a number once finished, as the vendor does
            task.update(
                _result_fields(task["task_id"], str(task.get("task_type")), self.image_base)
            )
        elif task["status"] != "processing":
            task["status"] = "processing"
            task["percentage"] = "10"
        else:
            try:
                current = int(str(task.get("percentage", "0")))
            except ValueError:
                current = 0
            task["percentage"] = str(min(99, current + round(100 / steps)))

    def _set_apiframe_knobs(self, data: Any) -> _Response:
        """{"auth_scheme": "raw"|"bearer", "account_shape": one of ACCOUNT_SHAPES}, either."""
        choices = {
            "auth_scheme": APIFRAME_AUTH_SCHEMES,
            "account_shape": fake_apiframe_v2.ACCOUNT_SHAPES,
        }
        if not isinstance(data, dict) or not data or set(data) - set(choices):
            return _json(400, {"error": f"body must be a JSON object of {sorted(choices)}"})
        for name, value in data.items():
            if value not in choices[name]:
                return _json(400, {"error": f"{name} must be one of {list(choices[name])}"})
        with self._lock:
            self.apiframe_auth_scheme = data.get("auth_scheme", self.apiframe_auth_scheme)
            self.apiframe_account_shape = data.get("account_shape", self.apiframe_account_shape)
        return _Response(204)

    def _control(self, rec: RecordedRequest) -> _Response:
        if rec.path == "/_fake/faults" and rec.method == "POST":
            data = rec.json()
            if not isinstance(data, dict):
                return _json(400, {"error": "body must be a JSON object"})
            kind, token, path = data.get("kind"), data.get("token"), data.get("path")
            times = data.get("times")
            if not all(v is None or isinstance(v, str) for v in (token, path)):
                return _json(400, {"error": "token and path must be strings or null"})
            if times is not None and (isinstance(times, bool) or not isinstance(times, int)):
                return _json(400, {"error": "times must be a whole number or null"})
            try:
                self.set_fault(str(kind), token=token, path=path, times=times)
            except ValueError as exc:
                return _json(400, {"error": str(exc)})
            return _Response(204)
        if rec.path == "/_fake/faults" and rec.method == "DELETE":
            self.clear_faults()
            return _Response(204)
        if rec.path == "/_fake/apiframe" and rec.method == "POST":
            return self._set_apiframe_knobs(rec.json())
        if rec.path == "/_fake/reset" and rec.method == "POST":
            self.reset()
            return _Response(204)
        if rec.path == "/_fake/requests" and rec.method == "GET":
            with self._lock:
                recorded = list(self.requests)
            return _json(200, [_describe(r) for r in recorded])
        return _json(404, {"error": "unknown control endpoint"})


def _describe(rec: RecordedRequest) -> dict[str, Any]:
    # Never echo a credential in full: the demo's request log may end up in a screenshot.
    auth = rec.headers.get("authorization")
    body = rec.json()
    entry: dict[str, Any] = {
        "method": rec.method,
        "path": rec.path,
        "query": rec.query,
        "authorization": _mask(auth) if auth is not None else None,
        "x_api_key": _mask(rec.headers["x-api-key"]) if "x-api-key" in rec.headers else None,
        "body_length": len(rec.body),
    }
    for key in ("task_id", "task_ids"):
        if isinstance(body, dict) and key in body:
            entry[key] = body[key]
    return entry


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so pooled clients are exercised for real
    # Headers and body leave in one write (handle_one_request flushes), and no Nagle: otherwise
    # delayed ACKs add ~40 ms to every keep-alive round trip.
    wbufsize = 64 * 1024
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, *args: Any) -> None:
        pass  # tests and demos do not want a line per request on stderr

    def setup(self) -> None:
        super().setup()
        self.server.fake._track(self.connection, True)

    def finish(self) -> None:
        self.server.fake._track(self.connection, False)
        super().finish()

    def do_GET(self) -> None:
        self._dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _dispatch(self) -> None:
        path, _, query = self.path.partition("?")
        try:
            body = self._read_body()
        except ValueError:
            self.close_connection = True  # framing is lost; do not reuse this connection
            self._send(_json(400, {"error": "unreadable request body"}))
            return
        headers = {name.lower(): value for name, value in self.headers.items()}
        rec = RecordedRequest(self.command, path, query, headers, body)
        try:
            response = self.server.fake._handle(rec)
        except Exception as exc:  # a bug in the fake must not look like a dead server
            print(f"fake upstream: error handling {self.command} {path}: {exc!r}", file=sys.stderr)
            response = _json(500, {"error": "fake upstream crashed"})
        self._send(response)

    def _send(self, response: _Response) -> None:
        self.send_response(response.status)
        if response.content_type and response.body:
            self.send_header("Content-Type", response.content_type)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if response.status != 204:  # RFC 9110: no Content-Length on 204
            self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if response.drip > 0:
            self._drip(response.body, response.drip)
        elif response.reset_after is not None:
            self._reset(response.body[: response.reset_after])
        elif response.body:
            self.wfile.write(response.body)

    def _drip(self, body: bytes, seconds_per_byte: float) -> None:
        # The headers at once, so only the body is slow; then a byte at a time until the client
        # leaves (a client that gives up must not keep this thread for the rest of the body).
        self.close_connection = True
        self.server.fake._count_dribble(+1)
        try:
            self.wfile.flush()
            for byte in body:
                if self._client_left_within(seconds_per_byte):
                    return
                self.wfile.write(bytes((byte,)))
                self.wfile.flush()
        except OSError:
            return
        finally:
            self.server.fake._count_dribble(-1)

    def _client_left_within(self, seconds: float) -> bool:
        readable, _, _ = select.select([self.connection], [], [], seconds)
        if not readable:
            return False
        try:
            still_there = self.connection.recv(1, socket.MSG_PEEK)
        except OSError:
            return True
        if still_there:  # it sent something (another request); that is no reason to hurry
            time.sleep(seconds)
        return not still_there

    def _reset(self, part: bytes) -> None:
        # Part of the body, then RST instead of FIN (linger on, zero seconds): the client's next
        # read fails with ECONNRESET instead of seeing a clean (if short) end.
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.wfile.write(part)
            self.wfile.flush()
            time.sleep(0.05)  # let the part arrive first, so the break is mid-body
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        # The socket really closes (and sends the RST) only once its file objects are closed
        # too; left to socketserver, it would be shut down with a FIN first. What the handler
        # still flushes and closes afterwards goes nowhere.
        self.connection.close()
        self.rfile.close()
        self.wfile.close()
        self.wfile = io.BytesIO()


class _OffsiteHandler(BaseHTTPRequestHandler):
    """The other host of "offsite-redirect": records whatever arrives, answers `{}`."""

    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        path, _, query = self.path.partition("?")
        headers = {name.lower(): value for name, value in self.headers.items()}
        self.server.fake._record_offsite(RecordedRequest(self.command, path, query, headers, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    # Once bound, an AF_INET socket's own name: (host, port). The stubs allow any address form.
    server_address: tuple[str, int]

    def __init__(
        self,
        address: tuple[str, int],
        fake: FakeUpstream,
        handler: type[BaseHTTPRequestHandler] = _Handler,
    ) -> None:
        self.fake = fake
        super().__init__(address, handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that give up (size caps, timeouts, stop()) are expected, not errors.
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)


# -- command line ------------------------------------------------------------------------------


def _control_call(host: str, port: int, method: str, path: str, payload: Any = None) -> bytes:
    data = json.dumps(payload).encode() if payload is not None else None
    request = urllib.request.Request(f"http://{host}:{port}{path}", data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    # The URL is always http:// built above, so urlopen's file:/custom-scheme risk does not apply.
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.read()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.fakes.fake_vendors",
        description="Fake useapi.net + Apiframe server, or control a running one.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--steps", type=int, default=3, help="fetches until a task finishes")
    parser.add_argument("--serve-images", action="store_true", help="image URLs point here")
    parser.add_argument(
        "--apiframe-auth-scheme",
        choices=APIFRAME_AUTH_SCHEMES,
        default="raw",
        help="Apiframe v1's Authorization header: the raw key (documented) or Bearer <key>",
    )
    commands = parser.add_subparsers(dest="command")
    # SUPPRESS so a subcommand's own --host/--port do not overwrite ones given before it.
    address = argparse.ArgumentParser(add_help=False)
    address.add_argument("--host", default=argparse.SUPPRESS)
    address.add_argument("--port", type=int, default=argparse.SUPPRESS)
    fault = commands.add_parser(
        "fault",
        parents=[address],
        help="add a fault rule",
        description="Make matching calls misbehave. Faults add up; the newest matching wins.",
        epilog="kinds:\n" + "\n".join(f"  {kind:<17} {what}" for kind, what in FAULT_HELP.items()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    fault.add_argument(
        "kind", choices=list(FAULT_HELP), metavar="kind", help="one of the kinds below"
    )
    fault.add_argument("--token", help="only calls with this key")
    fault.add_argument("--path", help="only this path (whole segments), e.g. /v2/jobs")
    fault.add_argument("--times", type=int, help="only the next N matching calls")
    commands.add_parser("clear", parents=[address], help="clear all fault rules")
    commands.add_parser("reset", parents=[address], help="restore seeded data")
    commands.add_parser("requests", parents=[address], help="print recorded requests")
    apiframe = commands.add_parser(
        "apiframe",
        parents=[address],
        help="switch Apiframe's auth scheme or account shape",
        description="Switch how a running fake speaks Apiframe (until it is reset).",
    )
    apiframe.add_argument("--auth-scheme", choices=APIFRAME_AUTH_SCHEMES)
    apiframe.add_argument("--account-shape", choices=fake_apiframe_v2.ACCOUNT_SHAPES)
    args = parser.parse_args(argv)

    if args.command is not None:
        calls: dict[str, tuple[str, str, Any]] = {
            "fault": ("POST", "/_fake/faults", {"kind": getattr(args, "kind", None)}),
            "clear": ("DELETE", "/_fake/faults", None),
            "reset": ("POST", "/_fake/reset", None),
            "requests": ("GET", "/_fake/requests", None),
            "apiframe": ("POST", "/_fake/apiframe", {}),
        }
        method, path, payload = calls[args.command]
        if args.command == "fault":
            payload |= {"token": args.token, "path": args.path, "times": args.times}
        if args.command == "apiframe":
            knobs = {"auth_scheme": args.auth_scheme, "account_shape": args.account_shape}
            payload = {name: value for name, value in knobs.items() if value is not None}
            if not payload:
                parser.error("apiframe: give --auth-scheme, --account-shape or both")
        try:
            output = _control_call(args.host, args.port, method, path, payload)
        except (urllib.error.URLError, OSError) as exc:
            print(f"cannot reach fake upstream on {args.host}:{args.port}: {exc}", file=sys.stderr)
            return 1
        print(output.decode() if output else "ok")
        return 0

    fake = FakeUpstream(
        args.host,
        args.port,
        latency=args.latency,
        steps_to_finish=args.steps,
        apiframe_auth_scheme=args.apiframe_auth_scheme,
    )
    fake.start()
    if args.serve_images:
        # Known only once bound (port 0 picks one); reseed so the tasks' URLs point here.
        fake.image_base_url = f"{fake.base_url}/images"
        fake.reset()
    stop = threading.Event()
    # SIGINT too: a shell starts background jobs (`make demo`) with Ctrl-C ignored.
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    print(f"fake upstream on {fake.base_url}", flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
