"""Who may do what: a team has admins (who manage the team) and members."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def is_admin(user: AbstractBaseUser | AnonymousUser) -> bool:
    # The first-run admin and anyone made admin since are superusers (and staff, for the
    # Django admin); a staff flag alone grants nothing here.
    return bool(user.is_active and getattr(user, "is_superuser", False))


def admin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """403 for members; anonymous users never get here (LoginRequiredMiddleware)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_admin(request.user):
            raise PermissionDenied("Only a team admin can open this page.")
        return view(request, *args, **kwargs)

    return wrapper
