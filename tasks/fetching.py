"""Looking up many task ids at once: batches of at most 20, run concurrently, matched by id."""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.views.decorators.debug import sensitive_variables

from mjadmin import upstream
from tasks import apiframe
from tasks.statuses import ERROR, NOT_FOUND
from tasks.task_data import Task

# Bounded for the whole process: enough that 100 ids (5 calls) run at once, few enough that a
# 500-id lookup does not open 25 connections to the vendor at a time.
MAX_CONCURRENT_CALLS = 8
NOT_FOUND_TEXT = (
    "Apiframe has no task with this ID (check it, or it may belong to another API key)."
)
_executor = ThreadPoolExecutor(max_workers=MAX_CONCURRENT_CALLS, thread_name_prefix="apiframe")


@dataclass(frozen=True)
class Outcome:
    state: str
    task: Task | None = None
    failure: upstream.UpstreamError | None = None

    @property
    def error(self) -> str:
        if self.failure is not None:
            return self.failure.message
        return NOT_FOUND_TEXT if self.state == NOT_FOUND else ""


def plan_calls(task_ids: list[str]) -> list[list[str]]:
    """Chunks of 20 in order; a lone id (alone or left over) goes to /fetch on its own."""
    size = apiframe.MAX_IDS_PER_CALL
    return [task_ids[i : i + size] for i in range(0, len(task_ids), size)]


@sensitive_variables("key")
def _run_call(key: str, batch: list[str]) -> dict[str, Outcome]:
    try:
        if len(batch) == 1:
            found = apiframe.fetch(key, batch[0])
            tasks = [found] if found else []
        else:
            tasks = apiframe.fetch_many(key, batch)
    except upstream.UpstreamError as exc:
        failed = Outcome(ERROR, failure=exc)
        return dict.fromkeys(batch, failed)
    by_id = {task.task_id.lower(): task for task in tasks}
    return {
        task_id: Outcome(by_id[task_id].group, by_id[task_id])
        if task_id in by_id
        else Outcome(NOT_FOUND)
        for task_id in batch
    }


@sensitive_variables("key")
def fetch_all(key: str, task_ids: list[str]) -> dict[str, Outcome]:
    """Every id gets an outcome: a task, not found, or its call's error; none is dropped."""
    outcomes: dict[str, Outcome] = {}
    for result in _executor.map(lambda batch: _run_call(key, batch), plan_calls(task_ids)):
        outcomes.update(result)
    return outcomes
