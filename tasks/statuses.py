"""The one vocabulary of task states: what Apiframe says (either API), the groups mjadmin shows,
which of them are final, and how each one looks. Everything else reads it from here."""

from dataclasses import dataclass

from django.db import models

FINISHED, FAILED, RUNNING, PENDING = "finished", "failed", "running", "pending"
# Only Apiframe v2 cancels a job; it never runs again.
CANCELLED = "cancelled"
# Not vendor statuses: what mjadmin records when Apiframe does not know an id, or a call failed.
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
# The status tiles, in this order; the error tile only when something could not be fetched, the
# cancelled one only when something was cancelled (v1 never cancels).
SUMMARY_ORDER = (FINISHED, RUNNING, PENDING, FAILED, NOT_FOUND)
SHOWN_WHEN_SOME = (CANCELLED, ERROR)

# The statuses of both Apiframe APIs and the group each is shown in: the table of
# shared/api/apiframe-v2.md ("Mapping to what the pages show"), row for row. v2 says them in
# upper case, v1 in lower; either is matched without regard to case.
STATUS_TABLE: tuple[tuple[str, tuple[str, ...], str], ...] = (
    # (what v2 says, what v1 says, the group shown)
    ("QUEUED", ("pending", "staged"), PENDING),
    ("PROCESSING", ("starting", "processing", "retry", "retrying"), RUNNING),
    ("COMPLETED", ("finished", "completed"), FINISHED),
    ("FAILED", ("failed",), FAILED),
    ("CANCELLED", (), CANCELLED),
)
# An unknown status counts as running: the task exists and is not known to be over.
_GROUP_OF_VENDOR_STATUS = {
    said.lower(): shown for v2, v1, shown in STATUS_TABLE for said in (v2, *v1)
}


def is_v2_name_of(vendor_status: str, group: str) -> bool:
    """Whether the status is only v2's (upper-case) name for the group: "QUEUED" for pending."""
    return any(v2 == vendor_status and shown == group for v2, _, shown in STATUS_TABLE)


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
    CANCELLED: Badge("badge-muted", "⊘"),
    RUNNING: Badge("badge-info", "⟳"),
    PENDING: Badge("badge-muted", "…"),
    NOT_FOUND: Badge("badge-warn", "?"),
    ERROR: Badge("badge-bad", "⚠"),
}
UNKNOWN_BADGE = Badge("badge-muted", "•")
