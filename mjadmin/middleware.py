from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from mjadmin import upstream


class NoStoreWhenSignedInMiddleware:
    """Nothing a signed-in teammate sees (pages, exports) is kept by the browser or a proxy:
    a shared computer's back button or disk cache must not show a team's data to the next one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


class UpstreamPageDeadlineMiddleware:
    """Every upstream call a request makes ends within UPSTREAM_PAGE_TIMEOUT of its arrival, so
    a misbehaving vendor never holds a worker longer, however many calls the page makes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with upstream.page_deadline(settings.UPSTREAM_PAGE_TIMEOUT):
            return self.get_response(request)
