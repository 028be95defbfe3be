"""`make bench`: the README's performance figures, all measured in one run, each with its target.

Lookups (tests/bench/lookups.py) are timed in this process against the local fake with 300 ms of
latency per call; pages (tests/bench/pages.py) are served by gunicorn and loaded with wrk; the
history and a big lookup's pages at a year of a busy team's data are timed on PostgreSQL
(tests/bench/volume.py). A missed target is reported as NOT MET and the exit status stays 0:
this is a benchmark, not a test. It exits non-zero only when it could not measure (no wrk, no
PostgreSQL, an app server that would not start, a lookup that found nothing).
"""

import logging
import sys
from dataclasses import dataclass

from django.conf import settings

from tests.bench import lookups as bench_lookups
from tests.bench import pages as bench_pages
from tests.bench import volume as bench_volume
from tests.bench.lookups import BIG_LOOKUP, LATENCY
from tests.fakes.fake_vendors import FakeUpstream


@dataclass(frozen=True)
class Figure:
    name: str
    value: str
    target: str = ""
    met: bool | None = None  # None: shown for context, no target


def at_most(name: str, ratio: float, limit: float) -> Figure:
    return Figure(name, f"{ratio:.2f}x", f"<= {limit}x", ratio <= limit)


def at_least(name: str, ratio: float, limit: float) -> Figure:
    return Figure(name, f"{ratio:.2f}", f">= {limit}", ratio >= limit)


def table(figures: list[Figure]) -> str:
    width = max(len(f.name) for f in figures) + 2
    lines = [f"{'figure':<{width}}{'value':<10}{'target':<10}met"]
    for f in figures:
        met = "" if f.met is None else "yes" if f.met else "NOT MET"
        lines.append(f"{f.name:<{width}}{f.value:<10}{f.target:<10}{met}".rstrip())
    return "\n".join(lines)


def main() -> int:
    if bench_pages.load_tool() is None:
        print(bench_pages.MISSING_TOOL, file=sys.stderr)
        return 2
    no_database = bench_volume.unavailable()
    if no_database:
        print(no_database, file=sys.stderr)
        return 2
    logging.getLogger("mjadmin.upstream").setLevel(logging.WARNING)  # one line per call is noise
    with FakeUpstream(latency=LATENCY) as fake:
        unit = bench_lookups.one_call(fake)
        print(f"fake upstream latency {LATENCY * 1000:.0f} ms; one call takes {unit:.3f} s\n")
        lookups = bench_lookups.lookup_times(fake, unit)
        print()
        shared = bench_lookups.teammate_during_big_lookup(fake, settings.TASKS_LOOKUP_CALLS)
        bench_lookups.print_teammate("bulkhead", shared, unit)
        hogged = bench_lookups.teammate_during_big_lookup(fake, settings.TASKS_PROCESS_CALLS)
        bench_lookups.print_teammate("no bulkhead", hogged, unit)
        print()
        pages = bench_pages.measure(fake)
    print()
    volume = bench_volume.measure()
    bench_volume.print_timings(volume)

    figures = [
        Figure(
            f"lookup {t.ids} id{'s' if t.ids > 1 else ''} vs one call", f"{t.seconds / unit:.2f}x"
        )
        if t.ids != 100
        else at_most("lookup 100 ids vs one call", t.seconds / unit, 1.5)
        for t in lookups
    ]
    during = f"during a {BIG_LOOKUP:,}-id"
    figures += [
        at_most(f"teammate 1-id lookup {during}, median", shared.median / unit, 1.5),
        at_most(f"teammate 1-id lookup {during}, max", shared.max / unit, 1.5),
        Figure(
            f"  same if one lookup took all {hogged.big_calls_at_once} slots, median",
            f"{hogged.median / unit:.2f}x",
        ),
        Figure(
            f"  same if one lookup took all {hogged.big_calls_at_once} slots, max",
            f"{hogged.max / unit:.2f}x",
        ),
    ]
    bare = pages.rates[bench_pages.BARE]
    figures += [
        Figure("bare signed-in page (base.html), pages/s", f"{bare.requests_per_second:.0f}"),
        at_least("/accounts/ (cached) pages/s vs bare", pages.ratio(bench_pages.ACCOUNTS), 0.7),
        at_least(
            f"/tasks/history/ ({bench_pages.HISTORY_LOOKUPS} lookups) pages/s vs bare",
            pages.ratio(bench_pages.HISTORY),
            0.7,
        ),
    ]
    # Through the paste form on gunicorn, as a teammate's browser sees it (README: Performance).
    complete_limits = {100: 1.2, 500: 2.0, 2000: 5.0}
    for lookup in pages.pasted:
        ids = f"{lookup.ids:,} id{'s' if lookup.ids > 1 else ''}"
        figures.append(
            at_most(f"pasted {ids}: first results vs one call", lookup.first_seconds / unit, 1.2)
        )
        complete = lookup.complete_seconds / unit
        if lookup.ids in complete_limits:
            figures.append(
                at_most(
                    f"pasted {ids}: complete vs one call", complete, complete_limits[lookup.ids]
                )
            )
    biggest = max(pages.pasted, key=lambda lookup: lookup.ids)
    kilobytes = biggest.largest_page_bytes / 1024
    figures.append(
        Figure(
            f"pasted {biggest.ids:,} ids: largest results page, KB",
            f"{kilobytes:.0f}",
            "<= 150",
            kilobytes <= 150,
        )
    )
    scale = pages.accounts_scale
    figures += [
        Figure(
            f"fresh /accounts/, {scale.big[0]:,} accounts / {scale.big[1]:,} jobs, seconds",
            f"{scale.big_seconds:.2f}",
        ),
        # Ten times the team should cost about ten times the work; a quadratic match of jobs to
        # accounts would cost about a hundred times.
        at_most(f"  vs {scale.small[0]:,} / {scale.small[1]:,} (10x the data)", scale.ratio, 20),
    ]
    # Server time per page at a year of data on PostgreSQL (tests/bench/volume.py).
    figures.append(
        Figure(f"{bench_volume.LOOKUPS:,} lookups / {bench_volume.RESULTS:,} results, p95 ms:", "")
    )
    limit = bench_volume.LIMIT_MS
    for t in volume:
        name, p95 = f"  {t.name} ({t.queries} queries)", f"{t.p95_ms:.0f}"
        figures.append(
            Figure(name, p95, f"<= {limit}", t.p95_ms <= limit)
            if t.has_target
            else Figure(name, p95)
        )
    print("\n" + table(figures))
    caveats = [
        f"{rate.path} had {rate.errors} failed answers under load"
        for rate in pages.rates.values()
        if rate.errors
    ]
    caveats += [
        f"{rate.path} answered shorter than the page under load (redirected?)"
        for rate in pages.rates.values()
        if not rate.whole_pages
    ]
    if pages.accounts_upstream_calls:
        caveats.append(
            f"/accounts/ asked upstream {pages.accounts_upstream_calls} times under load"
        )
    for caveat in caveats:
        print(f"warning: {caveat}; the page figures above are not reliable")
    return 0


if __name__ == "__main__":
    sys.exit(main())
