"""A midjourney-proxy task as mjadmin reads it (§4 of the contract): epoch-millisecond times,
progress as "NN%", `imageUrl` the grid (an UPSCALE's is its one image), trueai-org's `imageUrls`
(`[{"url", "thumbnail"}]`) as U1-U4 and `videoUrls` alike."""

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
from mjadmin.vendors.midjourney_proxy import statuses
from mjadmin.vendors.records import Task

# Actions whose imageUrl is a single image rather than a grid.
_SINGLE = ("UPSCALE", "UPSCALE_HD")


def _urls_of(entries: Any) -> list[Any]:
    """`[{"url": …}]` or plain strings, as either proxy may send."""
    return [e.get("url") if isinstance(e, dict) else e for e in as_list(entries)]


def parse_task(raw: dict[str, Any]) -> Task:
    status = raw.get("status") if isinstance(raw.get("status"), str) else None
    action = raw.get("action") if isinstance(raw.get("action"), str) else None
    offered_images = [u for u in _urls_of(raw.get("imageUrls")) if u]
    offered_videos = [u for u in [*_urls_of(raw.get("videoUrls")), raw.get("videoUrl")] if u]
    first = safe_media_url(raw.get("imageUrl")) if raw.get("imageUrl") else None
    single = action in _SINGLE
    grid, image = (None, first) if single else (first, None)
    images = media_urls(offered_images)
    videos = media_urls(offered_videos)
    given = [raw.get("imageUrl"), *offered_images, *offered_videos]
    shown = len(images) + len(videos) + bool(grid) + bool(image)
    given_properties = raw.get("properties")
    properties: dict[str, Any] = given_properties if isinstance(given_properties, dict) else {}
    described = properties.get("finalPrompt") if action == "DESCRIBE" else None
    group = statuses.group_of(status, has_results=bool(grid or image or images or videos))
    return Task(
        task_id=str(raw.get("id")),
        raw=raw,
        task_type=action.lower() if action else None,
        status=status,
        group=group,
        status_detail="submitted" if status == "SUBMITTED" else None,
        percentage=percentage(raw.get("progress")) if group == "running" else None,
        grid_url=grid,
        image_urls=images,
        image_url=image,
        video_urls=videos,
        seed=text_value(raw.get("seed")),
        content=text_value(described or raw.get("prompt") or raw.get("promptEn")),
        message=vendor_message(raw.get("failReason")),
        unsafe_urls=max(0, sum(1 for url in given if url) - shown),
        created_at=moment(raw.get("submitTime")),
        completed_at=moment(raw.get("finishTime")),
    )


def is_task(raw: Any) -> bool:
    return isinstance(raw, dict) and isinstance(raw.get("id"), str | int) and bool(raw["id"])
