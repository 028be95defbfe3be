"""Legnext's job statuses and the group each is shown in (shared/api/legnext.md §2.2). Its own
web app also reads "running" and "queued" (undocumented): taken too."""

from mjadmin.vendors.states import FAILED, FINISHED, PENDING, RUNNING, group_in

_GROUP_OF = {
    "pending": PENDING,
    "staged": PENDING,
    "queued": PENDING,
    "processing": RUNNING,
    "running": RUNNING,
    "completed": FINISHED,
    "failed": FAILED,
}


def group_of(status: str | None, *, has_results: bool) -> str:
    return group_in(_GROUP_OF, status, has_results=has_results)
