"""The one vocabulary of task states: what Apiframe says, the groups mjadmin shows, which of
them are final, and how each one looks. Everything else reads it from here."""

from dataclasses import dataclass

from django.db import models

FINISHED, FAILED, RUNNING, PENDING = "finished", "failed", "running", "pending"
# Not vendor statuses: what mjadmin records when Apiframe does not know an id, or a call failed.
NOT_FOUND, ERROR = "not_found", "error"


class State(models.TextChoices):
    FINISHED = FINISHED, "finished"
    RUNNING = RUNNING, "running"
    PENDING = PENDING, "pending"
    FAILED = FAILED, "failed"
    NOT_FOUND = NOT_FOUND, "not found"
    ERROR = ERROR, "could not fetch"


# Finished and failed tasks never change again, so they are never asked for again.
TERMINAL = frozenset({FINISHED, FAILED})
# Asked again by the page on its own; not-found ids wait for an explicit Refresh, since
# asking again rarely changes that answer.
POLLED = frozenset({RUNNING, PENDING, ERROR})
IN_PROGRESS = frozenset({RUNNING, PENDING})
# The status tiles, in this order; the error tile only when something could not be fetched.
SUMMARY_ORDER = (FINISHED, RUNNING, PENDING, FAILED, NOT_FOUND)

# Apiframe's statuses (documented and seen) and the group each is shown in. An unknown status
# counts as running: the task exists and is not known to be over.
_GROUP_OF_VENDOR_STATUS = {
    "finished": FINISHED,
    "completed": FINISHED,
    "failed": FAILED,
    "pending": PENDING,
    "staged": PENDING,
    "starting": RUNNING,
    "processing": RUNNING,
    "retry": RUNNING,
    "retrying": RUNNING,
}


def group_of(vendor_status: str | None, *, has_results: bool) -> str:
    if vendor_status:
        return _GROUP_OF_VENDOR_STATUS.get(vendor_status.lower(), RUNNING)
    # The vendor's own finished example has results and no status at all.
    return FINISHED if has_results else PENDING


@dataclass(frozen=True)
class Badge:
    css_class: str
    symbol: str


BADGES = {
    FINISHED: Badge("badge-ok", "✓"),
    FAILED: Badge("badge-bad", "✕"),
    RUNNING: Badge("badge-info", "⟳"),
    PENDING: Badge("badge-muted", "…"),
    NOT_FOUND: Badge("badge-warn", "?"),
    ERROR: Badge("badge-bad", "⚠"),
}
UNKNOWN_BADGE = Badge("badge-muted", "•")
