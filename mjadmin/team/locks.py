"""Sign-in lock-outs (django-axes) as admins see and lift them."""

import hashlib
import ipaddress
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import get_user_model
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
    """The username a sign-in attempt was for, as django-axes keys its counts."""
    source = credentials if credentials else getattr(request, "POST", {})
    typed = source.get("username") if source else None
    return as_recorded(typed if isinstance(typed, str) else "")


def as_recorded(typed: str) -> str:
    """How a typed username is kept in the audit log and the lock counts: as typed when it is a
    teammate's, else only a fingerprint. People type their password into the username box; it
    must not end up in a table or a log."""
    typed = printable(typed)[:USERNAME_MAX]
    if not typed or get_user_model().objects.filter(username=typed).exists():
        return typed
    return "unknown user " + hashlib.sha256(typed.encode()).hexdigest()[:8]
