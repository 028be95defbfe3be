import json
from typing import Any

from django import template

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
