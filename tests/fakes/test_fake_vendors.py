"""The fake upstream itself: if it drifts from the vendor contracts, every client test lies."""

from __future__ import annotations

import contextlib
import http.client
import json
import struct
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.fakes.fake_vendors import (
    DEMO_APIFRAME_KEY,
    DEMO_USEAPI_TOKEN,
    EMPTY_USEAPI_TOKEN,
    PROGRESSING_TASK_IDS,
    SEEDED_TASK_IDS,
    UNKNOWN_TASK_ID,
    FakeUpstream,
    _seed_jobs,
    main,
)

BEARER = {"Authorization": f"Bearer {DEMO_USEAPI_TOKEN}"}
RAW_KEY = {"Authorization": DEMO_APIFRAME_KEY}
ACCOUNTS = "/v2/account/midjourney"
FINISHED_IMAGINE, PENDING = SEEDED_TASK_IDS[0], SEEDED_TASK_IDS[1]


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def call(
    fake: FakeUpstream,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: Any = None,
    raw: bytes | None = None,
    conn: http.client.HTTPConnection | None = None,
) -> Reply:
    url = urlsplit(fake.base_url)
    connection = conn or http.client.HTTPConnection(url.hostname or "", url.port, timeout=10)
    data = raw if raw is not None else None if body is None else json.dumps(body).encode()
    sent = ({"Content-Type": "application/json"} if data is not None else {}) | (headers or {})
    try:
        connection.request(method, path, body=data, headers=sent)
        response = connection.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        if conn is None:
            connection.close()


def fetch_many(fake: FakeUpstream, ids: list[str]) -> Reply:
    return call(fake, "POST", "/fetch-many", headers=RAW_KEY, body={"task_ids": ids})


def fetch(fake: FakeUpstream, task_id: str) -> Reply:
    return call(fake, "POST", "/fetch", headers=RAW_KEY, body={"task_id": task_id})


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": DEMO_USEAPI_TOKEN}, {"Authorization": "Bearer user:9-unknown"}],
    ids=["missing", "no-bearer", "unknown"],
)
@pytest.mark.parametrize("path", [ACCOUNTS, "/v2/jobs"])
def test_useapi_wants_a_known_bearer_token(
    fake: FakeUpstream, headers: dict[str, str], path: str
) -> None:
    reply = call(fake, "GET", path, headers=headers)
    assert (reply.status, reply.json()) == (401, {"error": "Unauthorized", "code": 401})
    assert reply.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": f"Bearer {DEMO_APIFRAME_KEY}"}, {"Authorization": "af_other"}],
    ids=["missing", "bearer", "unknown"],
)
def test_apiframe_wants_the_raw_key(fake: FakeUpstream, headers: dict[str, str]) -> None:
    reply = call(fake, "POST", "/fetch-many", headers=headers, body={"task_ids": SEEDED_TASK_IDS})
    assert (reply.status, reply.json()) == (401, {})
    assert fetch_many(fake, SEEDED_TASK_IDS[:2]).status == 200


def test_account_map_is_seeded_like_the_vendor(fake: FakeUpstream) -> None:
    reply = call(fake, "GET", ACCOUNTS, headers=BEARER)
    assert reply.status == 200
    accounts = reply.json()
    assert len(accounts) == 4
    assert all(
        len(key) == 19 and key.isdigit() and a["channel"] == key for key, a in accounts.items()
    )
    assert sorted(a["maxJobs"] for a in accounts.values()) == [1, 3, 12, 15]
    held = [a for a in accounts.values() if "pendingModMessage" in a]
    assert [a["maxJobs"] for a in held] == [1]
    assert [a["maxJobs"] for a in accounts.values() if "server" not in a] == [15]
    # One discord token arrives whole (older revisions), the others already redacted.
    assert sorted(len(a["discord"]) for a in accounts.values())[-1] == 72
    assert sum("..." in a["discord"] for a in accounts.values()) == 3


def test_account_map_404_until_configured(fake: FakeUpstream) -> None:
    empty = {"Authorization": f"Bearer {EMPTY_USEAPI_TOKEN}"}
    reply = call(fake, "GET", ACCOUNTS, headers=empty)
    assert reply.status == 404
    assert reply.json()["code"] == 404
    assert reply.json()["error"].startswith("Configuration not found")
    fake.useapi_accounts[EMPTY_USEAPI_TOKEN] = {}
    reply = call(fake, "GET", ACCOUNTS, headers=empty)
    assert (reply.status, reply.json()) == (200, {})


def test_one_channel_and_unknown_channel(fake: FakeUpstream) -> None:
    channel = next(iter(fake.useapi_accounts[DEMO_USEAPI_TOKEN]))
    reply = call(fake, "GET", f"{ACCOUNTS}/{channel}", headers=BEARER)
    assert (reply.status, reply.json()["channel"]) == (200, channel)
    reply = call(fake, "GET", f"{ACCOUNTS}/1111111111111111111", headers=BEARER)
    assert reply.status == 404
    assert reply.json() == {"error": "Configuration not found for provided channel", "code": 404}


def test_jobs_are_spread_unevenly_over_channels(fake: FakeUpstream) -> None:
    jobs = call(fake, "GET", "/v2/jobs", headers=BEARER).json()
    per_channel = Counter(job.split("-channel:")[1] for job in jobs)
    accounts = fake.useapi_accounts[DEMO_USEAPI_TOKEN]
    running_vs_max = sorted((per_channel[c], a["maxJobs"]) for c, a in accounts.items())
    assert running_vs_max == [(0, 1), (1, 12), (2, 3), (3, 15)]
    empty = {"Authorization": f"Bearer {EMPTY_USEAPI_TOKEN}"}
    assert call(fake, "GET", "/v2/jobs", headers=empty).json() == []


@pytest.mark.parametrize(
    "raw",
    [
        json.dumps({"task_ids": [PENDING]}).encode(),
        json.dumps({"task_ids": [f"id-{n}" for n in range(21)]}).encode(),
        json.dumps({"task_ids": PENDING}).encode(),
        json.dumps({"task_ids": [1, 2]}).encode(),
        b"task_ids=a,b",
    ],
    ids=["one", "twenty-one", "not-a-list", "not-strings", "not-json"],
)
def test_fetch_many_rejects_bad_requests(fake: FakeUpstream, raw: bytes) -> None:
    reply = call(fake, "POST", "/fetch-many", headers=RAW_KEY, raw=raw)
    assert reply.status == 400
    assert reply.json() == {"errors": [{"msg": "task_ids must be an array of 2 to 20 task ids"}]}


def test_fetch_many_reverses_dedups_and_hides_private_keys(fake: FakeUpstream) -> None:
    first, second = SEEDED_TASK_IDS[6], SEEDED_TASK_IDS[7]
    tasks = fetch_many(fake, [first, second, first]).json()["tasks"]
    assert [t["task_id"] for t in tasks] == [second, first]
    fake.result_order = "asked"
    tasks = fetch_many(fake, [first, second, PENDING]).json()["tasks"]
    assert [t["task_id"] for t in tasks] == [first, second, PENDING]
    assert not any(key.startswith("_") for task in tasks for key in task)


def test_unknown_ids_are_omitted_or_failed(fake: FakeUpstream) -> None:
    ids = [FINISHED_IMAGINE, UNKNOWN_TASK_ID]
    assert [t["task_id"] for t in fetch_many(fake, ids).json()["tasks"]] == [FINISHED_IMAGINE]
    fake.unknown_task_mode = "failed"
    tasks = fetch_many(fake, ids).json()["tasks"]
    assert tasks[0] == {"task_id": UNKNOWN_TASK_ID, "status": "failed", "message": "Task not found"}


def test_fetch_one_task(fake: FakeUpstream) -> None:
    reply = fetch(fake, FINISHED_IMAGINE)
    assert (reply.status, reply.json()["task_id"]) == (200, FINISHED_IMAGINE)
    reply = fetch(fake, UNKNOWN_TASK_ID)
    assert (reply.status, reply.json()) == (404, {"errors": [{"msg": "Task not found"}]})
    reply = call(fake, "POST", "/fetch", headers=RAW_KEY, body={"id": FINISHED_IMAGINE})
    assert (reply.status, reply.json()) == (400, {"errors": [{"msg": "task_id is required"}]})


def test_marked_tasks_progress_to_finished_and_pinned_ones_do_not(fake: FakeUpstream) -> None:
    assert PENDING in PROGRESSING_TASK_IDS
    pinned = {
        "task_id": "pinned",
        "task_type": "imagine",
        "status": "processing",
        "percentage": "40",
    }
    fake.add_task(pinned)
    seen = [fetch(fake, PENDING).json() for _ in range(3)]
    assert [t["status"] for t in seen] == ["processing", "processing", "finished"]
    assert seen[0]["percentage"] == "10"
    assert isinstance(seen[1]["percentage"], str) and int(seen[1]["percentage"]) > 10
    done = seen[2]
    assert done["percentage"] == 100
    image_base = f"https://cdn.apiframe-fake.example/images/{PENDING}"
    assert done["original_image_url"] == f"{image_base}/grid.png"
    assert done["image_urls"] == [f"{image_base}/{n}.png" for n in range(1, 5)]
    assert fetch(fake, PENDING).json() == done
    for _ in range(4):
        assert fetch_many(fake, ["pinned", UNKNOWN_TASK_ID]).json()["tasks"] == [pinned]


def test_seed_covers_every_status_and_task_family(fake: FakeUpstream) -> None:
    tasks = list(fake.apiframe_tasks.values())
    assert [t["task_id"] for t in tasks] == SEEDED_TASK_IDS
    assert UNKNOWN_TASK_ID not in fake.apiframe_tasks
    statuses = {t.get("status") for t in tasks}
    assert statuses >= {"pending", "staged", "starting", "processing", "retrying"}
    assert statuses >= {"finished", "failed", None}
    types = {t["task_type"] for t in tasks}
    assert types >= {"imagine", "variation-1", "reroll", "blend", "upscale#1", "upscale-creative"}
    assert types >= {"upscale-2x", "seed", "describe", "imagine-video", "luma"}
    processing = next(t for t in tasks if t.get("status") == "processing")
    assert processing["percentage"] == "40"
    failed = [t for t in tasks if t.get("status") == "failed"]
    assert {"message", "error"} <= {key for t in failed for key in t}
    no_status = next(t for t in tasks if "status" not in t)
    assert len(no_status["image_urls"]) == 4 and "original_image_url" in no_status
    by_type = {t["task_type"]: t for t in tasks if t.get("status") == "finished"}
    assert by_type["seed"]["seed"] == "3620198521"
    assert len(by_type["imagine-video"]["video_urls"]) == 2
    assert by_type["luma"]["video_url"].endswith(".mp4")
    assert by_type["upscale-2x"]["image_url"].endswith(".png")


USEAPI_404 = {
    "error": "Configuration not found. To create configuration use POST account/midjourney.",
    "code": 404,
}
USEAPI_402 = {"error": "Account has no subscription or subscription expired", "code": 402}
APIFRAME_400 = {"errors": [{"msg": "Invalid request"}, {"msg": "task_ids must be an array"}]}


@pytest.mark.parametrize(
    ("kind", "path", "status", "body"),
    [
        ("401", ACCOUNTS, 401, {"error": "Unauthorized", "code": 401}),
        ("401", "/fetch-many", 401, {}),
        ("402", "/v2/jobs", 402, USEAPI_402),
        ("404", ACCOUNTS, 404, USEAPI_404),
        ("404", "/fetch", 404, {"errors": [{"msg": "Not found"}]}),
        ("400", ACCOUNTS, 400, {"error": "Required param is missing", "code": 400}),
        ("400", "/fetch-many", 400, APIFRAME_400),
        ("500", "/fetch-many", 500, {}),
        ("503", "/v2/jobs", 503, {"error": "Service unavailable", "code": 503}),
        ("bad-shape", ACCOUNTS, 200, ["not", "a", "map"]),
        ("bad-shape", "/v2/jobs", 200, {"jobs": "nope"}),
        ("bad-shape", "/fetch-many", 200, {"tasks": "nope"}),
        ("bad-shape", "/fetch", 200, [1, 2]),
    ],
)
def test_json_faults(fake: FakeUpstream, kind: str, path: str, status: int, body: Any) -> None:
    fake.set_fault(kind)
    if path.startswith("/v2/"):
        reply = call(fake, "GET", path, headers=BEARER)
    else:
        reply = call(fake, "POST", path, headers=RAW_KEY, body={"task_ids": SEEDED_TASK_IDS[:2]})
    assert (reply.status, reply.json()) == (status, body)
    assert reply.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("kind", "status", "marker"),
    [("502", 502, b"502 Bad Gateway"), ("non-json", 200, b"Cloudflare says hi")],
)
def test_html_faults(fake: FakeUpstream, kind: str, status: int, marker: bytes) -> None:
    fake.set_fault(kind)
    reply = call(fake, "GET", ACCOUNTS, headers=BEARER)
    assert reply.status == status and marker in reply.body
    assert reply.headers["Content-Type"].startswith("text/html")


def test_empty_404_redirect_and_huge_faults(fake: FakeUpstream) -> None:
    fake.set_fault("404-empty")
    reply = call(fake, "GET", ACCOUNTS, headers=BEARER)
    assert (reply.status, reply.body, reply.headers["Content-Length"]) == (404, b"", "0")
    fake.set_fault("redirect")
    reply = call(fake, "GET", ACCOUNTS, headers=BEARER)
    assert (reply.status, reply.headers["Location"]) == (302, "http://127.0.0.1:1/elsewhere")
    fake.set_fault("huge")
    reply = call(fake, "POST", "/fetch-many", headers=RAW_KEY, body={"task_ids": []})
    assert reply.status == 200 and len(reply.body) > 12_000_000
    assert int(reply.headers["Content-Length"]) == len(reply.body)
    assert isinstance(reply.json(), dict)


def test_slow_fault_and_latency(fake: FakeUpstream) -> None:
    fake.slow_seconds = 0.3
    fake.set_fault("slow", path="/fetch")
    started = time.monotonic()
    assert fetch(fake, FINISHED_IMAGINE).status == 200
    assert time.monotonic() - started >= 0.3
    fake.clear_faults()
    fake.latency = 0.2
    started = time.monotonic()
    assert call(fake, "GET", "/v2/jobs", headers=BEARER).status == 200
    assert time.monotonic() - started >= 0.2
    fake.reset()
    assert fake.latency == 0.0 and fake.slow_seconds == 5.0


def test_faults_are_scoped_and_latest_wins(fake: FakeUpstream) -> None:
    with pytest.raises(ValueError):
        fake.set_fault("418")
    fake.set_fault("402", token=DEMO_USEAPI_TOKEN)
    assert call(fake, "GET", ACCOUNTS, headers=BEARER).status == 402
    empty = {"Authorization": f"Bearer {EMPTY_USEAPI_TOKEN}"}
    assert call(fake, "GET", ACCOUNTS, headers=empty).status == 404  # other token: untouched
    fake.set_fault("500", path="/v2/jobs")
    assert call(fake, "GET", "/v2/jobs", headers=BEARER).status == 500  # latest rule wins
    assert call(fake, "GET", ACCOUNTS, headers=BEARER).status == 402
    fake.set_fault("503", token=DEMO_APIFRAME_KEY)
    assert fetch(fake, FINISHED_IMAGINE).status == 503
    fake.set_fault("500")
    assert call(fake, "GET", "/images/x/1.png").status == 200  # images and control: no faults
    assert call(fake, "GET", "/_fake/requests").status == 200
    fake.clear_faults()
    assert call(fake, "GET", ACCOUNTS, headers=BEARER).status == 200


def test_requests_are_recorded(fake: FakeUpstream) -> None:
    call(fake, "GET", "/v2/jobs?limit=5", headers=BEARER | {"X-Trace": "t1"})
    fetch_many(fake, [PENDING, FINISHED_IMAGINE])
    call(fake, "GET", "/images/a/1.png")
    assert [(r.method, r.path) for r in fake.requests] == [
        ("GET", "/v2/jobs"),
        ("POST", "/fetch-many"),
        ("GET", "/images/a/1.png"),
    ]
    jobs = fake.requests_to("/v2/jobs")[0]
    assert jobs.query == "limit=5" and jobs.body == b"" and jobs.json() is None
    assert jobs.headers["authorization"] == f"Bearer {DEMO_USEAPI_TOKEN}"
    assert jobs.headers["x-trace"] == "t1"
    many = fake.requests_to("/fetch-many")[0]
    assert many.json() == {"task_ids": [PENDING, FINISHED_IMAGINE]}
    assert many.headers["authorization"] == DEMO_APIFRAME_KEY


def test_control_endpoints(fake: FakeUpstream) -> None:
    reply = call(fake, "POST", "/_fake/faults", body={"kind": "503", "token": None, "path": None})
    assert (reply.status, reply.body) == (204, b"")
    assert call(fake, "GET", ACCOUNTS, headers=BEARER).status == 503
    assert call(fake, "POST", "/_fake/faults", body={"kind": "teapot"}).status == 400
    assert call(fake, "DELETE", "/_fake/faults").status == 204
    assert call(fake, "GET", ACCOUNTS, headers=BEARER).status == 200
    fetch(fake, FINISHED_IMAGINE)
    logged = call(fake, "GET", "/_fake/requests")
    assert [(r["method"], r["path"]) for r in logged.json()] == [
        ("GET", ACCOUNTS),
        ("GET", ACCOUNTS),
        ("POST", "/fetch"),
    ]
    assert logged.json()[0]["authorization"] == "****0001"
    assert DEMO_USEAPI_TOKEN.encode() not in logged.body
    assert DEMO_APIFRAME_KEY.encode() not in logged.body
    fake.apiframe_tasks.clear()
    assert call(fake, "POST", "/_fake/reset").status == 204
    assert list(fake.apiframe_tasks) == SEEDED_TASK_IDS and fake.requests == []


def test_cli_switches_a_running_fake(
    fake: FakeUpstream, capsys: pytest.CaptureFixture[str]
) -> None:
    port = str(urlsplit(fake.base_url).port)
    assert main(["fault", "402", "--path", "/v2/", "--port", port]) == 0
    assert call(fake, "GET", "/v2/jobs", headers=BEARER).status == 402
    assert fetch(fake, FINISHED_IMAGINE).status == 200
    assert main(["clear", "--port", port]) == 0
    assert call(fake, "GET", "/v2/jobs", headers=BEARER).status == 200
    assert main(["reset", "--port", port]) == 0
    assert capsys.readouterr().out.split() == ["ok", "ok", "ok"]


def test_images_are_small_valid_pngs(fake: FakeUpstream) -> None:
    reply = call(fake, "GET", f"/images/{FINISHED_IMAGINE}/1.png")
    assert reply.status == 200 and reply.body.startswith(b"\x89PNG\r\n\x1a\n")
    assert reply.headers["Content-Type"] == "image/png"
    assert reply.headers["Cache-Control"] == "max-age=3600"
    assert reply.headers["Access-Control-Allow-Origin"] == "*"
    length, tag = struct.unpack(">I4s", reply.body[8:16])
    ihdr = reply.body[16 : 16 + length]
    assert tag == b"IHDR" and struct.unpack(">II", ihdr[:8]) == (96, 96)
    (crc,) = struct.unpack(">I", reply.body[16 + length : 20 + length])
    assert crc == zlib.crc32(tag + ihdr)
    assert call(fake, "GET", f"/images/{FINISHED_IMAGINE}/2.png").body != reply.body
    assert call(fake, "GET", f"/images/{FINISHED_IMAGINE}/1.mp4").status == 404


def test_keep_alive_connection_survives_every_kind_of_answer(fake: FakeUpstream) -> None:
    url = urlsplit(fake.base_url)
    conn = http.client.HTTPConnection(url.hostname or "", url.port, timeout=10)
    try:
        fake.set_fault("404-empty", path="/v2/jobs")
        statuses = [
            call(fake, "GET", ACCOUNTS, headers=BEARER, conn=conn).status,
            call(fake, "GET", "/v2/jobs", headers=BEARER, conn=conn).status,
            call(fake, "DELETE", "/_fake/faults", conn=conn).status,
            call(fake, "GET", "/images/k.png", conn=conn).status,
            call(
                fake,
                "POST",
                "/fetch-many",
                headers=RAW_KEY,
                body={"task_ids": ["a", "b"]},
                conn=conn,
            ).status,
            call(fake, "POST", "/fetch", headers=RAW_KEY, body={}, conn=conn).status,
            call(fake, "GET", "/v2/jobs", headers=BEARER, conn=conn).status,
        ]
    finally:
        conn.close()
    assert statuses == [200, 404, 204, 200, 200, 400, 200]


# -- faults that misbehave on the wire -----------------------------------------------------


@contextlib.contextmanager
def open_raw(
    fake: FakeUpstream, path: str, headers: dict[str, str]
) -> Iterator[http.client.HTTPResponse]:
    """The response with only its headers read: the body is the test's to read (or not)."""
    url = urlsplit(fake.base_url)
    connection = http.client.HTTPConnection(url.hostname or "", url.port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        yield connection.getresponse()
    finally:
        connection.close()


def wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    until = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > until:
            return False
        time.sleep(0.02)
    return True


def test_dribble_sends_headers_at_once_then_a_byte_a_second_until_the_client_leaves(
    fake: FakeUpstream,
) -> None:
    whole = call(fake, "GET", "/v2/jobs", headers=BEARER).body
    fake.set_fault("dribble", path="/v2/jobs")
    started = time.monotonic()
    with open_raw(fake, "/v2/jobs", BEARER) as response:
        assert time.monotonic() - started < 0.5  # only the body is slow
        assert (response.status, response.headers["Content-Length"]) == (200, str(len(whole)))
        assert response.read(2) == whole[:2]
        assert time.monotonic() - started >= 2.0  # 2 bytes, 1 s before each
        assert fake.dribbling() == 1
    assert wait_until(lambda: fake.dribbling() == 0, 1.0), "still dribbling to nobody"
    assert fake.requests[-1].fault == "dribble"


def test_dribble_delivers_the_whole_normal_answer_to_a_patient_client(fake: FakeUpstream) -> None:
    fake.dribble_seconds = 0.2
    fake.set_fault("dribble")
    started = time.monotonic()
    reply = call(fake, "GET", "/v2/jobs", headers={"Authorization": f"Bearer {EMPTY_USEAPI_TOKEN}"})
    assert (reply.status, reply.body) == (200, b"[]")
    assert time.monotonic() - started >= 0.4
    fake.reset()
    assert fake.dribble_seconds == 1.0


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (
            "/v2/jobs",
            {
                "error": "Too many requests, please slow down",
                # useapi's 429 lists the executing jobs (tests/fakes/test_fake_useapi_writes.py)
                "executingJobs": _seed_jobs(),
                "code": 429,
            },
        ),
        ("/fetch-many", {"errors": [{"msg": "Too many requests, please slow down"}]}),
    ],
)
def test_429_asks_to_come_back_in_99999_seconds(fake: FakeUpstream, path: str, body: Any) -> None:
    fake.set_fault("429")
    if path.startswith("/v2/"):
        reply = call(fake, "GET", path, headers=BEARER)
    else:
        reply = fetch_many(fake, SEEDED_TASK_IDS[:2])
    assert (reply.status, reply.headers["Retry-After"], reply.json()) == (429, "99999", body)


def test_html_500_is_an_html_error_page(fake: FakeUpstream) -> None:
    fake.set_fault("html-500")
    reply = fetch_many(fake, SEEDED_TASK_IDS[:2])
    assert reply.status == 500
    assert reply.headers["Content-Type"].startswith("text/html")
    assert b"<h1>Internal Server Error</h1>" in reply.body


def test_deep_json_is_valid_json_nested_100000_deep(fake: FakeUpstream) -> None:
    fake.set_fault("deep-json")
    reply = call(fake, "GET", ACCOUNTS, headers=BEARER)
    assert (reply.status, reply.headers["Content-Type"]) == (200, "application/json")
    assert reply.body == b"[" * 100_000 + b"]" * 100_000
    assert int(reply.headers["Content-Length"]) == 200_000
    with pytest.raises(RecursionError):
        json.loads(reply.body)


def test_reset_breaks_the_connection_in_the_middle_of_the_body(fake: FakeUpstream) -> None:
    whole = call(fake, "GET", "/v2/jobs", headers=BEARER).body
    fake.set_fault("reset", path="/v2/jobs")
    received = b""
    with open_raw(fake, "/v2/jobs", BEARER) as response:
        assert (response.status, response.headers["Content-Length"]) == (200, str(len(whole)))
        with pytest.raises(ConnectionResetError):
            while chunk := response.read1(64):
                received += chunk
    assert received == whole[: len(whole) // 2]  # a reset, not a clean short end


def test_offsite_redirect_points_at_another_host_that_records_what_reaches_it(
    fake: FakeUpstream,
) -> None:
    fake.set_fault("offsite-redirect")
    reply = call(fake, "GET", "/v2/jobs?limit=5", headers=BEARER)
    location = urlsplit(reply.headers["Location"])
    assert reply.status == 302
    assert (location.hostname, location.path, location.query) == (
        "127.0.0.2",
        "/v2/jobs",
        "limit=5",
    )
    assert fake.offsite_requests == []
    # What a client that follows redirects with the key would leave there:
    offsite = http.client.HTTPConnection(location.hostname, location.port, timeout=10)
    try:
        offsite.request("GET", f"{location.path}?{location.query}", headers=BEARER)
        assert offsite.getresponse().read() == b"{}"
    finally:
        offsite.close()
    (seen,) = fake.offsite_requests
    assert (seen.path, seen.query) == ("/v2/jobs", "limit=5")
    assert seen.headers["authorization"] == f"Bearer {DEMO_USEAPI_TOKEN}"
    assert fake.requests_to("/v2/jobs")[0].fault == "offsite-redirect"
    fake.reset()
    assert fake.offsite_requests == []


def refuse_constant(name: str) -> None:
    raise ValueError(name)


@pytest.mark.parametrize(
    ("path", "raw"),
    [
        ("/fetch-many", [b'"percentage": NaN', b'"seed": Infinity']),
        ("/fetch", [b'"percentage": NaN', b'"seed": Infinity']),
        ("/v2/jobs", [b", NaN]"]),
        (ACCOUNTS, [b'"maxJobs": Infinity']),
    ],
)
def test_nan_writes_nan_and_infinity_raw_into_the_normal_answer(
    fake: FakeUpstream, path: str, raw: list[bytes]
) -> None:
    fake.set_fault("nan")
    if path == "/fetch":
        reply = fetch(fake, FINISHED_IMAGINE)
    elif path == "/fetch-many":
        reply = fetch_many(fake, SEEDED_TASK_IDS[:2])
    else:
        reply = call(fake, "GET", path, headers=BEARER)
    assert reply.status == 200
    assert all(part in reply.body for part in raw)
    with pytest.raises(ValueError, match=r"NaN|Infinity"):  # not JSON to a strict reader
        json.loads(reply.body, parse_constant=refuse_constant)
    assert int(reply.headers["Content-Length"]) == len(reply.body)
    assert fetch(fake, UNKNOWN_TASK_ID).status == 404  # errors are left as they are


def test_a_fault_can_be_limited_to_the_next_n_calls(fake: FakeUpstream) -> None:
    fake.set_fault("402", path="/v2/jobs")
    fake.set_fault("500", path="/v2/jobs", times=2)
    statuses = [call(fake, "GET", "/v2/jobs", headers=BEARER).status for _ in range(4)]
    assert statuses == [500, 500, 402, 402]  # spent, the older rule applies again
    assert [r.fault for r in fake.requests] == ["500", "500", "402", "402"]
    with pytest.raises(ValueError):
        fake.set_fault("500", times=0)
    bad = {"kind": "500", "times": "1"}
    assert call(fake, "POST", "/_fake/faults", body=bad).status == 400
    assert call(fake, "POST", "/_fake/faults", body={"kind": "503", "times": 1}).status == 204
    assert call(fake, "GET", ACCOUNTS, headers=BEARER).status == 503
    assert call(fake, "GET", ACCOUNTS, headers=BEARER).status == 200


def test_many_accounts_and_jobs_can_be_seeded(fake: FakeUpstream) -> None:
    channels = fake.seed_many_accounts(1_000, 2_500)
    accounts = call(fake, "GET", ACCOUNTS, headers=BEARER).json()
    assert list(accounts) == channels and len(set(channels)) == 1_000
    assert all(len(c) == 19 and c.isdigit() and accounts[c]["channel"] == c for c in channels)
    jobs = call(fake, "GET", "/v2/jobs", headers=BEARER).json()
    assert len(jobs) == len(set(jobs)) == 2_500
    assert jobs[0] == f"job:20261122090000000-user:1234-channel:{channels[0]}"
    per_channel = Counter(job.split("-channel:")[1] for job in jobs)
    assert set(per_channel) == set(channels)
    assert sorted(set(per_channel.values())) == [2, 3]  # round-robin: 2,500 over 1,000
    one_channel = call(fake, "GET", f"{ACCOUNTS}/{channels[7]}", headers=BEARER).json()
    assert one_channel["maxJobs"] == 3
    fake.reset()
    assert len(call(fake, "GET", ACCOUNTS, headers=BEARER).json()) == 4


def test_the_cli_lists_every_fault_kind_and_takes_times(
    fake: FakeUpstream, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["fault", "--help"])
    shown = capsys.readouterr().out
    for kind in ("dribble", "429", "html-500", "deep-json", "reset", "offsite-redirect", "nan"):
        assert f"\n  {kind} " in shown
    port = str(urlsplit(fake.base_url).port)
    assert main(["fault", "503", "--times", "1", "--port", port]) == 0
    assert call(fake, "GET", "/v2/jobs", headers=BEARER).status == 503
    assert call(fake, "GET", "/v2/jobs", headers=BEARER).status == 200
