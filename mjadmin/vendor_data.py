"""Helpers for the vendor clients: reading third-party JSON that is hostile until parsed."""

import json
import math
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from mjadmin.redaction import redact
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


def vendor_message(value: Any) -> str | None:
    # A task's error text is the vendor's: anything shaped like a key in it is masked before
    # the team sees it (on the page, in exports).
    text = text_value(value)
    return redact(text) if text else None


# Any white space (str.isspace's, which \s matches) or control character: a regex, since a page
# of results checks hundreds of URLs, and a loop over their characters took a quarter of its time.
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f]")


def safe_media_url(value: Any) -> str | None:
    """Third-party URLs become links or images only when https (or an allowed demo origin)."""
    if not isinstance(value, str) or _SPACE_OR_CONTROL.search(value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme == "https" and parts.netloc:
        return value
    origin = f"{parts.scheme}://{parts.netloc}"
    return value if origin in settings.MEDIA_EXTRA_ORIGINS else None


def as_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    return [] if value is None else [value]


def media_urls(value: Any) -> tuple[str, ...]:
    return tuple(url for url in map(safe_media_url, as_list(value)) if url)


def percentage(value: Any) -> int | None:
    # A string while running ("40"), a number when finished, or absent.
    if isinstance(value, bool):
        return None
    try:
        number = float(value.strip().rstrip("%")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError, OverflowError):  # a 400-digit number is none
        return None
    if not math.isfinite(number):
        return None
    return max(0, min(100, round(number)))


# Epoch numbers outside these years are something else (a duration, a counter): ignored.
_EARLIEST, _LATEST = datetime(2022, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)


def moment(value: Any) -> datetime | None:
    """A date and time as a vendor may write one: ISO 8601, or seconds or milliseconds since
    1970; None for anything else."""
    when: datetime | None = None
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and abs(value) > 10**15:
        return None  # no time (math.isfinite would overflow on a number of 400 digits)
    if isinstance(value, int | float) and math.isfinite(value):
        seconds = value / 1000 if value > 1e11 else value  # milliseconds, as JavaScript has it
        try:
            when = datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    elif isinstance(value, str) and len(value) <= 40:
        try:
            when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
    if when is not None and _EARLIEST <= when < _LATEST:
        return when
    return None
