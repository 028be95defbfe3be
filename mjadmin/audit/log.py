"""Writing to the audit log: the one function every event goes through."""

import logging

from django.http import HttpRequest

from mjadmin.audit.context import current_request
from mjadmin.audit.models import AuditEvent
from mjadmin.client_ip import client_ip
from mjadmin.text import printable

logger = logging.getLogger(__name__)
# Free text from a form (a typed username) is cut to the column and kept printable.
_MAX_TEXT = 150


def _clean(text: str, limit: int = _MAX_TEXT) -> str:
    return printable(text)[:limit]


def record(
    action: str,
    *,
    subject: str = "",
    detail: str = "",
    request: HttpRequest | None = None,
) -> AuditEvent:
    request = request or current_request()
    user = getattr(request, "user", None)
    actor = user if user is not None and user.is_authenticated else None
    event = AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_name=actor.get_username() if actor else "",
        subject=_clean(subject),
        ip=client_ip(request) if request is not None else None,
        detail=_clean(detail, 300),
    )
    # Also in the server log, for whoever collects logs centrally.
    logger.info(
        "audit %s subject=%r actor=%r ip=%s", action, event.subject, event.actor_name, event.ip
    )
    return event
