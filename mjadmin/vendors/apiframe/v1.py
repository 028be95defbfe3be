"""Typed client for Apiframe's original (v1) API: its fetch endpoints (shared/api/apiframe.md)."""

from typing import Any

from django.conf import settings
from django.views.decorators.debug import sensitive_variables

from mjadmin import upstream, vendor_data
from mjadmin.vendors.apiframe.key_account import from_v1_account
from mjadmin.vendors.apiframe.tasks import parse_task
from mjadmin.vendors.records import KeyAccount, Task

SERVICE = "Apiframe"
MAX_IDS_PER_CALL = 20


@sensitive_variables("key")
def authorization(key: str) -> str:
    """The Authorization header's value: the raw key as the v1 docs have it, or "Bearer <key>"
    as apiframe-sdk sends it (APIFRAME_AUTH_SCHEME)."""
    return f"Bearer {key}" if settings.APIFRAME_AUTH_SCHEME == "bearer" else key


@sensitive_variables("key")
def _post(path: str, key: str, body: dict[str, Any]) -> Any:
    return upstream.request_json(
        "POST",
        f"{settings.APIFRAME_BASE_URL}{path}",
        service=SERVICE,
        credential="API key",
        authorization=authorization(key),
        json_body=body,
    )


def _wrong_address(path: str) -> upstream.UpstreamUnavailable:
    return upstream.UpstreamUnavailable(
        f"{SERVICE} has no {path} at {settings.APIFRAME_BASE_URL}. Check APIFRAME_BASE_URL, "
        "or try again later.",
        status=404,
    )


@sensitive_variables("key")
def fetch_many(key: str, task_ids: list[str]) -> list[Task]:
    """2 to 20 ids in one call; tasks come back in any order and unknown ids may be missing."""
    if not 2 <= len(task_ids) <= MAX_IDS_PER_CALL:
        raise ValueError(f"fetch-many takes 2 to {MAX_IDS_PER_CALL} ids, got {len(task_ids)}")
    try:
        payload = _post("/fetch-many", key, {"task_ids": task_ids})
    except upstream.UpstreamNotFound:
        # Unknown ids are left out, never a 404: a 404 means the address is wrong.
        raise _wrong_address("/fetch-many") from None
    tasks = payload.get("tasks") if isinstance(payload, dict) else None
    if not isinstance(tasks, list):
        raise vendor_data.unexpected_shape(SERVICE)
    return [parse_task(t) for t in tasks if isinstance(t, dict) and t.get("task_id")]


@sensitive_variables("key")
def fetch(key: str, task_id: str) -> Task | None:
    """One task, or None when Apiframe does not know it."""
    try:
        payload = _post("/fetch", key, {"task_id": task_id})
    except upstream.UpstreamBadRequest:
        # An unknown id is not documented: expect a 400, or a 404 (below).
        return None
    except upstream.UpstreamNotFound as exc:
        if exc.details:
            return None  # the vendor's own words: it does not know this id
        # A bare 404 is a web server's, not Apiframe's: the address is wrong.
        raise _wrong_address("/fetch") from None
    if not isinstance(payload, dict) or not payload.get("task_id"):
        raise vendor_data.unexpected_shape(SERVICE)
    return parse_task(payload)


@sensitive_variables("key")
def account(key: str) -> KeyAccount:
    """What `GET /account` says of the key's account. An UpstreamNotFound means this server
    has no such endpoint (not every v1 deployment answers it)."""
    payload = upstream.request_json(
        "GET",
        f"{settings.APIFRAME_BASE_URL}/account",
        service=SERVICE,
        credential="API key",
        authorization=authorization(key),
    )
    return from_v1_account(payload, key)
