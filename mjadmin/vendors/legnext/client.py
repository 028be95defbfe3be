"""Typed client for Legnext: `GET /v1/job/{job_id}` and `GET /account/balance`, the key sent as
`x-api-key` (shared/api/legnext.md). A 429 is waited out as its Retry-After asks, while the page
has time."""

from typing import Any

from django.conf import settings
from django.views.decorators.debug import sensitive_variables

from mjadmin import upstream, vendor_data
from mjadmin.vendors.legnext.jobs import is_job, parse_job
from mjadmin.vendors.records import KeyAccount, Task, shown_number
from mjadmin.vendors.task_ids import UUID

SERVICE = "Legnext"
# No account has this many credits: a number past it is something else.
NUMBER_MAX = 10**15


@sensitive_variables("key")
def _get(key: str, path: str) -> Any:
    return upstream.request_json_waiting(
        "GET",
        f"{settings.LEGNEXT_BASE_URL}{path}",
        service=SERVICE,
        credential="API key",
        authorization=key,
        header="x-api-key",
    )


def _wrong_address(path: str) -> upstream.UpstreamUnavailable:
    return upstream.UpstreamUnavailable(
        f"{SERVICE} has no {path} at {settings.LEGNEXT_BASE_URL}. Check LEGNEXT_BASE_URL, or "
        "try again later.",
        status=404,
    )


@sensitive_variables("key")
def fetch_job(key: str, job_id: str) -> Task | None:
    """One job, or None when Legnext has none with this id. Its ids are UUIDs: anything else is
    not asked."""
    if not UUID.fullmatch(job_id):
        return None
    try:
        payload = _get(key, f"/v1/job/{job_id}")
    except upstream.UpstreamNotFound as exc:
        if exc.details:
            return None  # its own words: no such job
        raise _wrong_address("/v1/job") from None
    # The job object itself; its own web app also reads {timestamp, data: {job}}.
    job = payload.get("data") if isinstance(payload, dict) and "job_id" not in payload else payload
    if not isinstance(job, dict) or not is_job(job):
        raise vendor_data.unexpected_shape(SERVICE)
    return parse_job(job)


def _number(value: Any) -> int | float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value if abs(value) < NUMBER_MAX and value == value else None  # NaN is not equal


@sensitive_variables("key")
def balance(key: str) -> KeyAccount:
    """What `GET /account/balance` says: credits, points and the balance in dollars."""
    payload = _get(key, "/account/balance")
    data = payload.get("data") if isinstance(payload, dict) else None
    data = data if isinstance(data, dict) else payload if isinstance(payload, dict) else {}
    figures = []
    usd = _number(data.get("balance_usd"))
    if usd is not None:
        figures.append(("Balance", f"${usd:,.2f}"))
    points = _number(data.get("available_points"))
    if points is not None:
        figures.append(("Points", shown_number(points)))
    return KeyAccount(credits=_number(data.get("available_credits")), figures=tuple(figures))
