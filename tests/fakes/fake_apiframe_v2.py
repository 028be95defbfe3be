"""The local fake's newer Apiframe endpoints: v1's `GET /account`, and the v2 API (jobs, `/v2/me`)
under the path prefix `/apiframe-v2` (see shared/api/apiframe-v2.md).

useapi.net already owns `/v2/...` on the fake's one port, its own `GET /v2/jobs` included, so v2
is served below a prefix: APIFRAME_V2_BASE_URL = `<fake base>/apiframe-v2`. The demo's v1 tasks
exist here as v2 jobs too, with the same images, prompt and status, so a teammate with a v2 key
and one with a v1 key see the same gallery. Standard library only, like the rest of the fake;
`fake_vendors.FakeUpstream` calls in here under its lock.
"""

from __future__ import annotations

import base64
import binascii
import copy
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

PREFIX = "/apiframe-v2"
STATUSES = ("QUEUED", "PROCESSING", "COMPLETED", "FAILED", "CANCELLED")
TERMINAL = frozenset({"COMPLETED", "FAILED", "CANCELLED"})
ADMIN_ROLES = frozenset({"OWNER", "ADMIN"})
# The documented v1 statuses as v2 says them (apiframe-v2.md's mapping table).
_FROM_V1_STATUS = {
    "pending": "QUEUED",
    "staged": "QUEUED",
    "starting": "PROCESSING",
    "processing": "PROCESSING",
    "retry": "PROCESSING",
    "retrying": "PROCESSING",
    "finished": "COMPLETED",
    "completed": "COMPLETED",
    "failed": "FAILED",
}
# What `GET /account` answers: field names differ between the vendor's clients (inferred), so
# the fake speaks either. "documented" is apiframe 1.0.0's docstring (and apiframe-sdk's
# AccountInfo); "camel" the same facts in the camelCase the v2 API uses.
ACCOUNT_SHAPES = ("documented", "camel")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")

# Answers: (status, JSON payload, extra headers); fake_vendors turns them into HTTP.
Answer = tuple[int, Any, dict[str, str]]

# v2's error bodies, `{"error": …}`, for the fake's JSON faults (kind -> status, body).
FAULT_BODIES: dict[str, tuple[int, Any]] = {
    "400": (400, {"error": "Invalid request", "details": {"id": ["Invalid uuid"]}}),
    "401": (401, {"error": "Missing or invalid API key"}),
    "402": (402, {"error": "No active subscription"}),
    "404": (404, {"error": "Job not found"}),
    "429": (429, {"error": "Too many requests, please slow down"}),
    "500": (500, {}),
    "503": (503, {"error": "Service unavailable"}),
}


def is_v2_path(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


@dataclass
class V2Key:
    """An `afk_…` key: whose it is, their role in the team, and whether it still works."""

    key: str
    user_id: str
    email: str
    role: str = "OWNER"  # OWNER | ADMIN | MEMBER
    active: bool = True
    name: str = "mjadmin demo"
    team: dict[str, Any] | None = field(
        default_factory=lambda: {
            "id": "team_7Qm2Xc9L",
            "name": "mjadmin demo team",
            "credits": 48_250,
            "plan": "Pro",
            "customerId": "cus_FakeDemo0001",
        }
    )

    @property
    def prefix(self) -> str:
        return self.key[:8]


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def v1_account(shape: str) -> dict[str, Any]:
    """The key's account as v1's `GET /account` tells it, in one of ACCOUNT_SHAPES."""
    if shape == "camel":
        return {
            "email": "team@apiframe-fake.example",
            "creditsRemaining": 48_250,
            "planName": "Pro",
            "nextBillingDate": "2026-12-31",
            "totalImages": 12_840,
            "imagesThisMonth": 1_312,
        }
    return {
        "email": "team@apiframe-fake.example",
        "credits": 48_250,
        "plan": "Pro",
        "next_billing_date": "2026-12-31",
        "total_images": 12_840,
    }


def result_from_v1(fields: dict[str, Any]) -> Any:
    """A v1 task's result fields as a v2 job's `result`: the documented object for a grid and
    its images, a bare URL string for an upscale (older doc pages), the describe text as a
    string; anything else an object (inferred)."""
    if "image_urls" in fields or "original_image_url" in fields:
        return {"images": fields.get("image_urls", []), "gridUrl": fields.get("original_image_url")}
    if "image_url" in fields:
        return fields["image_url"]
    if "content" in fields:
        return fields["content"]
    if "video_urls" in fields:
        return {"videoUrls": fields["video_urls"]}
    if "video_url" in fields:
        return {"videoUrl": fields["video_url"]}
    if "seed" in fields:
        return {"seed": fields["seed"]}
    return None


_RESULT_FIELDS = (
    "original_image_url",
    "image_urls",
    "image_url",
    "video_url",
    "video_urls",
    "seed",
    "content",
)


def job_from_v1(
    task: dict[str, Any], created: datetime, done_fields: dict[str, Any]
) -> dict[str, Any]:
    """The v2 job a v1 task is: same id, images, prompt and status. `done_fields` are the v1
    result fields it gets once finished (for a task that progresses)."""
    v1_status = task.get("status")
    has_results = any(name in task for name in _RESULT_FIELDS)
    if isinstance(v1_status, str):
        status = _FROM_V1_STATUS.get(v1_status, "PROCESSING")
    else:  # the vendor's own finished example has results and no status
        status = "COMPLETED" if has_results else "QUEUED"
    percentage = task.get("percentage")
    progress = 100 if status == "COMPLETED" else None
    if isinstance(percentage, str) and percentage.isdigit():
        progress = int(percentage)
    results = {name: task[name] for name in _RESULT_FIELDS if name in task}
    request: dict[str, Any] = {"action": task.get("task_type")}
    for name in ("prompt", "sref"):
        if name in task:
            request[name] = task[name]
    job: dict[str, Any] = {
        "id": task["task_id"],
        "status": status,
        "model": "midjourney",
        "progress": progress,
        "error": (task.get("message") or task.get("error")) if status == "FAILED" else None,
        "creditCost": 8 if status == "COMPLETED" else None,
        "webhookStatus": None,
        "createdAt": _iso(created),
        "completedAt": _iso(created + timedelta(seconds=42)) if status in TERMINAL else None,
        "input": request,
        "result": result_from_v1(results) if results else None,
    }
    if task.get("_progresses"):
        job["_progresses"] = True
        job["_done_result"] = result_from_v1(done_fields)
    return job


def _bad_query(name: str, message: str) -> Answer:
    return 400, {"error": "Invalid query", "details": {name: [message]}}, {}


def _encode_cursor(offset: int) -> str:
    # Long and random-looking, as a real opaque cursor is (a client must send it back whole).
    text = f"offset:{offset}:snapshot:7f3a9c2e41b8"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> int | None:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    name, _, rest = text.partition(":")
    number = rest.split(":", 1)[0]
    return int(number) if name == "offset" and number.isdigit() else None


class ApiframeV2:
    """The v2 API's state: its keys, and every job with the key of the user who owns it."""

    def __init__(self) -> None:
        self.keys: dict[str, V2Key] = {}
        self.jobs: dict[str, dict[str, Any]] = {}
        self.owners: dict[str, str] = {}  # job id -> the key of the user who owns it
        self.steps_to_finish = 3

    def reset(self, keys: list[V2Key], jobs: list[tuple[dict[str, Any], str]]) -> None:
        self.keys.clear()
        self.keys.update({k.key: k for k in keys})
        self.jobs.clear()
        self.owners.clear()
        for job, owner in jobs:
            self.add_job(job, owner)

    def add_job(self, job: dict[str, Any], owner: str) -> None:
        # Stored as given (not copied), so a test can watch or change its own dict.
        if not isinstance(job.get("id"), str):
            raise ValueError("job needs a string id")
        self.jobs[job["id"]] = job
        self.owners[job["id"]] = owner

    # -- requests --------------------------------------------------------------------------

    def handle(self, method: str, path: str, query: str, key: str | None) -> Answer:
        """One request to a path under PREFIX, with the X-API-Key it carried."""
        known = self.keys.get(key) if key else None
        if known is None:
            return 401, {"error": "Missing or invalid API key"}, {}
        if not known.active:
            return 403, {"error": "This API key is inactive"}, {}
        route = path[len(PREFIX) :]
        if method != "GET":
            return 405, {"error": "Method not allowed"}, {}
        if route == "/v2/me":
            return 200, self._me(known), {}
        if route == "/v2/jobs":
            return self._list(known, query)
        if route.startswith("/v2/jobs/") and route.count("/") == 3:
            return self._one(known, route.removeprefix("/v2/jobs/"))
        return 404, {"error": "Not found"}, {}

    def _me(self, known: V2Key) -> dict[str, Any]:
        return {
            "user": {"id": known.user_id, "email": known.email, "role": known.role},
            "team": copy.deepcopy(known.team),
            "apiKey": {"id": f"key_{known.user_id}", "name": known.name, "prefix": known.prefix},
        }

    def _one(self, known: V2Key, job_id: str) -> Answer:
        if not _UUID.fullmatch(job_id):
            return 400, {"error": "Invalid request", "details": {"id": ["Invalid uuid"]}}, {}
        job = self.jobs.get(job_id.lower()) or self.jobs.get(job_id)
        # Someone else's job is "not found" too: the API does not say it exists.
        if job is None or self.owners.get(job["id"]) != known.key:
            return 404, {"error": "Job not found"}, {}
        self._advance(job)
        return 200, deliver(job), {}

    def _list(self, known: V2Key, query: str) -> Answer:
        asked = {name: values[-1] for name, values in parse_qs(query, True).items()}
        status = asked.get("status")
        if status is not None and status not in STATUSES:
            return _bad_query("status", f"must be one of {', '.join(STATUSES)}")
        raw_limit = asked.get("limit", "20")
        if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= 100:
            return _bad_query("limit", "must be a whole number from 1 to 100")
        scope = asked.get("scope", "user")
        if scope not in ("user", "team"):
            return _bad_query("scope", "must be user or team")
        if scope == "team" and known.role not in ADMIN_ROLES:
            return 403, {"error": "Only team admins can list the team's jobs"}, {}
        search = asked.get("search")
        if search is not None and not _UUID.fullmatch(search):
            return _bad_query("search", "must be a job UUID")
        offset = 0
        if "cursor" in asked:
            decoded = _decode_cursor(asked["cursor"])
            if decoded is None:
                return 400, {"error": "Invalid cursor"}, {}
            offset = decoded
        team = {k for k, v in self.keys.items() if v.team and known.team and v.team == known.team}
        owners = team if scope == "team" else {known.key}
        jobs = [
            job
            for job in self.jobs.values()
            if self.owners.get(job["id"]) in owners
            and (status is None or job.get("status") == status)
            and ("model" not in asked or job.get("model") == asked["model"])
            and (search is None or job["id"].lower() == search.lower())
        ]
        jobs.sort(key=lambda job: (str(job.get("createdAt")), job["id"]), reverse=True)
        limit = int(raw_limit)
        page = jobs[offset : offset + limit]
        more = offset + limit < len(jobs)
        payload = {
            "jobs": [deliver(job) for job in page],
            "hasMore": more,
            "nextCursor": _encode_cursor(offset + limit) if more else None,
        }
        return 200, payload, {}

    def _advance(self, job: dict[str, Any]) -> None:
        # Only opted-in jobs move (as v1's tasks do), so a test can pin any status it needs.
        if not job.get("_progresses") or job.get("status") not in ("QUEUED", "PROCESSING"):
            return
        steps = max(1, self.steps_to_finish)
        returned = int(job.get("_returned", 0)) + 1
        job["_returned"] = returned
        if returned >= steps:
            job["status"] = "COMPLETED"
            job["progress"] = 100
            job["result"] = copy.deepcopy(job.get("_done_result"))
            job["completedAt"] = _iso(datetime.now(UTC))
            job["creditCost"] = 8
        elif job["status"] == "QUEUED":
            job["status"] = "PROCESSING"
            job["progress"] = 10
        else:
            progress = job.get("progress")
            current = progress if isinstance(progress, int) else 0
            job["progress"] = min(99, current + round(100 / steps))


# Jobs only the v2 API has: one cancelled, one whose files were purged (its result a plain list
# of URLs, another variant the app must read), and a teammate's (another key's) job.
CANCELLED_JOB_ID = "0c8f5e21-7b3d-4a96-8e4f-2d1a9c6b7e30"
EXPIRED_JOB_ID = "e57a2c90-3f1b-4d68-9a0e-6b4c8d2f1a75"
TEAMMATE_JOB_ID = "7d3e9a14-c52f-4b80-a6e1-9f0b3c7d5e28"


def v2_only_jobs(now: datetime, image_base: str) -> dict[str, dict[str, Any]]:
    """CANCELLED_JOB_ID, EXPIRED_JOB_ID and TEAMMATE_JOB_ID, by id."""
    base = {"model": "midjourney", "error": None, "webhookStatus": "delivered"}
    expired_created = now - timedelta(days=95)
    teammate_created = now - timedelta(minutes=30)
    return {
        CANCELLED_JOB_ID: base
        | {
            "id": CANCELLED_JOB_ID,
            "status": "CANCELLED",
            "progress": None,
            "creditCost": 0,
            "createdAt": _iso(now - timedelta(minutes=20)),
            "completedAt": _iso(now - timedelta(minutes=19)),
            "input": {"action": "imagine", "prompt": "a paper boat on a stormy sea --ar 16:9"},
            "result": None,
        },
        EXPIRED_JOB_ID: base
        | {
            "id": EXPIRED_JOB_ID,
            "status": "COMPLETED",
            "progress": 100,
            "creditCost": 8,
            "createdAt": _iso(expired_created),
            "completedAt": _iso(expired_created + timedelta(seconds=51)),
            "input": {"action": "imagine", "prompt": "a fox in fresh snow, morning light"},
            "result": [f"{image_base}/{EXPIRED_JOB_ID}/{n}.png" for n in range(1, 5)],
            "expired": True,
        },
        TEAMMATE_JOB_ID: base
        | {
            "id": TEAMMATE_JOB_ID,
            "status": "COMPLETED",
            "progress": 100,
            "creditCost": 8,
            "createdAt": _iso(teammate_created),
            "completedAt": _iso(teammate_created + timedelta(seconds=38)),
            "input": {"action": "imagine", "prompt": "a teammate's lighthouse"},
            "result": {
                "images": [f"{image_base}/{TEAMMATE_JOB_ID}/{n}.png" for n in range(1, 5)],
                "gridUrl": f"{image_base}/{TEAMMATE_JOB_ID}/grid.png",
            },
        },
    }


def deliver(job: dict[str, Any]) -> dict[str, Any]:
    """A job as sent: a copy, without the fake's own "_" keys."""
    return {k: copy.deepcopy(v) for k, v in job.items() if not str(k).startswith("_")}
