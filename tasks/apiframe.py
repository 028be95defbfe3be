"""Typed client for Apiframe's fetch endpoints (see shared/api/apiframe.md)."""

import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.views.decorators.debug import sensitive_variables

from mjadmin import upstream

SERVICE = "Apiframe"
MAX_IDS_PER_CALL = 20

FINISHED, FAILED, RUNNING, PENDING = "finished", "failed", "running", "pending"
TERMINAL = frozenset({FINISHED, FAILED})
_GROUP_OF_STATUS = {
    "finished": FINISHED,
    "completed": FINISHED,
    "failed": FAILED,
    "pending": PENDING,
    "staged": PENDING,
    "starting": RUNNING,
    "processing": RUNNING,
    "retry": RUNNING,
    "retrying": RUNNING,
}
_RESULT_FIELDS = ("image_urls", "image_url", "original_image_url", "video_url", "video_urls")


def safe_media_url(value: Any) -> str | None:
    """Third-party URLs become links or images only when https (or an allowed demo origin)."""
    if not isinstance(value, str) or any(ch.isspace() or ord(ch) < 32 for ch in value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme == "https" and parts.netloc:
        return value
    origin = f"{parts.scheme}://{parts.netloc}"
    return value if origin in settings.MEDIA_EXTRA_ORIGINS else None


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    return [] if value is None else [value]


def _urls(value: Any) -> tuple[str, ...]:
    return tuple(url for url in map(safe_media_url, _as_list(value)) if url)


def _percentage(value: Any) -> int | None:
    # A string while running ("40"), a number when finished, or absent.
    if isinstance(value, bool):
        return None
    try:
        number = float(value.strip().rstrip("%")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number):
        return None
    return max(0, min(100, round(number)))


@dataclass(frozen=True)
class Task:
    task_id: str
    raw: dict[str, Any]
    task_type: str | None = None
    status: str | None = None
    group: str = PENDING
    percentage: int | None = None
    grid_url: str | None = None
    image_urls: tuple[str, ...] = ()
    image_url: str | None = None
    video_urls: tuple[str, ...] = ()
    seed: str | None = None
    sref: str | None = None
    content: str | None = None
    message: str | None = None
    unsafe_urls: int = 0


def parse_task(raw: dict[str, Any]) -> Task:
    status = raw.get("status") if isinstance(raw.get("status"), str) else None
    has_results = any(raw.get(name) for name in _RESULT_FIELDS)
    if status:
        group = _GROUP_OF_STATUS.get(status.lower(), RUNNING)
    else:
        # The vendor's own finished example has results and no status at all.
        group = FINISHED if has_results else PENDING
    image_urls = _urls(raw.get("image_urls"))
    videos = _urls(raw.get("video_urls")) + _urls(raw.get("video_url"))
    grid = safe_media_url(raw.get("original_image_url"))
    image = safe_media_url(raw.get("image_url"))
    offered = [raw.get("original_image_url"), raw.get("image_url")]
    offered += _as_list(raw.get("image_urls")) + _as_list(raw.get("video_urls"))
    offered += _as_list(raw.get("video_url"))
    shown = len(image_urls) + len(videos) + bool(grid) + bool(image)
    return Task(
        task_id=str(raw.get("task_id")),
        raw=raw,
        task_type=upstream.text_value(raw.get("task_type")),
        status=status,
        group=group,
        percentage=_percentage(raw.get("percentage")),
        grid_url=grid,
        image_urls=image_urls,
        image_url=image,
        video_urls=videos,
        seed=upstream.text_value(raw.get("seed")),
        sref=upstream.text_value(raw.get("sref")),
        content=upstream.text_value(raw.get("content") or raw.get("prompt")),
        message=upstream.text_value(raw.get("message") or raw.get("error")),
        unsafe_urls=max(0, sum(1 for u in offered if u) - shown),
    )


@sensitive_variables("key")
def _post(path: str, key: str, body: dict[str, Any]) -> Any:
    return upstream.request_json(
        "POST",
        f"{settings.APIFRAME_BASE_URL}{path}",
        service=SERVICE,
        credential="API key",
        authorization=key,  # the raw key: Apiframe does not use "Bearer"
        json_body=body,
    )


@sensitive_variables("key")
def fetch_many(key: str, task_ids: list[str]) -> list[Task]:
    """2 to 20 ids in one call; tasks come back in any order and unknown ids may be missing."""
    if not 2 <= len(task_ids) <= MAX_IDS_PER_CALL:
        raise ValueError(f"fetch-many takes 2 to {MAX_IDS_PER_CALL} ids, got {len(task_ids)}")
    try:
        payload = _post("/fetch-many", key, {"task_ids": task_ids})
    except upstream.UpstreamNotFound:
        # Unknown ids are left out, never a 404: a 404 means the address is wrong.
        raise upstream.UpstreamUnavailable(
            f"{SERVICE} has no /fetch-many at {settings.APIFRAME_BASE_URL}. Check "
            "APIFRAME_BASE_URL, or try again later.",
            status=404,
        ) from None
    tasks = payload.get("tasks") if isinstance(payload, dict) else None
    if not isinstance(tasks, list):
        raise upstream.unexpected_shape(SERVICE)
    return [parse_task(t) for t in tasks if isinstance(t, dict) and t.get("task_id")]


@sensitive_variables("key")
def fetch(key: str, task_id: str) -> Task | None:
    """One task, or None when Apiframe does not know it."""
    try:
        payload = _post("/fetch", key, {"task_id": task_id})
    except (upstream.UpstreamNotFound, upstream.UpstreamBadRequest):
        # An unknown id is not documented: expect a 404 or a 400.
        return None
    if not isinstance(payload, dict) or not payload.get("task_id"):
        raise upstream.unexpected_shape(SERVICE)
    return parse_task(payload)
