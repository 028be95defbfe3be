"""Benchmark: how long a lookup takes, as a multiple of one upstream call.

Runs the local fake with 300 ms latency per call and prints, for 1, 20, 100 and 500 ids, the time
of a whole lookup (batching + concurrent calls + matching) divided by the time of one call.
Target: 100 ids in at most 1.5x one call. Run with `make bench`.
"""

import logging
import os
import statistics
import sys
import time
import uuid

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
django.setup()

from django.conf import settings  # noqa: E402

from mjadmin.demo.fake_vendors import DEMO_APIFRAME_KEY, FakeUpstream  # noqa: E402
from tasks import apiframe, fetching  # noqa: E402

LATENCY = 0.3
SIZES = [1, 20, 100, 500]
TARGET = {100: 1.5}


def timed(fn, repeat: int = 3) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> int:
    logging.getLogger("mjadmin.upstream").setLevel(logging.WARNING)  # one line per call is noise
    with FakeUpstream(latency=LATENCY) as fake:
        settings.APIFRAME_BASE_URL = fake.base_url
        ids = [str(uuid.uuid4()) for _ in range(max(SIZES))]
        for task_id in ids:
            fake.add_task({"task_id": task_id, "task_type": "imagine", "status": "finished"})
        one_call = timed(lambda: apiframe.fetch_many(DEMO_APIFRAME_KEY, ids[:2]))
        print(f"fake upstream latency {LATENCY * 1000:.0f} ms; one call takes {one_call:.3f} s")
        print(f"{'ids':>5} {'calls':>6} {'seconds':>8} {'x one call':>11}  target")
        failed = False
        for size in SIZES:
            batch = ids[:size]
            seconds = timed(lambda batch=batch: fetching.fetch_all(DEMO_APIFRAME_KEY, batch))
            ratio = seconds / one_call
            target = TARGET.get(size)
            verdict = ""
            if target:
                verdict = f"<= {target}x {'met' if ratio <= target else 'MISSED'}"
                failed |= ratio > target
            calls = len(fetching.plan_calls(batch))
            print(f"{size:>5} {calls:>6} {seconds:>8.3f} {ratio:>10.2f}x  {verdict}")
        print(f"(at most {settings.TASKS_LOOKUP_CALLS} calls of one lookup run at once)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
