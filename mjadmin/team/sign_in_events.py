"""Sign-in events from Django and django-axes, into the audit log."""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from mjadmin.audit.log import record
from mjadmin.audit.models import Action
from mjadmin.team.locks import as_recorded


@receiver(user_logged_in)
def _signed_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(Action.SIGNED_IN, subject=user.get_username(), request=request)


@receiver(user_logged_out)
def _signed_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(Action.SIGNED_OUT, subject=user.get_username(), request=request)


@receiver(user_login_failed)
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django has already replaced the password in `credentials`; the username is kept only when
    # it is a teammate's (a password typed into the username box must not be written down).
    username = credentials.get("username")
    subject = as_recorded(username) if isinstance(username, str) else ""
    record(Action.SIGN_IN_FAILED, subject=subject, request=request)


@receiver(user_locked_out)
def _locked_out(
    sender: Any, request: HttpRequest, username: str | None, ip_address: str | None, **kwargs: Any
) -> None:
    # Already as_recorded: django-axes got it from mjadmin.team.locks.username_tried.
    record(Action.LOCKED_OUT, subject=username or "", request=request)
