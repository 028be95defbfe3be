"""Typed client for midjourney-proxy at MJ_PROXY_BASE_URL, the token sent in MJ_PROXY_AUTH_HEADER:
tasks by id in batches (`POST /mj/task/list-by-condition`, else one `GET /mj/task/{id}/fetch`
each where a proxy lacks it), and trueai-org's admin account routes."""

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.views.decorators.debug import sensitive_variables

from mjadmin import upstream, vendor_data
from mjadmin.vendors.midjourney_proxy.tasks import is_task, parse_task
from mjadmin.vendors.records import Task

SERVICE = "midjourney-proxy"
# Neither proxy limits a batch; this keeps one answer a reasonable size.
BATCH_IDS = 100
# How long this server remembers that the proxy has no batch route (novicezk's has one; a relay
# may not): meanwhile each id is its own call, run at once within the lookups' bulkheads.
NO_BATCH_SECONDS = 600


class NoProxy(upstream.UpstreamUnavailable):
    title = "No midjourney-proxy configured"


def _base() -> str:
    if not settings.MJ_PROXY_BASE_URL:
        raise NoProxy(
            "This server has no midjourney-proxy address yet: its operator sets "
            "MJ_PROXY_BASE_URL (README: Settings)."
        )
    return str(settings.MJ_PROXY_BASE_URL)


def _no_batch_key() -> str:
    return f"vendors:midjourney-proxy:no-batch:{settings.MJ_PROXY_BASE_URL}"


def batch_missing() -> bool:
    return bool(cache.get(_no_batch_key()))


@sensitive_variables("token")
def _sent_as(token: str) -> dict[str, Any]:
    """How every call reaches the proxy: its service's name for messages, and the token."""
    return {
        "service": SERVICE,
        "credential": "token",
        "authorization": token,
        "header": settings.MJ_PROXY_AUTH_HEADER,
    }


@sensitive_variables("token", "body")
def call(method: str, path: str, token: str, body: Any = None, **options: Any) -> Any:
    """One call's JSON (a 429 waited out while the page has time); an UpstreamError else."""
    return upstream.request_json_waiting(
        method, f"{_base()}{path}", json_body=body, **_sent_as(token), **options
    )


@sensitive_variables("token", "body")
def answered(method: str, path: str, token: str, body: Any = None) -> Any:
    """One call's JSON, None for an empty answer (a 204); a change is sent once (never again
    after a 502, a refused connection aside); an UpstreamError else."""
    _status, payload = upstream.request_answer(
        method, f"{_base()}{path}", json_body=body, **_sent_as(token)
    )
    return payload


@sensitive_variables("token")
def list_by_condition(token: str, task_ids: list[str]) -> list[Task]:
    """The tasks the proxy knows among `task_ids` (missing ones are left out, in any order)."""
    payload = call("POST", "/mj/task/list-by-condition", token, {"ids": task_ids})
    if not isinstance(payload, list) or (payload and not any(is_task(t) for t in payload)):
        raise vendor_data.unexpected_shape(SERVICE)
    # Never more than were asked for, whatever a hostile proxy sends.
    return [parse_task(t) for t in payload[: len(task_ids) * 2] if is_task(t)]


@sensitive_variables("token")
def fetch(token: str, task_id: str) -> Task | None:
    """One task, or None when the proxy does not know it (trueai-org: 204; novicezk: 200 with an
    empty body)."""
    payload = answered("GET", f"/mj/task/{task_id}/fetch", token)
    if payload is None:
        return None
    if not is_task(payload):
        raise vendor_data.unexpected_shape(SERVICE)
    return parse_task(payload)


@sensitive_variables("token")
def look_up(token: str, task_ids: list[str]) -> list[Task]:
    """By batch; where the proxy has no batch route (404), one fetch an id, and remembered."""
    if not batch_missing():
        try:
            return list_by_condition(token, task_ids)
        except upstream.UpstreamNotFound:
            cache.set(_no_batch_key(), True, NO_BATCH_SECONDS)
    found = (fetch(token, task_id) for task_id in task_ids)
    return [task for task in found if task is not None]
