"""Pages per second from gunicorn under wrk on loopback, signed in, for `make bench`.

The cached Accounts page and the team's lookup history are each measured against a bare signed-in
page that renders only base.html (tests/bench/urls.py): same gunicorn (the `make run` shape), same
session, same load, so the ratio is what the page itself costs. The app runs on a fresh SQLite
database in a temporary folder with the database cache, as `make run` has them, and asks the
local fake for anything upstream. Every wait is bounded; every process started here is stopped
here, by its own id.
"""

import contextlib
import math
import os
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import requests

from tests.fakes.fake_vendors import CHANNEL_MAIN, FakeUpstream

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent

MISSING_TOOL = (
    "wrk is not on PATH: install the Debian package wrk (apt-get install wrk) to measure pages."
)
BARE, ACCOUNTS, HISTORY = "/bench/bare/", "/accounts/", "/tasks/history/"
HISTORY_LOOKUPS = 50  # saved lookups on /tasks/history/, one page of 50
# Short runs in rounds, every other round in reverse order; each page is compared with the bare
# page of its own round and the median round is taken, so a machine that slows down for a while
# (other work on it) weighs on every page alike.
ROUNDS = 5
SECONDS_PER_RUN = 2
CONNECTIONS = 4  # this is a 2-core machine: wrk's two threads and the app share it
WARM_UP_SECONDS = 1
GUNICORN = ["--workers", "2", "--threads", "4"]  # as `make run`

USERNAME = "ana"
PASSWORD = "bench-password-not-a-secret-8c1f"  # a throwaway database's user
# Fixed test values; they protect nothing.
SECRET_KEY = "bench-secret-key-not-for-production-6d2b9e4f7a1c3e5d8b0a2c4e6f8d"
FIELD_ENCRYPTION_KEYS = "uB9jWnZ1bXk6cH2p9Y5c1pQx8dWvC3nR0sT7aLmE4kI="

START_SECONDS = 30.0
STOP_SECONDS = 10.0
COMMAND_SECONDS = 120.0
REQUEST_SECONDS = 10.0


def load_tool() -> str | None:
    return shutil.which("wrk")


@dataclass(frozen=True)
class Run:
    requests_per_second: float
    requests: int
    errors: int  # non-2xx/3xx answers and socket errors
    bytes_per_response: float  # headers included


@dataclass(frozen=True)
class PageRate:
    path: str
    runs: list[Run]
    page_bytes: int  # the body of one answer, checked before the load

    @property
    def requests_per_second(self) -> float:
        return statistics.median(r.requests_per_second for r in self.runs)

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.runs)

    @property
    def whole_pages(self) -> bool:
        # wrk counts a redirect (to the sign-in page, say) as a success; a short answer shows it.
        return all(r.bytes_per_response >= self.page_bytes for r in self.runs)


@dataclass(frozen=True)
class AccountsScale:
    """Seconds for a fresh Accounts page (Refresh, then the page) at two sizes of team."""

    small: tuple[int, int]  # accounts, running jobs
    small_seconds: float
    big: tuple[int, int]
    big_seconds: float

    @property
    def ratio(self) -> float:
        return self.big_seconds / self.small_seconds


@dataclass(frozen=True)
class Pages:
    rates: dict[str, PageRate]
    accounts_upstream_calls: int  # made while /accounts/ was under load: 0 if all came from cache
    accounts_scale: AccountsScale
    pasted: list["PastedLookup"]

    def ratio(self, path: str) -> float:
        """The median over rounds of this page's rate over the bare page's in the same round."""
        pairs = zip(self.rates[path].runs, self.rates[BARE].runs, strict=True)
        return statistics.median(
            page.requests_per_second / bare.requests_per_second for page, bare in pairs
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _environment(folder: Path, fake: FakeUpstream) -> dict[str, str]:
    # Nothing else from a developer's shell (HTTPS_ONLY, CACHE_URL…): every other setting is
    # the default `make run` starts with, the database cache included.
    environment = {
        name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ
    }
    return environment | {
        "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
        "MJADMIN_IGNORE_DOTENV": "1",
        "SECRET_KEY": SECRET_KEY,
        "FIELD_ENCRYPTION_KEYS": FIELD_ENCRYPTION_KEYS,
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "MJADMIN_BENCH_STATIC_ROOT": str(folder / "static"),
        "USEAPI_BASE_URL": fake.base_url,
        "APIFRAME_BASE_URL": fake.base_url,
        # Longer than the whole benchmark, so every /accounts/ answer under load is the cached
        # one; the upstream calls counted during the load prove it.
        "ACCOUNTS_CACHE_SECONDS": "600",
    }


@contextlib.contextmanager
def _gunicorn(environment: dict[str, str], port: int, log: Path) -> Iterator[str]:
    command = [str(VENV_BIN / "gunicorn"), "mjadmin.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += [*GUNICORN, "--no-control-socket"]
    with log.open("ab") as output:
        server = subprocess.Popen(  # noqa: S603
            command,
            cwd=REPO,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    origin = f"http://127.0.0.1:{port}"
    try:
        _wait_until_answering(f"{origin}/healthz", server, log)
        yield origin
    finally:
        # SIGINT: gunicorn's quick shutdown, workers included; then whatever is left of its group.
        if server.poll() is None:
            server.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(timeout=STOP_SECONDS)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(server.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=STOP_SECONDS)


def _wait_until_answering(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}:\n{_tail(log)}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(url, timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {url} within {START_SECONDS:.0f} s:\n{_tail(log)}")


def _tail(log: Path, size: int = 3000) -> str:
    try:
        return log.read_text(errors="replace")[-size:]
    except OSError:
        return ""


def _sign_in(origin: str) -> str:
    """The session cookie's value after signing in through the form, as a browser would."""
    with requests.Session() as browser:
        form = browser.get(f"{origin}/login/", timeout=REQUEST_SECONDS)
        # CSRF_USE_SESSIONS: the token is in the form (and the session), never in a cookie.
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        if form.status_code != 200 or token is None:
            raise RuntimeError(f"no sign-in form at {origin}/login/ ({form.status_code})")
        answer = browser.post(
            f"{origin}/login/",
            data={"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token[1]},
            allow_redirects=False,
            timeout=REQUEST_SECONDS,
        )
        session = browser.cookies.get("sessionid")
        if answer.status_code != 302 or not session:
            raise RuntimeError(f"signing in failed ({answer.status_code})")
        return session


def _checked_page(origin: str, path: str, cookie: str) -> int:
    """Fetches the page once, signed in, checks it shows what it should; returns its size."""
    answer = requests.get(
        f"{origin}{path}",
        headers={"Cookie": cookie},
        allow_redirects=False,
        timeout=REQUEST_SECONDS,
    )
    html = answer.text
    expected = {
        BARE: 'class="nav-links"' in html and "<title>Bare" in html,
        ACCOUNTS: CHANNEL_MAIN in html,
        HISTORY: len(set(re.findall(r'href="/tasks/[0-9a-f-]{36}/"', html))) == HISTORY_LOOKUPS,
    }
    if answer.status_code != 200 or not expected[path]:
        raise RuntimeError(f"{path} answered {answer.status_code} without the expected content")
    return len(answer.content)


_SIZES = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}


def _wrk(url: str, cookie: str, seconds: int) -> Run:
    command = ["wrk", "--threads", "2", "--connections", str(CONNECTIONS)]
    command += ["--duration", f"{seconds}s", "--timeout", "10s", "--header", f"Cookie: {cookie}"]
    done = subprocess.run(  # noqa: S603
        [*command, url],
        capture_output=True,
        text=True,
        timeout=seconds + COMMAND_SECONDS,
        check=True,
    )
    out = done.stdout
    total = re.search(r"(\d+) requests in [\d.]+\w+, ([\d.]+)(\w+) read", out)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if total is None or rate is None:
        raise RuntimeError(f"cannot read wrk's output:\n{out}")
    count = int(total[1])
    read = float(total[2]) * _SIZES[total[3]]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(non_2xx[1]) if non_2xx else 0
    errors += sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    return Run(float(rate[1]), count, errors, read / count if count else 0.0)


def _load_average() -> str:
    return " ".join(f"{n:.1f}" for n in os.getloadavg())


def _upstream_calls(fake: FakeUpstream) -> int:
    return len(fake.requests)


SCALE_SMALL, SCALE_BIG = (5_000, 10_000), (50_000, 100_000)
SCALE_REQUEST_SECONDS = 60.0  # a measurement, not a bound: the figure says how long it took


def _fresh_accounts_seconds(origin: str, cookie: str, jobs: int) -> float:
    """Refresh, as the button does (POST, then the page it redirects to), timed end to end."""
    headers = {"Cookie": cookie}
    form = requests.get(f"{origin}{ACCOUNTS}", headers=headers, timeout=SCALE_REQUEST_SECONDS)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    if token is None:
        raise RuntimeError(f"no Refresh form on {ACCOUNTS} ({form.status_code})")
    started = time.perf_counter()
    answer = requests.post(
        f"{origin}{ACCOUNTS}",
        data={"csrfmiddlewaretoken": token[1]},
        headers=headers,
        timeout=SCALE_REQUEST_SECONDS,
    )
    seconds = time.perf_counter() - started
    # The summary tile's count proves both answers were read whole and matched.
    counted = re.search(r'"value">(\d+)</span><span class="label">jobs running<', answer.text)
    if answer.status_code != 200 or counted is None or int(counted[1]) != jobs:
        raise RuntimeError(f"the Accounts page did not count {jobs} running jobs")
    return seconds


def _accounts_scale(origin: str, cookie: str, fake: FakeUpstream) -> AccountsScale:
    fake.seed_many_accounts(*SCALE_SMALL)
    _fresh_accounts_seconds(origin, cookie, SCALE_SMALL[1])  # warm up, untimed
    # The best of two: one slow measurement of the small team would flatter the ratio.
    small = min(_fresh_accounts_seconds(origin, cookie, SCALE_SMALL[1]) for _ in range(2))
    fake.seed_many_accounts(*SCALE_BIG)
    big = min(_fresh_accounts_seconds(origin, cookie, SCALE_BIG[1]) for _ in range(2))
    return AccountsScale(SCALE_SMALL, small, SCALE_BIG, big)


@dataclass(frozen=True)
class PastedLookup:
    """A lookup through the paste form: when its page showed, and when every id was in (the
    median of PASTES_PER_SIZE pastes), and its largest results page."""

    ids: int
    first_seconds: float
    complete_seconds: float
    largest_page_bytes: int


LOOKUP_SIZES = [1, 100, 500, 2000]
RESULTS_PER_PAGE = 36  # tasks/views.py RESULTS_PAGE_SIZE, for the gallery (the default view)
POLL_SECONDS = 0.02


def _still_filling(database: Path, lookup_id: str) -> bool:
    """Read straight from the app's database, so watching costs the app server nothing."""
    with contextlib.closing(sqlite3.connect(database, timeout=5)) as db:
        row = db.execute(
            "SELECT filling_until FROM tasks_lookup WHERE id = ?", (lookup_id.replace("-", ""),)
        ).fetchone()
    if row is None:
        raise RuntimeError(f"lookup {lookup_id} is not in {database}")
    return row[0] is not None


def _pasted_lookup(
    origin: str, cookie: str, fake: FakeUpstream, count: int, database: Path
) -> PastedLookup:
    ids = [str(uuid.uuid4()) for _ in range(count)]
    for task_id in ids:
        fake.add_task({"task_id": task_id, "task_type": "imagine", "status": "finished"})
    # A browser's cookie jar: the POST's redirect to the results page carries the cookie too
    # (a Cookie header given by hand is dropped on redirects).
    browser = requests.Session()
    name, _, value = cookie.partition("=")
    browser.cookies.set(name, value)
    form = browser.get(f"{origin}/tasks/", timeout=SCALE_REQUEST_SECONDS)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    if token is None:
        raise RuntimeError("no paste form on /tasks/")
    started = time.perf_counter()
    page = browser.post(
        f"{origin}/tasks/",
        data={"csrfmiddlewaretoken": token[1], "ids": "\n".join(ids)},
        timeout=SCALE_REQUEST_SECONDS,
    )
    first = time.perf_counter() - started
    if page.status_code != 200 or "/tasks/" not in page.url or ids[0] not in page.text:
        raise RuntimeError(f"the {count}-id lookup did not open its page ({page.status_code})")
    results = page.url.split("?")[0]
    lookup_id = results.rstrip("/").rsplit("/", 1)[1]
    while _still_filling(database, lookup_id):
        if time.perf_counter() - started > SCALE_REQUEST_SECONDS:
            raise RuntimeError(f"the {count}-id lookup did not fill in")
        time.sleep(POLL_SECONDS)
    complete = time.perf_counter() - started
    sizes = []
    for number in range(1, math.ceil(count / RESULTS_PER_PAGE) + 1):
        shown = browser.get(f"{results}?page={number}", timeout=REQUEST_SECONDS)
        if shown.status_code != 200 or "Waiting for Apiframe" in shown.text:
            raise RuntimeError(f"page {number} of the {count}-id lookup is not complete")
        sizes.append(len(shown.content))
    return PastedLookup(count, first, complete, max(sizes))


PASTES_PER_SIZE = 3  # the median of three, as the lookup figures take


def _pasted_median(
    origin: str, cookie: str, fake: FakeUpstream, count: int, database: Path
) -> PastedLookup:
    runs = [_pasted_lookup(origin, cookie, fake, count, database) for _ in range(PASTES_PER_SIZE)]
    return PastedLookup(
        count,
        statistics.median(r.first_seconds for r in runs),
        statistics.median(r.complete_seconds for r in runs),
        max(r.largest_page_bytes for r in runs),
    )


def measure(fake: FakeUpstream) -> Pages:
    with tempfile.TemporaryDirectory(prefix="mjadmin-bench-") as name:
        folder = Path(name)
        environment = _environment(folder, fake)
        seed = [sys.executable, "-m", "tests.bench.seed", "--username", USERNAME]
        seed += ["--password", PASSWORD, "--lookups", str(HISTORY_LOOKUPS)]
        prepared = subprocess.run(  # noqa: S603
            seed,
            cwd=REPO,
            env=environment,
            capture_output=True,
            text=True,
            timeout=COMMAND_SECONDS,
        )
        if prepared.returncode != 0:
            raise RuntimeError(
                f"preparing the database failed:\n{prepared.stdout}{prepared.stderr}"
            )
        print(f"database: {prepared.stdout.strip()}")
        print(
            f"gunicorn {' '.join(GUNICORN)}; wrk {CONNECTIONS} connections, {ROUNDS} runs of "
            f"{SECONDS_PER_RUN} s per page; load average before: {_load_average()}"
        )
        with _gunicorn(environment, _free_port(), folder / "gunicorn.log") as origin:
            cookie = f"sessionid={_sign_in(origin)}"
            # The first /accounts/ asks the fake (two calls) and caches the answer.
            sizes = {
                path: _checked_page(origin, path, cookie) for path in (BARE, ACCOUNTS, HISTORY)
            }
            for path in sizes:  # each worker imports and compiles what the page needs, untimed
                _wrk(f"{origin}{path}", cookie, WARM_UP_SECONDS)
            runs: dict[str, list[Run]] = {path: [] for path in sizes}
            accounts_calls = 0
            order = list(sizes)
            for _ in range(ROUNDS):
                for path in order:
                    before = _upstream_calls(fake)
                    runs[path].append(_wrk(f"{origin}{path}", cookie, SECONDS_PER_RUN))
                    if path == ACCOUNTS:
                        accounts_calls += _upstream_calls(fake) - before
                order.reverse()
            # Still signed in afterwards: no run was measuring the sign-in page's redirect.
            for path in sizes:
                _checked_page(origin, path, cookie)
            # Pasted lookups before the scale step fills the local fake, in this process, with
            # 100,000 jobs: its garbage collection would weigh on every call after.
            database = folder / "db.sqlite3"
            pasted = [_pasted_median(origin, cookie, fake, n, database) for n in LOOKUP_SIZES]
            scale = _accounts_scale(origin, cookie, fake)
    print(f"load average after: {_load_average()} (other work on the machine skews these)")
    rates = {path: PageRate(path, runs[path], sizes[path]) for path in sizes}
    for rate in rates.values():
        per_run = ", ".join(f"{r.requests_per_second:.0f}" for r in rate.runs)
        print(
            f"{rate.path:<14} {rate.requests_per_second:5.0f} pages/s median  (runs: {per_run}; "
            f"{rate.page_bytes} bytes; {rate.errors} errors)"
        )
    print(
        f"Accounts page, fresh: {scale.small[0]:,} accounts / {scale.small[1]:,} jobs in "
        f"{scale.small_seconds:.2f} s; {scale.big[0]:,} / {scale.big[1]:,} in "
        f"{scale.big_seconds:.2f} s"
    )
    for lookup in pasted:
        print(
            f"pasted {lookup.ids:>5} ids (median of {PASTES_PER_SIZE}): page after "
            f"{lookup.first_seconds:.2f} s, complete after {lookup.complete_seconds:.2f} s, "
            f"largest results page {lookup.largest_page_bytes:,} B"
        )
    return Pages(rates, accounts_calls, scale, pasted)
