"""midjourney-proxy's task statuses (shared/api/midjourney-proxy.md §4.4) and the group each is
shown in. SUBMITTED is sent to Discord but not started; MODAL waits for remix input."""

from mjadmin.vendors.states import CANCELLED, FAILED, FINISHED, PENDING, RUNNING, group_in

_GROUP_OF = {
    "not_start": PENDING,
    "submitted": PENDING,
    "modal": PENDING,
    "in_progress": RUNNING,
    "success": FINISHED,
    "failure": FAILED,
    "cancel": CANCELLED,
}


def group_of(status: str | None, *, has_results: bool) -> str:
    return group_in(_GROUP_OF, status, has_results=has_results)
