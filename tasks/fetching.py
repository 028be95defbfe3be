"""Looking up many task ids at once: calls of as many ids as the vendor's API takes (Apiframe
v1's fetch-many 20, midjourney-proxy's batch 100, one for the others), run concurrently within
bulkheads, matched by id. Which vendor and API a lookup asks is its key's."""

import contextvars
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.views.decorators.debug import sensitive_variables

from mjadmin import upstream
from mjadmin.vendors.base import VendorKey
from mjadmin.vendors.records import Task
from tasks.statuses import ERROR, NOT_FOUND


def not_found_text(vendor: str) -> str:
    return f"{vendor} has no task with this ID (check it, or it may belong to another API key)."


def not_found_group_text(vendor: str) -> str:
    """Said once above the results for all of them, rather than on every not-found card."""
    return (
        f"{vendor} has no task with these IDs: check them, or they may belong to another API key."
    )


NOT_ASKED_TEXT = "Not asked: the lookup ran out of time before this call. Refresh to ask again."

# Bulkheads. The process has TASKS_PROCESS_CALLS threads for vendor calls; one `fetch_all`
# keeps at most TASKS_LOOKUP_CALLS of them busy, so a big lookup never takes every slot and a
# teammate's small one starts at once. (A pasted lookup runs two at once: its first page's few
# calls, at most 5 with v1, beside the filler's; tasks/filling.py keeps room for them. With v2,
# one call an id, a first page is up to 100 calls (the table's page), 40 of them at once, and
# the process's pool queues what is over, so a teammate's lookup may wait behind them.)
_executor = ThreadPoolExecutor(
    max_workers=settings.TASKS_PROCESS_CALLS, thread_name_prefix="vendor-call"
)


@dataclass(frozen=True)
class Outcome:
    state: str
    task: Task | None = None
    failure: upstream.UpstreamError | None = None
    # Who said it had no such task (the vendor's name), for a not-found one.
    unknown_to: str = ""

    @property
    def error(self) -> str:
        if self.failure is not None:
            return self.failure.message
        return not_found_text(self.unknown_to) if self.state == NOT_FOUND else ""


def plan_calls(task_ids: list[str], size: int) -> list[list[str]]:
    """Chunks of `size` ids (the API's ids_per_call) in the user's order."""
    return [task_ids[i : i + size] for i in range(0, len(task_ids), size)]


@sensitive_variables("key")
def _run_call(key: VendorKey, batch: list[str]) -> dict[str, Outcome]:
    try:
        tasks = key.api.ask(key.secret, batch)
    except upstream.UpstreamError as exc:
        failed = Outcome(ERROR, failure=exc)
        return dict.fromkeys(batch, failed)
    by_id = {task.task_id.lower(): task for task in tasks}
    return {
        task_id: Outcome(by_id[task_id].group, by_id[task_id])
        if task_id in by_id
        else Outcome(NOT_FOUND, unknown_to=key.api.vendor_name)
        for task_id in batch
    }


def _submit(call: Callable[[], dict[str, Outcome]]) -> Future[dict[str, Outcome]]:
    # Each call runs in the caller's context, so the page's deadline holds in the pool too.
    return _executor.submit(contextvars.copy_context().run, call)


# The first page of a lookup is asked by a thread of its own while the paste's request saves the
# lookup's rows; these threads only wait on calls running in `_executor`.
_drivers = ThreadPoolExecutor(max_workers=16, thread_name_prefix="vendor-lookup")


@sensitive_variables("key")
def start(key: VendorKey, task_ids: list[str]) -> Future[dict[str, Outcome]]:
    """`fetch_all` in the background, so the caller can do other work while the calls run."""
    return _drivers.submit(contextvars.copy_context().run, fetch_all, key, task_ids)


# Called with each call's outcomes as that call returns (a lookup filling in progressively).
OnCall = Callable[[dict[str, Outcome]], None]


def _rate_limited(outcomes: dict[str, Outcome]) -> bool:
    return any(o.failure is not None and o.failure.status == 429 for o in outcomes.values())


@sensitive_variables("key")
def fetch_all(
    key: VendorKey,
    task_ids: list[str],
    on_call: OnCall | None = None,
    stop: threading.Event | None = None,
) -> dict[str, Outcome]:
    """Every id gets an outcome: a task, not found, or its call's error; none is dropped.

    At most TASKS_LOOKUP_CALLS calls of this lookup are in flight at once, half as many after
    each answer of 429 (too many requests); a call not started when the page's time is up, or
    once `stop` is set, is not made (its ids say so).
    """
    waiting = plan_calls(task_ids, key.api.ids_per_call)
    waiting.reverse()  # popped from the end: the user's order
    running: set[Future[dict[str, Outcome]]] = set()
    outcomes: dict[str, Outcome] = {}
    at_once = settings.TASKS_LOOKUP_CALLS

    def start_more() -> None:
        while waiting and len(running) < at_once:
            if upstream.time_left() <= 0 or (stop is not None and stop.is_set()):
                late = upstream.UpstreamUnavailable(NOT_ASKED_TEXT)
                for batch in waiting:
                    outcomes.update(dict.fromkeys(batch, Outcome(ERROR, failure=late)))
                waiting.clear()
                return
            running.add(_submit(partial(_run_call, key, waiting.pop())))

    start_more()
    while running:
        done, running = wait(running, return_when=FIRST_COMPLETED)
        returned = [future.result() for future in done]
        if any(_rate_limited(answers) for answers in returned):
            # The vendor asks for fewer calls: give it fewer, down to one at a time.
            at_once = max(1, at_once // 2)
        # The next calls go out before these answers are stored: storing takes time too.
        start_more()
        for answers in returned:
            outcomes.update(answers)
            if on_call is not None:
                on_call(answers)
    return outcomes
