"""Session lifetimes: an idle timeout (SESSION_IDLE_MINUTES, by Django's own cookie age renewed on
every request) and an absolute one (SESSION_MAX_HOURS, counted from sign-in, here)."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

_SIGNED_IN_AT = "signed_in_at"


def mark_signed_in(request: HttpRequest) -> None:
    request.session[_SIGNED_IN_AT] = int(time.time())


class AbsoluteSessionLifetimeMiddleware:
    """Signs out a session older than SESSION_MAX_HOURS, however active it has been."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get(_SIGNED_IN_AT)
            too_old = time.time() - settings.SESSION_MAX_HOURS * 3600
            # A session without a start time predates this rule: it gets one now.
            if not isinstance(started, int):
                mark_signed_in(request)
            elif started < too_old:
                logout(request)
                messages.info(request, "Your session has ended. Please sign in again.")
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)
