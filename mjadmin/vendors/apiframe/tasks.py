"""An Apiframe task as mjadmin reads it: parsed from whatever JSON the vendor sent, with only
safe links kept. Used on fresh answers and on stored ones alike (see shared/api/apiframe.md). A
v2 job (shared/api/apiframe-v2.md) is read into the same Task, so pages and exports need not care
which API a lookup's owner has."""

from dataclasses import replace
from datetime import datetime
from typing import Any

from mjadmin.vendor_data import (
    as_list,
    media_urls,
    moment,
    percentage,
    safe_media_url,
    text_value,
    vendor_message,
)
from mjadmin.vendors.apiframe import statuses
from mjadmin.vendors.records import Task

_RESULT_FIELDS = ("image_urls", "image_url", "original_image_url", "video_url", "video_urls")


def is_v2_job(raw: dict[str, Any]) -> bool:
    # A v2 job calls its id "id"; every v1 task has a "task_id" (fetch and fetch-many need it).
    return "task_id" not in raw and "id" in raw


def parse_task(raw: dict[str, Any]) -> Task:
    if is_v2_job(raw):
        return parse_job(raw)
    return _parse_v1(raw)


def _parse_v1(raw: dict[str, Any]) -> Task:
    status = raw.get("status") if isinstance(raw.get("status"), str) else None
    has_results = any(raw.get(name) for name in _RESULT_FIELDS)
    image_urls = media_urls(raw.get("image_urls"))
    videos = media_urls(raw.get("video_urls")) + media_urls(raw.get("video_url"))
    grid = safe_media_url(raw.get("original_image_url"))
    image = safe_media_url(raw.get("image_url"))
    offered = [raw.get("original_image_url"), raw.get("image_url")]
    offered += as_list(raw.get("image_urls")) + as_list(raw.get("video_urls"))
    offered += as_list(raw.get("video_url"))
    shown = len(image_urls) + len(videos) + bool(grid) + bool(image)
    group = statuses.group_of(status, has_results=has_results)
    return Task(
        task_id=str(raw.get("task_id")),
        raw=raw,
        task_type=text_value(raw.get("task_type")),
        status=status,
        group=group,
        # "staged" or "retrying" say more than the group; v2's "COMPLETED" says no more.
        status_detail=None if status is None or statuses.is_v2_name_of(status, group) else status,
        percentage=percentage(raw.get("percentage")),
        grid_url=grid,
        image_urls=image_urls,
        image_url=image,
        video_urls=videos,
        seed=text_value(raw.get("seed")),
        sref=text_value(raw.get("sref")),
        content=text_value(raw.get("content") or raw.get("prompt")),
        message=vendor_message(raw.get("message") or raw.get("error")),
        unsafe_urls=max(0, sum(1 for u in offered if u) - shown),
        created_at=_timestamp(raw),
    )


def parse_job(raw: dict[str, Any]) -> Task:
    """A v2 job, read as the v1 task it stands for (the field rows of apiframe-v2.md's mapping
    table, in _as_v1), so the same checks apply: https links only, percentages, dates."""
    task = _parse_v1(_as_v1(raw))
    return replace(
        task,
        raw=raw,
        completed_at=moment(raw.get("completedAt")),
        expired=raw.get("expired") is True,
    )


# Which v2 request names the kind of task (inferred: the spec leaves `input` open); else the model.
_REQUEST_KINDS = ("action", "type", "task_type")


def _as_v1(job: dict[str, Any]) -> dict[str, Any]:
    given = job.get("input")
    request: dict[str, Any] = given if isinstance(given, dict) else {}
    kind = next((request[k] for k in _REQUEST_KINDS if isinstance(request.get(k), str)), None)
    task: dict[str, Any] = {
        "task_id": job.get("id"),
        "task_type": kind or job.get("model"),
        "status": job.get("status"),
        "percentage": job.get("progress"),
        "message": job.get("error"),
        "prompt": request.get("prompt"),
        "sref": request.get("sref"),
        "created_at": job.get("createdAt"),
    }
    result = job.get("result")
    if isinstance(result, dict):
        # Documented: {"images": [4 urls], "gridUrl": url}. The rest is read as v1 names them,
        # in either case style (inferred), so an upscale, a video or a seed still shows.
        task["original_image_url"] = result.get("gridUrl")
        task["image_urls"] = result.get("images")
        task["image_url"] = result.get("imageUrl", result.get("image_url"))
        task["video_urls"] = result.get("videoUrls", result.get("video_urls"))
        task["video_url"] = result.get("videoUrl", result.get("video_url"))
        task["seed"] = result.get("seed")
        task["content"] = result.get("content")
    elif isinstance(result, list):
        task["image_urls"] = result
    elif isinstance(result, str) and "://" in result:
        # Older doc pages: one URL. An upscale's is the image; anything else's is its grid.
        upscale = str(task["task_type"] or "").startswith("upscale")
        task["image_url" if upscale else "original_image_url"] = result
    elif isinstance(result, str):
        task["content"] = result  # text, as a describe job answers (inferred)
    return {name: value for name, value in task.items() if value is not None}


# Not documented (../shared/api/apiframe.md): names seen in Midjourney APIs for when a task began.
_TIMESTAMP_FIELDS = ("created_at", "createdAt", "submitted_at", "submittedAt", "timestamp")


def _timestamp(raw: dict[str, Any]) -> datetime | None:
    for name in _TIMESTAMP_FIELDS:
        when = moment(raw.get(name))
        if when is not None:
            return when
    return None
