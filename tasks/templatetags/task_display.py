import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

from tasks.statuses import BADGES, UNKNOWN_BADGE

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
