"""The groups a task is shown in, whatever its vendor: each vendor's status table (in its folder)
maps the vendor's own words onto these."""

from django.db import models

FINISHED, FAILED, RUNNING, PENDING = "finished", "failed", "running", "pending"
# A job the vendor cancelled; it never runs again.
CANCELLED = "cancelled"
# Not vendor statuses: what mjadmin records when a vendor does not know an id, or a call failed.
NOT_FOUND, ERROR = "not_found", "error"


class State(models.TextChoices):
    FINISHED = FINISHED, "finished"
    RUNNING = RUNNING, "running"
    PENDING = PENDING, "pending"
    FAILED = FAILED, "failed"
    CANCELLED = CANCELLED, "cancelled"
    NOT_FOUND = NOT_FOUND, "not found"
    ERROR = ERROR, "could not fetch"


# Finished, failed and cancelled tasks never change again, so they are never asked for again.
TERMINAL = frozenset({FINISHED, FAILED, CANCELLED})
# Asked again by the page on its own; not-found ids wait for an explicit Refresh, since
# asking again rarely changes that answer.
POLLED = frozenset({RUNNING, PENDING, ERROR})
IN_PROGRESS = frozenset({RUNNING, PENDING})


def group_in(table: dict[str, str], vendor_status: str | None, *, has_results: bool) -> str:
    """The group a vendor's status (any case) is shown in, by the vendor's `table` of lower-case
    status -> group. An unknown status counts as running: the task exists and is not known to
    be over; no status at all is finished when results came, else pending."""
    if vendor_status:
        return table.get(vendor_status.lower(), RUNNING)
    return FINISHED if has_results else PENDING
