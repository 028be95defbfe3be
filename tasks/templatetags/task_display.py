import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince

from tasks.statuses import BADGES, UNKNOWN_BADGE
from tasks.task_data import Task

register = template.Library()


@register.filter
def pretty_json(value: Any) -> str:
    # Autoescaped by the template like any other text.
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)


@register.filter
def badge_class(state: str) -> str:
    return BADGES.get(state, UNKNOWN_BADGE).css_class


@register.filter
def badge_symbol(state: str) -> str:
    return BADGES.get(state, UNKNOWN_BADGE).symbol


@dataclass(frozen=True)
class Age:
    """How old a task is, every way its card and its table row show it."""

    iso: str  # in the viewer's time zone, for <time datetime>
    utc: str  # "2026-11-30 09:00:00", for the title
    since: str  # "3 days, 2 hours"
    minutes: int  # whole minutes, against the stuck threshold


@register.filter
def task_age(moment: datetime) -> Age:
    # The same values as the date, utc and timesince filters give, made in one call: those
    # filters took two fifths of the time of a table of 100 results (README: Performance).
    return Age(
        iso=timezone.localtime(moment).isoformat(),
        utc=moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
        since=timesince(moment),
        minutes=max(0, int((timezone.now() - moment).total_seconds() // 60)),
    )


# A gallery tile's images as one tag rather than a template loop: a page of 36 tiles holds about
# 180 of them, and the loop's variable lookups were half the time of rendering the page.
_THUMBNAIL = (
    '<li{}><a href="{}" rel="noopener noreferrer" target="_blank" data-preview="{}">'
    '<img src="{}" alt="{} of task {}" loading="lazy" width="{}" height="{}"'
    ' referrerpolicy="no-referrer"></a></li>'
)
_GRID_CLASS = mark_safe(' class="grid-image"')


@register.simple_tag
def thumbnail_list(task: Task | None, task_id: str) -> SafeString:
    """The grid image first, then the others. Without JavaScript each link opens the original;
    with it, the large preview (static/js/preview.js), which reads `data-preview`."""
    thumbs = task.thumbnails if task is not None else []
    if not thumbs:
        return SafeString("")
    items = (
        format_html(
            _THUMBNAIL,
            _GRID_CLASS if thumb.is_grid else "",
            thumb.url,
            thumb.short_label,
            thumb.url,
            thumb.label,
            task_id,
            *((120, 120) if thumb.is_grid else (96, 96)),
        )
        for thumb in thumbs
    )
    return format_html('<ul class="thumbs">{}</ul>', SafeString("".join(items)))
