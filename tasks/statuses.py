"""How the task groups of mjadmin.vendors.states look on the Tasks pages: their tiles' order and
badges. Each vendor's own words for them are in its folder's status table."""

from dataclasses import dataclass

from mjadmin.vendors.states import (  # noqa: F401 (the vocabulary, re-exported for the feature)
    CANCELLED,
    ERROR,
    FAILED,
    FINISHED,
    IN_PROGRESS,
    NOT_FOUND,
    PENDING,
    POLLED,
    RUNNING,
    TERMINAL,
    State,
)

# The status tiles, in this order; the error tile only when something could not be fetched, the
# cancelled one only when something was cancelled (v1 never cancels).
SUMMARY_ORDER = (FINISHED, RUNNING, PENDING, FAILED, NOT_FOUND)
SHOWN_WHEN_SOME = (CANCELLED, ERROR)


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
