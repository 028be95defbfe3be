"""Showing times in each viewer's own time zone: the one chosen on their profile, else the one
their browser reports (static/js/time_zone.js keeps it in a cookie), else UTC."""

import enum
import functools
import zoneinfo
from collections.abc import Callable
from typing import NamedTuple

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from mjadmin.team.models import AUTOMATIC_TIME_ZONE, Profile

BROWSER_COOKIE = "tz"
# Not "time_zone" as before automatic zones: sessions from then hold "UTC" for teammates who
# never chose it, which would now hide their browser's zone until they sign in again.
_SESSION_KEY = "chosen_time_zone"
_UTC = zoneinfo.ZoneInfo("UTC")


class Source(enum.StrEnum):
    PROFILE = "profile"
    BROWSER = "browser"
    FALLBACK = "fallback"


class ViewerZone(NamedTuple):
    zone: zoneinfo.ZoneInfo
    source: Source


@functools.cache
def _known_zones() -> frozenset[str]:
    # Read once per process: a cookie is then checked by one set lookup, where ZoneInfo() would
    # search the disk for every unknown name a client sends (and must refuse paths itself).
    return frozenset(zoneinfo.available_timezones())


def _zone_named(name: str) -> zoneinfo.ZoneInfo | None:
    if name not in _known_zones():
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        # The system's tz database changed under the running process.
        return None


def remember(request: HttpRequest, name: str) -> None:
    request.session[_SESSION_KEY] = name


def _chosen(request: HttpRequest) -> str:
    name = request.session.get(_SESSION_KEY)
    if not isinstance(name, str):
        # Once per session, not per request. The browser's zone is never kept there: a laptop
        # travels during a session.
        user_id = request.user.pk or 0
        stored = Profile.objects.filter(user_id=user_id).values_list("time_zone", flat=True)
        name = next(iter(stored), AUTOMATIC_TIME_ZONE)
        remember(request, name)
    return name


def viewer_zone(request: HttpRequest) -> ViewerZone:
    """A zone chosen on the profile wins; a zone that is unknown here counts as none."""
    if request.user.is_authenticated:
        chosen = _zone_named(_chosen(request))
        if chosen is not None:
            return ViewerZone(chosen, Source.PROFILE)
    reported = _zone_named(request.COOKIES.get(BROWSER_COOKIE, ""))
    if reported is not None:
        return ViewerZone(reported, Source.BROWSER)
    return ViewerZone(_UTC, Source.FALLBACK)


class ViewerTimeZoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with timezone.override(viewer_zone(request).zone):
            return self.get_response(request)
