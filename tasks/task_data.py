"""An Apiframe task as mjadmin reads it: parsed from whatever JSON the vendor sent, with only
safe links kept. Used on fresh answers and on stored ones alike (see shared/api/apiframe.md). A
v2 job (shared/api/apiframe-v2.md) is read into the same Task, so pages and exports need not care
which API a lookup's owner has."""

import math
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from mjadmin.redaction import redact
from mjadmin.vendor_data import text_value
from tasks import statuses

_RESULT_FIELDS = ("image_urls", "image_url", "original_image_url", "video_url", "video_urls")


def _vendor_message(value: Any) -> str | None:
    # A task's error text is the vendor's: anything shaped like a key in it is masked before
    # the team sees it (on the page, in exports).
    text = text_value(value)
    return redact(text) if text else None


# Any white space (str.isspace's, which \s matches) or control character: a regex, since a page
# of results checks hundreds of URLs, and a loop over their characters took a quarter of its time.
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f]")


def safe_media_url(value: Any) -> str | None:
    """Third-party URLs become links or images only when https (or an allowed demo origin)."""
    if not isinstance(value, str) or _SPACE_OR_CONTROL.search(value):
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
class Thumbnail:
    url: str
    label: str  # what the image is, for its alt text: "Grid image", "Image 2", "Upscaled image"
    # The name Midjourney users know it by (its U button), as the large preview heads it.
    short_label: str
    is_grid: bool = False


@dataclass(frozen=True)
class Task:
    task_id: str
    raw: dict[str, Any]
    task_type: str | None = None
    status: str | None = None
    group: str = statuses.PENDING
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
    created_at: datetime | None = None  # when the vendor says the task began, if it says
    completed_at: datetime | None = None  # when it ended (v2 says so)
    # v2: the job's files were purged, so its links may no longer open.
    expired: bool = False

    @property
    def status_detail(self) -> str | None:
        """The vendor's word for the status, unless it is only v2's upper-case name of the group
        shown ("COMPLETED" for finished): v1's "staged" or "retrying" say more than the group."""
        if self.status is None or statuses.is_v2_name_of(self.status, self.group):
            return None
        return self.status

    @property
    def thumbnails(self) -> list[Thumbnail]:
        """Every image, the grid first, in the order a person looks through them."""
        shown: list[Thumbnail] = []
        if self.grid_url:
            shown.append(Thumbnail(self.grid_url, "Grid image", "Grid", is_grid=True))
        shown += [Thumbnail(url, f"Image {n}", f"U{n}") for n, url in enumerate(self.image_urls, 1)]
        if self.image_url:
            shown.append(Thumbnail(self.image_url, "Upscaled image", "Upscaled"))
        return shown


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
        task_type=text_value(raw.get("task_type")),
        status=status,
        group=statuses.group_of(status, has_results=has_results),
        percentage=_percentage(raw.get("percentage")),
        grid_url=grid,
        image_urls=image_urls,
        image_url=image,
        video_urls=videos,
        seed=text_value(raw.get("seed")),
        sref=text_value(raw.get("sref")),
        content=text_value(raw.get("content") or raw.get("prompt")),
        message=_vendor_message(raw.get("message") or raw.get("error")),
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
        completed_at=_moment(raw.get("completedAt")),
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
# Epoch numbers outside these years are something else (a duration, a counter): ignored.
_EARLIEST, _LATEST = datetime(2022, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)


def _timestamp(raw: dict[str, Any]) -> datetime | None:
    for name in _TIMESTAMP_FIELDS:
        when = _moment(raw.get(name))
        if when is not None:
            return when
    return None


def _moment(value: Any) -> datetime | None:
    """A date and time as a vendor may write one: ISO 8601, or seconds or milliseconds since
    1970; None for anything else."""
    when: datetime | None = None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and math.isfinite(value):
        seconds = value / 1000 if value > 1e11 else value  # milliseconds, as JavaScript has it
        try:
            when = datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    elif isinstance(value, str) and len(value) <= 40:
        try:
            when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
    if when is not None and _EARLIEST <= when < _LATEST:
        return when
    return None
