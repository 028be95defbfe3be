"""Session lifetimes: an idle timeout (SESSION_IDLE_MINUTES, by Django's own cookie age, renewed
as the session is used) and an absolute one (SESSION_MAX_HOURS, counted from sign-in, here)."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

_SIGNED_IN_AT = "signed_in_at"
_RENEWED_AT = "renewed_at"
# The idle timeout moves on at most this often: saving the session on every request would make
# each page (and each poll of a filling lookup) a database write, queued behind any other.
RENEW_EVERY_SECONDS = 60


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
            _renew_when_due(request)
        return self.get_response(request)


def _renew_when_due(request: HttpRequest) -> None:
    """A change to the session saves it, which renews its expiry and its cookie's max-age."""
    renewed = request.session.get(_RENEWED_AT)
    now = int(time.time())
    if not isinstance(renewed, int) or now - renewed >= RENEW_EVERY_SECONDS:
        request.session[_RENEWED_AT] = now
