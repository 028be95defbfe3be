"""Sign-in lock-outs (django-axes) as admins see and lift them."""

import ipaddress
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from mjadmin.text import printable

USERNAME_MAX = 150  # Django's User.username


@dataclass(frozen=True)
class Lock:
    username: str
    ip: str
    failures: int
    last_attempt: datetime


def current_locks() -> list[Lock]:
    """Username + address pairs at or over the failure limit, within the cool-off."""
    attempts = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).order_by("-attempt_time")
    if settings.AXES_COOLOFF_TIME:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    return [
        Lock(a.username or "", a.ip_address or "", a.failures_since_start, a.attempt_time)
        for a in attempts
    ]


def locked_usernames() -> set[str]:
    return {lock.username for lock in current_locks()}


def lift(username: str, ip: str) -> int:
    """Lift the lock on this username from this address; 0 when there was none (or the form
    was tampered with: the database would refuse an address that is not one)."""
    try:
        address = str(ipaddress.ip_address(ip))
    except ValueError:
        return 0
    return reset(ip=address, username=printable(username)[:USERNAME_MAX] or None)


def username_tried(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The username a sign-in attempt was for, as django-axes keys its counts: what was typed,
    cut to the longest username there can be, so any junk typed still counts (and fits)."""
    source = credentials if credentials else getattr(request, "POST", {})
    typed = source.get("username") if source else None
    return printable(typed)[:USERNAME_MAX] if isinstance(typed, str) else ""
