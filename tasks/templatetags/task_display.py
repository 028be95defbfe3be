import json
from typing import Any

from django import template

register = template.Library()

_BADGES = {
    "finished": ("badge-ok", "✓"),
    "failed": ("badge-bad", "✕"),
    "running": ("badge-info", "⟳"),
    "pending": ("badge-muted", "…"),
    "not_found": ("badge-warn", "?"),
    "error": ("badge-bad", "⚠"),
}


@register.filter
def pretty_json(value: Any) -> str:
    # Autoescaped by the template like any other text.
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)


@register.filter
def badge_class(state: str) -> str:
    return _BADGES.get(state, ("badge-muted", ""))[0]


@register.filter
def badge_symbol(state: str) -> str:
    return _BADGES.get(state, ("", "•"))[1]
