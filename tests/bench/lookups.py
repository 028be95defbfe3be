"""Lookups against the local fake with 300 ms latency per call, as multiples of one call, for
`make bench`:

- a whole lookup of 1, 20, 100 and 500 ids (batching, concurrent calls, matching);
- a teammate's 1-id lookup while another user's 8,000-id lookup runs in the same process: the
  bulkheads in tasks/fetching.py keep the big one to TASKS_LOOKUP_CALLS of the process's
  TASKS_PROCESS_CALLS threads, so the small one starts at once. For contrast, the same with a
  lookup allowed every thread (settings refuse that at start-up; here it is overridden at run
  time, which fetch_all reads on every call).
"""

import os
import statistics
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.test import override_settings  # noqa: E402

from mjadmin.vendors.apiframe import v1 as apiframe  # noqa: E402
from mjadmin.vendors.apiframe.apis import V1  # noqa: E402
from mjadmin.vendors.base import VendorKey as ApiframeKey  # noqa: E402
from tasks import fetching  # noqa: E402
from tasks.statuses import FINISHED  # noqa: E402
from tests.fakes.fake_vendors import DEMO_APIFRAME_KEY, FakeUpstream  # noqa: E402

LATENCY = 0.3
SIZES = [1, 20, 100, 500]
# Big enough to outlast several rounds at every concurrency compared (40 and 96 calls at once).
BIG_LOOKUP = 8000
TEAMMATE_SAMPLES = 7
WAIT_SECONDS = 10.0


def fresh_ids(fake: FakeUpstream, count: int) -> list[str]:
    ids = [str(uuid.uuid4()) for _ in range(count)]
    for task_id in ids:
        fake.add_task({"task_id": task_id, "task_type": "imagine", "status": "finished"})
    return ids


def timed(fn: Callable[[], object], repeat: int = 3) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def _lookup(ids: list[str]) -> dict[str, fetching.Outcome]:
    outcomes = fetching.fetch_all(ApiframeKey(DEMO_APIFRAME_KEY, V1), ids)
    # A benchmark of lookups that failed would measure nothing: every id must come back found.
    missed = [i for i in ids if outcomes[i].state != FINISHED]
    if missed:
        raise RuntimeError(f"{len(missed)} of {len(ids)} ids not found: {outcomes[missed[0]]}")
    return outcomes


def one_call(fake: FakeUpstream) -> float:
    """Seconds of one Apiframe call (the unit of every lookup figure)."""
    settings.APIFRAME_BASE_URL = fake.base_url
    pair = fresh_ids(fake, 2)
    return timed(lambda: apiframe.fetch_many(DEMO_APIFRAME_KEY, pair))


@dataclass(frozen=True)
class LookupTime:
    ids: int
    calls: int
    seconds: float


def lookup_times(fake: FakeUpstream, unit: float) -> list[LookupTime]:
    ids = fresh_ids(fake, max(SIZES))
    print(f"{'ids':>5} {'calls':>6} {'seconds':>8} {'x one call':>11}")
    times = []
    for size in SIZES:
        batch = ids[:size]
        seconds = timed(lambda batch=batch: _lookup(batch))
        calls = fetching.plan_calls(batch, V1.ids_per_call)
        times.append(LookupTime(size, len(calls), seconds))
        print(f"{size:>5} {times[-1].calls:>6} {seconds:>8.3f} {seconds / unit:>10.2f}x")
    return times


@dataclass(frozen=True)
class Teammate:
    samples: list[float]  # seconds of each 1-id lookup, each wholly inside the big one
    big_seconds: float
    big_calls_at_once: int

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def max(self) -> float:
        return max(self.samples)


def _wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"gave up after {WAIT_SECONDS:.0f} s waiting for {what}")
        time.sleep(0.005)


def teammate_during_big_lookup(fake: FakeUpstream, big_calls_at_once: int) -> Teammate:
    """A 1-id lookup, again and again, while an 8,000-id one keeps `big_calls_at_once` calls in
    flight (once it has filled them); only samples that start and end while the big one runs
    count."""
    big, small = fresh_ids(fake, BIG_LOOKUP), fresh_ids(fake, 1)
    asked_before = len(fake.requests_to("/fetch-many"))
    samples: list[float] = []
    with (
        override_settings(TASKS_LOOKUP_CALLS=big_calls_at_once),
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="big-lookup") as runner,
    ):
        started = time.perf_counter()
        running = runner.submit(_lookup, big)
        # Every slot the big lookup may take is taken (the fake records a call on arrival).
        _wait_until(
            lambda: len(fake.requests_to("/fetch-many")) - asked_before >= big_calls_at_once,
            f"the {BIG_LOOKUP:,}-id lookup to fill its {big_calls_at_once} slots",
        )
        while len(samples) < TEAMMATE_SAMPLES and not running.done():
            # Teammates arrive at any moment, not in step with the big lookup's calls: each
            # sample starts after a different pause, from none to most of one call.
            time.sleep(LATENCY * len(samples) / TEAMMATE_SAMPLES)
            if running.done():
                break
            began = time.perf_counter()
            _lookup(small)
            if running.done():
                break  # it ended during this sample: not a lookup *while* the big one ran
            samples.append(time.perf_counter() - began)
        running.result(timeout=WAIT_SECONDS * 10)
        big_seconds = time.perf_counter() - started
    if not samples:
        raise RuntimeError(f"the {BIG_LOOKUP:,}-id lookup ended before any 1-id lookup did")
    return Teammate(samples, big_seconds, big_calls_at_once)


def print_teammate(label: str, teammate: Teammate, unit: float) -> None:
    ratios = ", ".join(f"{s / unit:.2f}" for s in teammate.samples)
    print(
        f"{label}: the {BIG_LOOKUP:,}-id lookup took {teammate.big_seconds:.1f} s with "
        f"{teammate.big_calls_at_once} calls at once; the 1-id lookups during it, x one call: "
        f"{ratios}"
    )
