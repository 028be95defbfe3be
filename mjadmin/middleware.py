from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse


@lru_cache(maxsize=4)
def _policy(media_extra_origins: tuple[str, ...]) -> str:
    media = " ".join(["https:", *media_extra_origins])
    return "; ".join(
        [
            "default-src 'self'",
            f"img-src 'self' {media}",
            f"media-src {media}",
            "script-src 'self'",
            "style-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class ContentSecurityPolicyMiddleware:
    """A strict CSP: our own scripts and styles only; third-party images over https only."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = _policy(tuple(settings.MEDIA_EXTRA_ORIGINS))
        response.headers.setdefault("Content-Security-Policy", policy)
        return response
