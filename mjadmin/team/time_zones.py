"""Showing times in each viewer's own time zone (set on their profile; UTC until they do)."""

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from mjadmin.team.models import Profile

_SESSION_KEY = "time_zone"


def remember(request: HttpRequest, name: str) -> None:
    request.session[_SESSION_KEY] = name


def _zone_of(request: HttpRequest) -> zoneinfo.ZoneInfo:
    name = request.session.get(_SESSION_KEY)
    if not isinstance(name, str):
        # Once per session, not per request.
        user_id = request.user.pk or 0
        stored = Profile.objects.filter(user_id=user_id).values_list("time_zone", flat=True)
        name = next(iter(stored), "UTC")
        remember(request, name)
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        # A zone the system's tz database dropped since it was chosen.
        return zoneinfo.ZoneInfo("UTC")


class ViewerTimeZoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.get_response(request)
        with timezone.override(_zone_of(request)):
            return self.get_response(request)
