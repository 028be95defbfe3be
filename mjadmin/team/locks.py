"""Sign-in lock-outs (django-axes) as admins see and lift them."""

from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.utils import timezone


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
    return reset(ip=ip or None, username=username or None)
