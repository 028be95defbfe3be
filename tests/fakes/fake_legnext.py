"""The local fake's Legnext API (shared/api/legnext.md) under the path prefix `/legnext`:
LEGNEXT_BASE_URL = `<fake base>/legnext/api`, so `GET /legnext/api/v1/job/{job_id}` and
`GET /legnext/api/account/balance`, each with `x-api-key`.

The demo's v1 tasks exist here as Legnext jobs with the same ids, images, prompt and status, so a
teammate with a Legnext key sees the same gallery as one with an Apiframe key. Standard library
only, like the rest of the fake; `fake_vendors.FakeUpstream` calls in here under its lock.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

PREFIX = "/legnext"
DEMO_LEGNEXT_KEY = "lnx_demo_mjadmin_0123456789abcdef"
GO_ZERO_TIME = "0001-01-01T00:00:00Z"
STATUSES = ("pending", "staged", "processing", "completed", "failed")
# Legnext's names for the demo's v1 task types (shared/api/legnext.md §2.3).
_TASK_TYPES = {
    "imagine": "diffusion",
    "reroll": "reroll",
    "blend": "blend",
    "describe": "describe",
    "seed": "diffusion",
    "imagine-video": "video_diffusion",
    "luma": "video_diffusion",
}
_FROM_V1_STATUS = {
    "pending": "pending",
    "staged": "staged",
    "starting": "processing",
    "processing": "processing",
    "retry": "processing",
    "retrying": "processing",
    "finished": "completed",
    "completed": "completed",
    "failed": "failed",
}
# What each of the fake's Legnext faults answers (kind -> status, body); the documented flat and
# wrapped error shapes both appear.
FAULT_BODIES: dict[str, tuple[int, Any]] = {
    "400": (400, {"code": 400, "message": "Invalid request parameters", "detail": None}),
    "401": (401, {"error": {"code": 401, "message": "Invalid API key"}}),
    "402": (402, {"error": {"code": 402, "message": "Insufficient balance"}}),
    "404": (404, {"error": {"code": 404, "message": "Job not found"}}),
    "429": (429, {"error": {"code": 429, "message": "Rate limit exceeded"}}),
    "500": (500, {}),
    "503": (503, {"error": {"code": 503, "message": "Service unavailable"}}),
}

Answer = tuple[int, Any, dict[str, str]]


def is_legnext_path(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _no_error() -> dict[str, Any]:
    return {"code": 0, "raw_message": "", "message": "", "detail": None}


def _task_type(v1_type: str) -> str:
    if v1_type.startswith("upscale"):
        return "upscale"
    if v1_type.startswith("variation"):
        return "variation"
    return _TASK_TYPES.get(v1_type, "diffusion")


def output_from_v1(fields: dict[str, Any]) -> dict[str, Any]:
    """A v1 task's result fields as a Legnext job's `output`."""
    output: dict[str, Any] = {"image_url": "", "image_urls": None, "seed": ""}
    if "original_image_url" in fields:
        output["image_url"] = fields["original_image_url"]
    if "image_urls" in fields:
        output["image_urls"] = list(fields["image_urls"])
    if "image_url" in fields:  # an upscale: the single image, in both places
        output["image_url"] = fields["image_url"]
        output["image_urls"] = [fields["image_url"]]
    if "video_urls" in fields or "video_url" in fields:
        output["video_urls"] = list(fields.get("video_urls") or [fields["video_url"]])
    if "seed" in fields:
        output["seed"] = fields["seed"]
    if "content" in fields:
        output["description"] = fields["content"]
    if output["image_urls"] or output["image_url"]:
        output["available_actions"] = {"upscale": [0, 1, 2, 3], "reroll": True}
    return output


def job_from_v1(
    task: dict[str, Any], created: datetime, done_fields: dict[str, Any]
) -> dict[str, Any]:
    """The Legnext job a v1 task is: same id, images, prompt and status."""
    v1_status = task.get("status")
    has_results = any(k in task for k in ("original_image_url", "image_urls", "image_url"))
    if isinstance(v1_status, str):
        status = _FROM_V1_STATUS.get(v1_status, "processing")
    else:
        status = "completed" if has_results or "content" in task else "pending"
    terminal = status in ("completed", "failed")
    results = {k: v for k, v in task.items() if k not in ("task_id", "task_type", "status")}
    error = _no_error()
    if status == "failed":
        said = task.get("message") or task.get("error")
        error = {"code": 400, "raw_message": "", "message": said}
    job: dict[str, Any] = {
        "job_id": task["task_id"],
        "model": "midjourney",
        "task_type": _task_type(str(task.get("task_type", ""))),
        "status": status,
        "config": {"service_mode": "public", "webhook_config": {"endpoint": "", "secret": ""}},
        "input": {"text": task["prompt"]} if "prompt" in task else None,
        "output": output_from_v1(results),
        "meta": {
            "created_at": _iso(created),
            "started_at": GO_ZERO_TIME if status == "pending" else _iso(created),
            "ended_at": _iso(created + timedelta(seconds=30)) if terminal else GO_ZERO_TIME,
            "usage": {"type": "point", "frozen": 80, "consume": 80 if status == "completed" else 0},
        },
        "detail": None,
        "logs": [],
        "error": error,
    }
    if task.get("_progresses"):
        job["_progresses"] = True
        job["_done_output"] = output_from_v1(done_fields)
    return job


@dataclass
class LegnextKey:
    key: str
    available_credits: int = 71_000
    balance_usd: float = 72.048


class Legnext:
    """Legnext's state: its keys, and every job (any key may read any job id it is given)."""

    def __init__(self) -> None:
        self.keys: dict[str, LegnextKey] = {}
        self.jobs: dict[str, dict[str, Any]] = {}
        self.steps_to_finish = 3

    def reset(self, jobs: list[dict[str, Any]]) -> None:
        self.keys = {DEMO_LEGNEXT_KEY: LegnextKey(DEMO_LEGNEXT_KEY)}
        self.jobs = {}
        for job in jobs:
            self.add_job(job)

    def add_job(self, job: dict[str, Any]) -> None:
        # Stored as given, so a test can watch or change its own dict.
        self.jobs[str(job["job_id"])] = job

    def handle(self, method: str, path: str, key: str | None) -> Answer:
        if key is None or key not in self.keys:
            return 401, {"error": {"code": 401, "message": "Invalid API key"}}, {}
        route = path[len(PREFIX) :]
        if method != "GET":
            return 405, {"error": {"code": 405, "message": "Method not allowed"}}, {}
        if route == "/api/account/balance":
            known = self.keys[key]
            data = {
                "account_id": 1,
                "balance_usd": known.balance_usd,
                "available_credits": known.available_credits,
                "available_points": 1048,
                "alert_threshold": 10,
                "low_balance_alert": False,
                "updated_at": "2026-11-05T08:22:37.784663288Z",
            }
            return 200, {"code": 200, "data": data, "message": "success"}, {}
        if route.startswith("/api/v1/job/") and route.count("/") == 4:
            job = self.jobs.get(route.removeprefix("/api/v1/job/"))
            if job is None:
                return 404, {"error": {"code": 404, "message": "Job not found"}}, {}
            self._advance(job)
            return 200, deliver(job), {}
        return 404, {"error": {"code": 404, "message": "Not found"}}, {}

    def _advance(self, job: dict[str, Any]) -> None:
        if not job.get("_progresses") or job.get("status") in ("completed", "failed"):
            return
        returned = int(job.get("_returned", 0)) + 1
        job["_returned"] = returned
        if returned >= max(1, self.steps_to_finish):
            job["status"] = "completed"
            job["output"] = copy.deepcopy(job.get("_done_output"))
            job["meta"]["ended_at"] = _iso(datetime.now(UTC))
            job["meta"]["usage"]["consume"] = job["meta"]["usage"]["frozen"]
        else:
            job["status"] = "processing"
            job["meta"]["started_at"] = job["meta"]["created_at"]


def deliver(job: dict[str, Any]) -> dict[str, Any]:
    return {k: copy.deepcopy(v) for k, v in job.items() if not str(k).startswith("_")}
