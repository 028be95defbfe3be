"""The one way a page asks its vendor again, for Accounts and Tasks alike.

Refresh spends the vendor's quota and may store what comes back, so it is a POST (CSRF-checked,
never triggered by a prefetch or a crawler). The POST only notes the request in the session and
redirects to the page; the GET that follows loads fresh once, so a reload never asks again.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

_SESSION_KEY = "refresh_requested_for"

RefreshableView = Callable[..., HttpResponse]


def refreshable(view: RefreshableView) -> Callable[..., HttpResponse]:
    """GET renders the view with `fresh` (True once after a Refresh); POST asks for one."""

    @require_http_methods(["GET", "POST"])
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST":
            request.session[_SESSION_KEY] = request.path
            return redirect(request.get_full_path())
        fresh = request.session.get(_SESSION_KEY) == request.path
        if fresh:
            del request.session[_SESSION_KEY]
        return view(request, *args, fresh=fresh, **kwargs)

    return wrapper
