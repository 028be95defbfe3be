import json
from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone

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


@register.filter
def minutes_since(moment: datetime | None) -> int | None:
    """Whole minutes from then to now, for "running for 14 min"."""
    if moment is None:
        return None
    return max(0, int((timezone.now() - moment).total_seconds() // 60))
