"""Typed client for Apiframe's v2 API: one job by its id (shared/api/apiframe-v2.md).

v2 has no fetch-many: a lookup asks each id on its own, and tasks/fetching.py runs those calls
at once within its bulkheads. A 429 says in Retry-After when to ask again: the wait is honoured
while it ends within the page's time; past that, the 429 is the answer (and fetching asks fewer
at once).
"""

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.views.decorators.debug import sensitive_variables

from mjadmin import upstream, vendor_data
from mjadmin.redaction import mask_answer
from mjadmin.vendors.apiframe.key_account import from_v2_me
from mjadmin.vendors.apiframe.tasks import is_v2_job, parse_job
from mjadmin.vendors.base import CursorRefused, JobsPage
from mjadmin.vendors.records import KeyAccount, Task
from mjadmin.vendors.task_ids import UUID

SERVICE = "Apiframe"


def _wrong_address() -> upstream.UpstreamUnavailable:
    return upstream.UpstreamUnavailable(
        f"{SERVICE} has no /v2/jobs at {settings.APIFRAME_V2_BASE_URL}. Check "
        "APIFRAME_V2_BASE_URL, or try again later.",
        status=404,
    )


@sensitive_variables("key")
def _get(key: str, path: str, *, key_shaped: bool = True) -> Any:
    return upstream.request_json_waiting(
        "GET",
        f"{settings.APIFRAME_V2_BASE_URL}{path}",
        service=SERVICE,
        credential="API key",
        authorization=key,
        header="X-API-Key",
        key_shaped=key_shaped,
    )


@sensitive_variables("key")
def fetch_job(key: str, job_id: str) -> Task | None:
    """One job, or None when Apiframe has none with this id for this key (it answers 404 for
    another user's job too). Job ids are UUIDs: anything else is not asked, as v2 would refuse
    it (400)."""
    if not UUID.fullmatch(job_id):
        return None
    try:
        payload = _get(key, f"/v2/jobs/{job_id}")
    except upstream.UpstreamNotFound as exc:
        if exc.details:
            return None  # the vendor's own words: it has no such job for this key
        # A bare 404 is a web server's, not Apiframe's: the address is wrong.
        raise _wrong_address() from None
    if not isinstance(payload, dict) or not is_v2_job(payload):
        raise vendor_data.unexpected_shape(SERVICE)
    return parse_job(payload)


@sensitive_variables("key")
def me(key: str) -> KeyAccount:
    """What `GET /v2/me` says of the key: its user, team (credits, plan) and name."""
    return from_v2_me(_get(key, "/v2/me"), key)


# GET /v2/jobs lists 1 to 100 a page; more than that in an answer is read no further.
LIST_MAX = 100
# A cursor is the vendor's own opaque text and goes into this app's addresses: a longer one,
# or one with control characters, is not one to send back.
CURSOR_MAX = 1_000


def usable_cursor(cursor: Any) -> bool:
    return isinstance(cursor, str) and 0 < len(cursor) <= CURSOR_MAX and cursor.isprintable()


@sensitive_variables("key")
def list_jobs(
    key: str,
    *,
    limit: int,
    status: str | None = None,
    cursor: str | None = None,
    search: str | None = None,
) -> JobsPage:
    """One page of the key's jobs, newest first: those with a v2 `status`, or the one job whose
    id is `search`, from where `cursor` (a page's next_cursor) says."""
    query = {"limit": str(max(1, min(limit, LIST_MAX)))}
    query |= {name: value for name, value in (("status", status), ("search", search)) if value}
    if cursor:
        query["cursor"] = cursor
    try:
        # The page's cursor is opaque text that looks like a key and must go back as it came:
        # only the jobs get the key-shaped pass (the key itself is masked everywhere).
        payload = _get(key, f"/v2/jobs?{urlencode(query)}", key_shaped=False)
    except upstream.UpstreamBadRequest:
        if not cursor:
            raise
        raise CursorRefused(
            f"{SERVICE} no longer knows that page of jobs: its link is too old, or was never "
            "one of its own. Start again from the newest jobs.",
            status=400,
        ) from None
    except upstream.UpstreamNotFound:
        # Listing never finds "nothing": a 404 means the address is wrong.
        raise _wrong_address() from None
    listed = payload.get("jobs") if isinstance(payload, dict) else None
    if not isinstance(listed, list):
        raise vendor_data.unexpected_shape(SERVICE)
    listed = mask_answer(listed[:LIST_MAX], (key,))
    jobs = tuple(
        parse_job(job)
        for job in listed[:LIST_MAX]
        if isinstance(job, dict) and is_v2_job(job) and isinstance(job.get("id"), str)
    )
    more = payload.get("hasMore") is not False
    following = payload.get("nextCursor")
    return JobsPage(jobs, following if more and usable_cursor(following) else None)
