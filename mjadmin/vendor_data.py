"""Helpers for the vendor clients: reading third-party JSON that is hostile until parsed."""

import json
from typing import Any

from mjadmin.upstream import UpstreamUnavailable


def unexpected_shape(service: str) -> UpstreamUnavailable:
    """Valid JSON that is not the documented shape."""
    return UpstreamUnavailable(
        f"{service} answered in a shape mjadmin does not understand. Try again in a minute."
    )


def text_value(value: Any) -> str | None:
    """A third-party field as display text, whatever JSON type it arrived as."""
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
