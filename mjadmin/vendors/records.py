"""The project's own typed records of what vendors say: a task (from any vendor's lookup) and a
key's account (its plan and credits). Each vendor's folder parses its hostile JSON into these;
pages, exports and storage read only these."""

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from mjadmin.vendors import states


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
    raw: dict[str, Any]  # the vendor's JSON as it came (masked), for Raw JSON and the exports
    task_type: str | None = None
    status: str | None = None
    group: str = states.PENDING
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
    completed_at: datetime | None = None  # when it ended, if it says
    # The job's files were purged, so its links may no longer open (Apiframe v2 says so).
    expired: bool = False
    # The vendor's word for the status when it says more than the group shown ("staged",
    # "retrying"); None when it is only the vendor's name of that group.
    status_detail: str | None = None

    def stored(self) -> dict[str, Any]:
        """The record as JSON, to keep beside the vendor's own (which is `raw`, kept apart)."""
        kept: dict[str, Any] = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if field.name == "raw":
                continue
            if isinstance(value, datetime):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            kept[field.name] = value
        return kept

    @classmethod
    def from_stored(cls, stored: dict[str, Any], raw: dict[str, Any]) -> "Task":
        """A record kept by `stored`, with the vendor's JSON it was read from."""
        given: dict[str, Any] = {"raw": raw}
        for field in fields(cls):
            if field.name == "raw" or field.name not in stored:
                continue
            value = stored[field.name]
            if field.name in _MOMENTS and isinstance(value, str):
                value = datetime.fromisoformat(value)
            elif isinstance(value, list):
                value = tuple(value)
            given[field.name] = value
        return cls(**given)

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


_MOMENTS = frozenset({"created_at", "completed_at"})


@dataclass(frozen=True)
class ProxyAccount:
    """A Discord account a self-hosted proxy runs jobs on, as its admin list says (every field
    but the id None or empty when the proxy did not say)."""

    id: str
    channel: str
    guild: str | None = None
    enabled: bool = True
    # Locked for now (a Cloudflare check, say), and why the proxy disabled it, if it says.
    locked: bool = False
    disabled_reason: str | None = None
    running: int | None = None
    queued: int | None = None
    fast_time_left: str | None = None
    remark: str | None = None
    token_masked: str = ""

    @property
    def needs_attention(self) -> bool:
        return self.locked or bool(self.disabled_reason) or not self.enabled


@dataclass(frozen=True)
class KeyAccount:
    """What a vendor says of the account behind a key; each field is None when it did not say."""

    plan: str | None = None
    credits: int | float | None = None
    email: str | None = None
    # Further figures the vendor gave, labelled for people, in a fixed order.
    figures: tuple[tuple[str, str], ...] = ()
    # Why the plan and credits are not said, when the vendor's answer explains it.
    note: str = ""

    @property
    def credits_shown(self) -> str | None:
        return None if self.credits is None else shown_number(self.credits)


def shown_number(value: int | float) -> str:
    if isinstance(value, int) or value.is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}"
