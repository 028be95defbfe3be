"""Apiframe's statuses, both APIs, and the group each is shown in: the table of
shared/api/apiframe-v2.md ("Mapping to what the pages show"), row for row. v2 says them in upper
case, v1 in lower; either is matched without regard to case."""

from mjadmin.vendors.states import CANCELLED, FAILED, FINISHED, PENDING, RUNNING, group_in

STATUS_TABLE: tuple[tuple[str, tuple[str, ...], str], ...] = (
    # (what v2 says, what v1 says, the group shown)
    ("QUEUED", ("pending", "staged"), PENDING),
    ("PROCESSING", ("starting", "processing", "retry", "retrying"), RUNNING),
    ("COMPLETED", ("finished", "completed"), FINISHED),
    ("FAILED", ("failed",), FAILED),
    ("CANCELLED", (), CANCELLED),
)
_GROUP_OF = {said.lower(): shown for v2, v1, shown in STATUS_TABLE for said in (v2, *v1)}
# What v2 is asked for to list the jobs of a group (Recent jobs' filter).
V2_STATUS_OF_GROUP = {shown: v2 for v2, _v1, shown in STATUS_TABLE}


def is_v2_name_of(vendor_status: str, group: str) -> bool:
    """Whether the status is only v2's (upper-case) name for the group: "QUEUED" for pending."""
    return any(v2 == vendor_status and shown == group for v2, _, shown in STATUS_TABLE)


def group_of(vendor_status: str | None, *, has_results: bool) -> str:
    return group_in(_GROUP_OF, vendor_status, has_results=has_results)
