import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.timesince import timesince

from mjadmin.vendors.records import Task
from tasks.models import TaskResult
from tasks.statuses import BADGES, PENDING, UNKNOWN_BADGE

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


def task_age(moment: datetime) -> Age:
    # The same values as the date, utc and timesince filters give, made in one call: those
    # filters took two fifths of the time of a table of 100 results (README: Performance).
    minutes = max(0, int((timezone.now() - moment).total_seconds() // 60))
    return Age(
        iso=timezone.localtime(moment).isoformat(),
        utc=moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
        # timesince says "0 minutes" for anything under one, which reads as a mistake.
        since="less than a minute" if minutes < 1 else timesince(moment),
        minutes=minutes,
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


# A table row as one tag, for the same reason: a page of 100 rows.
_ROW = (
    '<tr id="row-{}" data-group="{}">'
    '<th scope="row" data-label="Task ID"><code>{}</code></th>'
    '<td data-label="Status"><span class="badge {}">{} {}</span>{}</td>'
    '<td data-label="Type">{}</td>'
    '<td data-label="Progress">{}</td>'
    '<td data-label="Prompt">{}</td>'
    '<td data-label="Age"><time datetime="{}" title="{} UTC"{}>{}{}</time></td>'
    '<td data-label="Image">{}</td>'
    "</tr>"
)
# Recent jobs (tasks/jobs_views.py) links each ID to the job's own page.
_LINKED_ROW = _ROW.replace("<code>{}</code>", '<a href="{}"><code>{}</code></a>', 1)
_ROW_IMAGE = (
    '<a href="{}" rel="noopener noreferrer" target="_blank" data-preview="{}"><img src="{}"'
    ' alt="{} of task {}" width="48" height="48" loading="lazy" referrerpolicy="no-referrer"></a>'
)
_STUCK_CLASS = mark_safe(' class="stuck"')
_EXPIRED = mark_safe(' <span class="badge badge-warn">expired</span>')
PROMPT_EXCERPT = 80


@register.simple_tag
def task_row(
    result: TaskResult, looked_up: datetime, stuck_after: int, link: str = ""
) -> SafeString:
    """One dense row of the results table: ID (a link to `link`, if given), status, type,
    progress, prompt, age, image."""
    task = result.task
    badge = BADGES.get(result.state, UNKNOWN_BADGE)
    age = task_age(task.created_at if task and task.created_at else looked_up)
    stuck = result.in_progress and age.minutes >= stuck_after
    thumbs = task.thumbnails if task is not None else []
    image = (
        format_html(
            _ROW_IMAGE,
            thumbs[0].url,
            thumbs[0].short_label,
            thumbs[0].url,
            thumbs[0].label,
            result.task_id,
        )
        if thumbs
        else "—"
    )
    percentage = task.percentage if task is not None else None
    return format_html(
        _LINKED_ROW if link else _ROW,
        result.position,
        result.state,
        *((link, result.task_id) if link else (result.task_id,)),
        badge.css_class,
        badge.symbol,
        result.get_state_display(),
        _EXPIRED if task is not None and task.expired else "",
        (task.task_type if task is not None else None) or "—",
        "—" if percentage is None else f"{percentage}%",
        Truncator((task.content if task is not None else None) or "—").chars(PROMPT_EXCERPT),
        age.iso,
        age.utc,
        _STUCK_CLASS if stuck else "",
        "⚠ " if stuck else "",
        age.since,
        image,
    )


_RUNNING_FOR = (
    '<p class="task-age muted"><span{}>{}{}'
    ' <time datetime="{}" title="since {} UTC">{}</time>{}</span></p>'
)
_AGO = '<p class="task-age muted">{}<time datetime="{}" title="{} UTC">{} ago</time>{}</p>'
_TOOK = ' · took <time datetime="{}" title="ended {} UTC">{}</time>'


def _took(task: Task | None) -> str:
    """How long a task ran, when the vendor says when it began and ended (v2 does)."""
    if task is None or task.created_at is None or task.completed_at is None:
        return ""
    seconds = round((task.completed_at - task.created_at).total_seconds())
    if seconds < 0:
        return ""
    # timesince says "0 minutes" for anything under one: most jobs take less.
    short = f"{seconds} second{'' if seconds == 1 else 's'}"
    length = short if seconds < 60 else timesince(task.created_at, task.completed_at)
    ended = task.completed_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    return format_html(_TOOK, f"PT{seconds}S", ended, length)


@register.simple_tag
def task_age_line(
    result: TaskResult, task: Task | None, looked_up: datetime, stuck_after: int
) -> SafeString:
    """A tile's age: "3 hours ago" (and "took 42 seconds" when the vendor says when it ended),
    or for a running task "running for 14 minutes" (a pending one: "waiting for"), warned past
    TASKS_STUCK_AFTER_MINUTES; the exact UTC time on hover."""
    dated = task is not None and task.created_at is not None
    age = task_age(task.created_at if task and task.created_at else looked_up)
    if not result.in_progress:
        # Without the vendor's time, the age is this app's first sight of the task, and says so:
        # a task made last week and looked up now is not "less than a minute" old.
        seen = "" if dated else "first seen "
        return format_html(_AGO, seen, age.iso, age.utc, age.since, _took(task))
    stuck = age.minutes >= stuck_after
    return format_html(
        _RUNNING_FOR,
        _STUCK_CLASS if stuck else "",
        "⚠ " if stuck else "",
        # A pending task has not started: it waits (in the vendor's queue), it does not run.
        "waiting for" if result.state == PENDING else "running for",
        age.iso,
        age.utc,
        age.since,
        f" — over {stuck_after} minutes: it may be stuck" if stuck else "",
    )
