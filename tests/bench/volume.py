"""The history and a big lookup's pages at a year of a busy team's data, for `make bench`.

A fresh PostgreSQL database (DATABASE below, on MJADMIN_BENCH_POSTGRES) is migrated and filled by
`python -m tests.tool seed_volume` (100,000 lookups, 2,000,000 task results). Each page is then
asked for
through Django's test client, in a process of its own that runs the app as `make run` does (the
database cache, database sessions) but on PostgreSQL: server time is the time of that call. The
history's table is a fragment cache, so its figures are taken cold (the cache's version bumped
before each request), and page 1 once warm for contrast. The pages are asked in rounds, one of
each per round, so a busy moment of the machine weighs on every page alike.

The database is dropped at the end; `python -m tests.bench.volume --keep` keeps it, and a later
`--keep` run reuses it instead of seeding again (minutes).
"""

import argparse
import contextlib
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import psycopg

from tests.html import all_of

REPO = Path(__file__).resolve().parents[2]
SERVER = os.environ.get("MJADMIN_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DATABASE = "mjadmin_bench_volume"
LOOKUPS, RESULTS = 100_000, 2_000_000
SAMPLES = 60
WARM_UP = 3
LIMIT_MS = 100
CALIBRATION_STEPS = 3_000_000
# Fixed test values; they protect nothing.
SECRET_KEY = "bench-secret-key-not-for-production-6d2b9e4f7a1c3e5d8b0a2c4e6f8d"
FIELD_ENCRYPTION_KEYS = "uB9jWnZ1bXk6cH2p9Y5c1pQx8dWvC3nR0sT7aLmE4kI="
SEED_SECONDS = 3600.0


@dataclass(frozen=True)
class Timing:
    name: str
    path: str
    queries: int
    p50_ms: float
    p95_ms: float
    has_target: bool  # one of the figures (at most LIMIT_MS at p95), else for context


def unavailable() -> str | None:
    """Why PostgreSQL cannot be used for these figures, if it cannot."""
    try:
        with psycopg.connect(f"{SERVER}/postgres", connect_timeout=5):
            return None
    except psycopg.Error as exc:
        return (
            f"PostgreSQL at {SERVER} is not reachable ({type(exc).__name__}): the volume figures "
            "need it (set MJADMIN_BENCH_POSTGRES to a server where this user may create databases)."
        )


@contextlib.contextmanager
def _database(keep: bool) -> Iterator[str]:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]
        ).fetchone()
        if exists and not keep:
            admin.execute(f"DROP DATABASE {DATABASE} WITH (FORCE)")
        if not exists or not keep:
            admin.execute(f"CREATE DATABASE {DATABASE}")
    try:
        yield f"{SERVER}/{DATABASE}"
    finally:
        if not keep:
            with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def measure(keep: bool = False) -> list[Timing]:
    """Seeds and measures in a process of its own (this one's Django runs on other settings)."""
    with (
        _database(keep) as url,
        tempfile.TemporaryDirectory(prefix="mjadmin-bench-volume-") as folder,
    ):
        results = Path(folder) / "timings.json"
        environment = {
            name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ
        } | {
            "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
            "MJADMIN_IGNORE_DOTENV": "1",
            "SECRET_KEY": SECRET_KEY,
            "FIELD_ENCRYPTION_KEYS": FIELD_ENCRYPTION_KEYS,
            "DATABASE_URL": url,
            "MJADMIN_BENCH_STATIC_ROOT": str(Path(folder) / "static"),
            # The seeding's progress, as it goes.
            "PYTHONUNBUFFERED": "1",
        }
        subprocess.run(  # noqa: S603
            [sys.executable, "-m", "tests.bench.volume", "--in-app", str(results)],
            cwd=REPO,
            env=environment,
            check=True,
            timeout=SEED_SECONDS,
        )
        return [Timing(**row) for row in json.loads(results.read_text())]


def print_timings(timings: list[Timing]) -> None:
    width = max(len(t.name) for t in timings) + 2
    print(f"{'page':<{width}}{'queries':>8}{'p50 ms':>9}{'p95 ms':>9}")
    for t in timings:
        print(f"{t.name:<{width}}{t.queries:>8}{t.p50_ms:>9.1f}{t.p95_ms:>9.1f}")


# --- In the app's own process, on the volume database. ----------------------------------------


@dataclass(frozen=True)
class _Page:
    name: str
    path: str
    client: Any
    before: Callable[[], object]  # run before each timed request, untimed
    has_target: bool
    shows: str  # what must be on the page, as a CSS selector, for it to measure anything


@dataclass(frozen=True)
class _Sought:
    """What the measured pages ask for, found in the seeded data."""

    lookup: str  # a lookup of 2,000 IDs
    task_id: str  # held by more than one lookup
    common: tuple[str, int]  # the word most lookups hold, and how many
    rare: tuple[str, int]  # the rarest word held by a few lookups


def _prepare() -> None:
    from django.core.management import call_command

    from tasks.models import Lookup
    from tests.bench import seed_volume

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    held = Lookup.objects.count()
    if held == 0:
        call_command(seed_volume.Command(), lookups=LOOKUPS, results=RESULTS)
    else:
        print(f"reusing {DATABASE}: {held:,} lookups (seeded before, kept with --keep)")


def _sought() -> _Sought:
    from django.conf import settings
    from django.db.models import Count

    from tasks.models import Lookup, PromptWord, TaskResult

    big = Lookup.objects.filter(total=settings.TASKS_MAX_IDS).earliest("created_at")
    repeated = (
        TaskResult.objects.values("task_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("task_id")
        .values_list("task_id", flat=True)[:1]
        .get()
    )
    held_by = Counter(dict(PromptWord.objects.values_list("word").annotate(n=Count("id"))))
    # A word held by only a few lookups: the database must not look through every lookup for it.
    rare = min(((w, n) for w, n in held_by.items() if n >= 3), key=lambda pair: (pair[1], pair[0]))
    return _Sought(str(big.id), repeated, held_by.most_common(1)[0], rare)


def _pages(sought: _Sought) -> list[_Page]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from tasks import storage

    ana, ben = get_user_model().objects.order_by("pk")[:2]
    # One viewer per results view: the view asked in the address is remembered per viewer,
    # and switching it on every other request would write it every time.
    gallery, table = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    gallery.force_login(ana, backend="django.contrib.auth.backends.ModelBackend")
    table.force_login(ben, backend="django.contrib.auth.backends.ModelBackend")
    history, rows = "/tasks/history/", "table.history tbody tr"
    cold = storage.history_changed

    def warm() -> None:
        gallery.get(history)

    (common, in_common), (rare, in_rare) = sought.common, sought.rare
    lookup = f"/tasks/{sought.lookup}/"
    tiles, table_rows = "#live-results article.task", "#live-results tbody tr"
    return [
        _Page("history page 1", history, gallery, cold, True, rows),
        _Page("history page 1, table cached", history, gallery, warm, False, rows),
        _Page("history page 500", f"{history}?page=500", gallery, cold, False, rows),
        _Page(
            f"history ?owner={ben.username}",
            f"{history}?owner={ben.username}",
            gallery,
            cold,
            True,
            rows,
        ),
        _Page("history ?q=<task id>", f"{history}?q={sought.task_id}", gallery, cold, True, rows),
        _Page(
            f"history ?q=<word in {in_common:,} lookups>",
            f"{history}?q={common}",
            gallery,
            cold,
            True,
            rows,
        ),
        _Page(
            f"history ?q=<word in {in_rare} lookups>",
            f"{history}?q={rare}",
            gallery,
            cold,
            True,
            rows,
        ),
        _Page(
            "2,000-id lookup, gallery page 1",
            f"{lookup}?view=gallery",
            gallery,
            _nothing,
            True,
            tiles,
        ),
        _Page(
            "2,000-id lookup, gallery page 28",
            f"{lookup}?view=gallery&page=28",
            gallery,
            _nothing,
            True,
            tiles,
        ),
        _Page(
            "2,000-id lookup, table by age, page 1",
            f"{lookup}?view=table&sort=age",
            table,
            _nothing,
            True,
            table_rows,
        ),
        _Page(
            "2,000-id lookup, table by age, page 10",
            f"{lookup}?view=table&sort=age&page=10",
            table,
            _nothing,
            True,
            table_rows,
        ),
    ]


def _timed(pages: list[_Page]) -> list[Timing]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    queries = {}
    for page in pages:
        for _ in range(WARM_UP):
            page.before()
            _checked(page)
        page.before()
        with CaptureQueriesContext(connection) as captured:
            _checked(page)
        queries[page.name] = len(captured.captured_queries)
    samples: dict[str, list[float]] = {page.name: [] for page in pages}
    for _ in range(SAMPLES):
        for page in pages:
            page.before()
            started = time.perf_counter()
            page.client.get(page.path)
            samples[page.name].append((time.perf_counter() - started) * 1000)
    return [
        Timing(
            page.name,
            page.path,
            queries[page.name],
            statistics.median(samples[page.name]),
            statistics.quantiles(samples[page.name], n=20, method="inclusive")[-1],
            page.has_target,
        )
        for page in pages
    ]


def _in_app(output: Path) -> None:
    import django

    django.setup()
    # A line per teammate made and per sign-in is noise here.
    logging.getLogger("mjadmin.audit").setLevel(logging.WARNING)
    _prepare()
    sought = _sought()
    pages = _pages(sought)
    print(
        f"measuring {len(pages)} pages, {SAMPLES} times each (words {sought.common[0]!r} and "
        f"{sought.rare[0]!r}, task {sought.task_id}, lookup {sought.lookup}); {_machine()}"
    )
    timings = _timed(pages)
    print(f"after: {_machine()}")
    output.write_text(json.dumps([asdict(t) for t in timings]))


def _machine() -> str:
    # This machine's speed changes up to twofold from one minute to the next (other work on the
    # host): a fixed loop's time, printed beside the figures, says which they were taken in.
    started = time.process_time()
    total = 0
    for n in range(CALIBRATION_STEPS):
        total += n
    loop_ms = (time.process_time() - started) * 1000
    return (
        f"load average {os.getloadavg()[0]:.1f}, {CALIBRATION_STEPS:,}-step loop {loop_ms:.0f} ms"
    )


def _nothing() -> None:
    return None


def _checked(page: _Page) -> None:
    # A page that redirected, failed or found nothing would measure nothing.
    response = page.client.get(page.path)
    if response.status_code != 200 or not all_of(response, page.shows):
        raise RuntimeError(f"{page.path} answered {response.status_code} without {page.shows}")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.volume")
    parser.add_argument("--keep", action="store_true", help=f"keep {DATABASE} and reuse it")
    parser.add_argument("--in-app", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.in_app:
        _in_app(args.in_app)
        return 0
    problem = unavailable()
    if problem:
        print(problem, file=sys.stderr)
        return 2
    print_timings(measure(keep=args.keep))
    return 0


if __name__ == "__main__":
    sys.exit(main())
