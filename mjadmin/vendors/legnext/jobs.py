"""A Legnext job as mjadmin reads it: the job object of `GET /v1/job/{job_id}`, hostile until
parsed. `output.image_url` is the grid and `output.image_urls` the four images (an upscale's one
image is both); Go's zero time ("0001-01-01T00:00:00Z") means "not yet"."""

from typing import Any

from mjadmin.vendor_data import (
    as_list,
    media_urls,
    moment,
    safe_media_url,
    text_value,
    vendor_message,
)
from mjadmin.vendors.legnext import statuses
from mjadmin.vendors.records import Task

# Where a job says its prompt, and a describe or shorten job its text (inferred: `input` is null
# in every published example; text jobs answer in `output`, camelCase).
_PROMPT = ("text", "prompt", "remixPrompt")
_TEXT_OUTPUT = ("description", "promptEn", "finalPrompt", "prompts")


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _failure(job: dict[str, Any], status: str | None) -> str | None:
    error = _object(job.get("error"))
    # An error object is always there; code 0 and no message mean none.
    said = error.get("message") or error.get("raw_message")
    if said or error.get("code") not in (None, 0, "0") or status == "failed":
        return vendor_message(said or error.get("code") or "the job failed")
    return None


def parse_job(job: dict[str, Any]) -> Task:
    status = job.get("status") if isinstance(job.get("status"), str) else None
    output = _object(job.get("output"))
    meta = _object(job.get("meta"))
    task_type = text_value(job.get("task_type"))
    offered = as_list(output.get("image_urls"))
    images = media_urls([url for url in offered if url])
    first = safe_media_url(output.get("image_url")) if output.get("image_url") else None
    single = str(task_type or "").replace("_", "-").startswith(("upscale", "video-upscale"))
    if single or (first is not None and images == (first,)):
        # An upscale: one image, named in both places.
        grid, image, images = None, first or (images[0] if images else None), ()
    else:
        grid, image = first, None
    videos = media_urls([url for url in as_list(output.get("video_urls")) if url])
    given = [output.get("image_url"), *offered, *as_list(output.get("video_urls"))]
    shown = len(images) + len(videos) + bool(grid) + bool(image)
    request = _object(job.get("input"))
    prompt = next((request[k] for k in _PROMPT if isinstance(request.get(k), str)), None)
    text = next((output[k] for k in _TEXT_OUTPUT if output.get(k)), None)
    has_results = bool(grid or image or images or videos or text)
    group = statuses.group_of(status, has_results=has_results)
    ended = moment(meta.get("ended_at"))
    return Task(
        task_id=str(job.get("job_id")),
        raw=job,
        task_type=task_type,
        status=status,
        group=group,
        # Its lower-case words say no more than the group, but "staged" does.
        status_detail=status if status in ("staged", "queued") else None,
        percentage=100 if group == "finished" else None,
        grid_url=grid,
        image_urls=images,
        image_url=image,
        video_urls=videos,
        seed=text_value(output.get("seed")),
        content=text_value(text if text is not None else prompt),
        message=_failure(job, status),
        unsafe_urls=max(0, sum(1 for url in given if url) - shown),
        created_at=moment(meta.get("created_at")),
        completed_at=ended if group in ("finished", "failed") else None,
    )


def is_job(raw: Any) -> bool:
    return isinstance(raw, dict) and isinstance(raw.get("job_id"), str) and bool(raw["job_id"])
