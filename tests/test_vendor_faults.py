"""Every way a vendor can misbehave, over real loopback HTTP, on every page that calls one.

Each page ends within its bound with a notice a user can act on, never a 500, holds no
connection past the bound, and keeps what did arrive. Tests run with UPSTREAM_TIMEOUT=2
(tests/settings.py): one call, its retries and the whole of a dribbled body included, ends
within 2 s, so a page that makes one round of calls ends within UPSTREAM_TIMEOUT + MARGIN.
"""

import json
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client

from mjadmin.keys import credentials
from tasks import views
from tasks.models import Lookup, TaskResult
from tests.fakes.fake_vendors import CHANNEL_MAIN, DEMO_APIFRAME_V2_KEY, FakeUpstream
from tests.html import all_of, notice, one, page, text, text_of
from tests.tasks.pages import badge, card, card_ids, look_up, new_ids, pasted_text, refresh

# Time a page may take beyond its bound: rendering, the test client, a busy 2-core machine.
MARGIN = 1.5
UNAVAILABLE = "Service unavailable"


# -- a connect that never completes ----------------------------------------------------------


@pytest.fixture(scope="module")
def unanswered_connect() -> Iterator[str]:
    """A loopback address whose TCP handshake never completes: a listener with backlog 0 whose
    accept queue is already full of connections nobody accepts, so the kernel drops every new
    SYN and the client waits out its connect timeout (checked below before it is used)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(4):
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
        fillers.append(filler)
    time.sleep(0.1)
    probe = socket.socket()
    probe.settimeout(0.3)
    try:
        probe.connect(("127.0.0.1", port))
    except TimeoutError:
        pass
    else:
        pytest.fail("this kernel completes the handshake on a full backlog: no connect timeout")
    finally:
        probe.close()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


# -- the faults --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    name: str
    # What the notice says, with {service} for "useapi.net" or "Apiframe".
    message: str
    kind: str | None = None  # a fault of the fake; None: `apply` does something else
    title: str = UNAVAILABLE

    def apply(self, fake: FakeUpstream, settings, unanswered: str) -> None:
        if self.kind is not None:
            fake.set_fault(self.kind)
        else:  # connect timeout: every vendor lives at an address that never answers a SYN
            settings.USEAPI_BASE_URL = settings.APIFRAME_BASE_URL = unanswered
            settings.APIFRAME_V2_BASE_URL = unanswered


def unavailable(detail: str) -> str:
    return f"{{service}} is unavailable right now ({detail}). Try again in a minute."


NO_ANSWER = unavailable("no answer within 2 s")
FAULTS = [
    Fault("connect timeout", NO_ANSWER),
    Fault("read timeout", NO_ANSWER, "slow"),
    Fault("body dripping 1 byte a second", NO_ANSWER, "dribble"),
    Fault(
        "429 with Retry-After 99999",
        "{service} is limiting how often it is asked (HTTP 429): Too many requests, please slow "
        "down. Wait a minute, then try again.",
        "429",
    ),
    Fault("500", unavailable("HTTP 500"), "500"),
    Fault("502", unavailable("HTTP 502"), "502"),
    Fault("503", unavailable("HTTP 503"), "503"),
    Fault("HTML error page", unavailable("HTTP 500"), "html-500"),
    Fault("12 MB body", unavailable("its answer was larger than 8 MB"), "huge"),
    Fault(
        "JSON nested 100,000 deep",
        unavailable("it answered with something other than JSON"),
        "deep-json",
    ),
    Fault(
        "redirect to another host",
        unavailable("it answered with a redirect, HTTP 302"),
        "offsite-redirect",
    ),
    Fault("connection reset mid-body", unavailable("the answer broke off"), "reset"),
]


# -- the pages ---------------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    service: str
    # Whatever must exist before the fault (a saved lookup to refresh); returns the page's URL.
    prepare: Callable[[Client, FakeUpstream], str]
    visit: Callable[[Client, str], HttpResponse]


PASTED_PREFIX = "From the log:\n"


def pasted_for(fake: FakeUpstream) -> str:
    ids = new_ids(fake, 3, status="processing")
    return PASTED_PREFIX + "\n".join(ids)


def saved_lookup_url(client: Client, fake: FakeUpstream) -> str:
    response = look_up(client, pasted_for(fake))
    assert response.status_code == 200
    return f"/tasks/{Lookup.objects.get().id}/"


# -- the same Tasks pages for a teammate whose Apiframe key is for the v2 API --------------


def new_jobs(fake: FakeUpstream, count: int, status: str = "COMPLETED") -> list[str]:
    """Jobs of the demo v2 key, for the v2 API's pages."""
    ids = [str(uuid.uuid4()) for _ in range(count)]
    for job_id in ids:
        fake.add_job({"id": job_id, "status": status, "input": {"action": "imagine"}})
    return ids


def with_v2_key() -> None:
    alice = get_user_model().objects.get(username="alice")
    credentials.save_secret(alice, "apiframe", DEMO_APIFRAME_V2_KEY, api="v2")


def pasted_for_v2(client: Client, fake: FakeUpstream) -> str:
    with_v2_key()
    return PASTED_PREFIX + "\n".join(new_jobs(fake, 3, status="PROCESSING"))


def saved_v2_lookup_url(client: Client, fake: FakeUpstream) -> str:
    response = look_up(client, pasted_for_v2(client, fake))
    assert response.status_code == 200
    return f"/tasks/{Lookup.objects.get().id}/"


PAGES = [
    Page("Accounts", "useapi.net", lambda c, f: "/accounts/", lambda c, url: c.get(url)),
    Page(
        "an account",
        "useapi.net",
        lambda c, f: f"/accounts/{CHANNEL_MAIN}/",
        lambda c, url: c.get(url),
    ),
    # For the lookup, "url" carries the pasted text: the form posts to /tasks/ itself.
    Page(
        "a task lookup",
        "Apiframe",
        lambda c, f: pasted_for(f),
        lambda c, pasted: c.post("/tasks/", {"ids": pasted}),
    ),
    Page("a lookup's Refresh", "Apiframe", saved_lookup_url, refresh),
    Page(
        "a task lookup, v2 key",
        "Apiframe",
        pasted_for_v2,
        lambda c, pasted: c.post("/tasks/", {"ids": pasted}),
    ),
    Page("a lookup's Refresh, v2 key", "Apiframe", saved_v2_lookup_url, refresh),
    Page(
        "Recent jobs, v2 key",
        "Apiframe",
        lambda c, f: (with_v2_key(), "/tasks/jobs/")[1],
        lambda c, url: c.get(url),
    ),
]


def message_shown(response: HttpResponse) -> tuple[str, str]:
    """The notice's heading and its first paragraph, as the user reads them."""
    shown = notice(response)
    return text_of(shown, "h2"), text(all_of(shown, "p")[0])


def wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    until = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > until:
            return False
        time.sleep(0.05)
    return True


@pytest.mark.parametrize("view", PAGES, ids=lambda p: p.name)
@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_a_misbehaving_vendor_ends_the_page_within_upstream_timeout_with_a_notice(
    alice_client, alice_keys, fake, settings, unanswered_connect, view, fault
):
    where = view.prepare(alice_client, fake)
    fault.apply(fake, settings, unanswered_connect)
    bound = settings.UPSTREAM_TIMEOUT

    started = time.monotonic()
    response = view.visit(alice_client, where)
    elapsed = time.monotonic() - started

    shown = message_shown(response) if response.status_code == 200 else ("", "")
    print(
        f"\n| {fault.name} | {view.name} | {response.status_code} | {shown[1]} | {elapsed:.2f} s |"
    )
    assert response.status_code == 200
    expected = fault.message.format(service=view.service)
    assert message_shown(response) == (fault.title, expected)
    assert elapsed < bound + MARGIN, (
        f"{fault.name} on {view.name} took {elapsed:.2f} s; bound UPSTREAM_TIMEOUT={bound} s"
    )
    if view.name.startswith("a task lookup"):
        # Nothing arrived, so nothing is saved and the paste is there to try again.
        assert pasted_text(response) == where
        assert not Lookup.objects.exists()
    if view.name.startswith("a lookup's Refresh"):
        # The last known results stay on screen under the notice, and stay saved.
        assert [badge(response, task_id) for task_id in card_ids(response)] == ["⟳ running"] * 3
        assert set(TaskResult.objects.values_list("state", flat=True)) == {"running"}
    if fault.kind == "offsite-redirect":
        assert fake.offsite_requests == [], "the client followed the redirect to another host"
    if fault.kind == "dribble":
        # The page hung up on the dribble when it gave up, so the connection is not held.
        assert wait_until(lambda: fake.dribbling() == 0, 1.5), "a dribble is still being read"


def test_a_redirect_to_another_host_never_carries_the_key_there(alice_client, alice_keys, fake):
    # Same fault as in the table, but a client that follows redirects would be caught here by
    # what the other host received, whatever the page then shows.
    fake.set_fault("offsite-redirect")
    alice_client.get("/accounts/")
    look_up(alice_client, pasted_for(fake))
    assert fake.offsite_base_url.startswith("http://127.0.0.2:")
    assert [r.fault for r in fake.requests] == ["offsite-redirect", "offsite-redirect"]
    leaked = [r for r in fake.offsite_requests if "authorization" in r.headers]
    assert leaked == []
    assert fake.offsite_requests == []  # nor anything else: redirects are not followed


# -- partial failures keep what arrived ----------------------------------------------------


PARTIAL = [f for f in FAULTS if f.kind not in (None, "502", "503")]  # 502/503 are retried


@pytest.mark.parametrize("fault", PARTIAL, ids=lambda f: f.name)
def test_a_lookup_of_40_shows_and_saves_the_20_that_arrived_when_the_other_20_fail(
    alice_client, alice_keys, fake, settings, fault, monkeypatch
):
    monkeypatch.setitem(views.RESULTS_PAGE_SIZE, "gallery", 40)  # all 40 cards on one page
    ids = new_ids(fake, 40)
    fake.set_fault(fault.kind, path="/fetch-many", times=1)  # whichever batch asks first

    started = time.monotonic()
    response = look_up(alice_client, "\n".join(ids))
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    assert elapsed < settings.UPSTREAM_TIMEOUT + MARGIN, f"took {elapsed:.2f} s"
    shown = page(response)  # parsed once: 40 cards are read below
    (faulted,) = [r for r in fake.requests_to("/fetch-many") if r.fault == fault.kind]
    failed = set(faulted.json()["task_ids"])
    arrived = [task_id for task_id in ids if task_id not in failed]
    assert len(failed) == len(arrived) == 20
    assert card_ids(shown) == ids
    expected = fault.message.format(service="Apiframe")
    for task_id in arrived:
        assert badge(shown, task_id) == "✓ finished"
    for task_id in failed:
        assert badge(shown, task_id) == "⚠ could not fetch"
        assert text_of(card(shown, task_id), ".error") == expected
    saved = dict(TaskResult.objects.values_list("task_id", "state"))
    assert saved == {task_id: "error" if task_id in failed else "finished" for task_id in ids}
    assert all(
        r.data["task_id"] == r.task_id for r in TaskResult.objects.filter(task_id__in=arrived)
    )


@pytest.mark.parametrize("fault", PARTIAL, ids=lambda f: f.name)
def test_a_v2_lookup_shows_and_saves_the_jobs_that_arrived_when_some_calls_fail(
    alice_client, alice_keys, fake, settings, fault
):
    # v2 asks each id on its own: a fault spoils only the ids whose calls it met.
    with_v2_key()
    ids = new_jobs(fake, 8)
    fake.set_fault(fault.kind, path="/apiframe-v2/v2/jobs", times=3)

    started = time.monotonic()
    response = look_up(alice_client, "\n".join(ids))
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    assert elapsed < settings.UPSTREAM_TIMEOUT + MARGIN, f"took {elapsed:.2f} s"
    failed = {r.path.rsplit("/", 1)[1] for r in fake.requests if r.fault == fault.kind}
    assert len(failed) == 3
    assert card_ids(response) == ids
    expected = fault.message.format(service="Apiframe")
    for job_id in ids:
        if job_id in failed:
            assert badge(response, job_id) == "⚠ could not fetch"
            assert text_of(card(response, job_id), ".error") == expected
        else:
            assert badge(response, job_id) == "✓ finished"
    saved = dict(TaskResult.objects.values_list("task_id", "state"))
    assert saved == {job_id: "error" if job_id in failed else "finished" for job_id in ids}


def test_a_v2_lookup_waits_out_a_short_retry_after_and_shows_every_job(
    alice_client, alice_keys, fake
):
    with_v2_key()
    ids = new_jobs(fake, 3)
    fake.set_fault("429-retry", times=3)  # Retry-After: 1, well within the page's time
    response = look_up(alice_client, "\n".join(ids))
    assert [badge(response, job_id) for job_id in ids] == ["✓ finished"] * 3
    assert all_of(response, "[role=alert]") == []
    assert sorted(r.fault or "" for r in fake.requests) == [""] * 3 + ["429-retry"] * 3


def test_a_v2_lookup_does_not_wait_past_the_pages_deadline_for_a_retry_after(
    alice_client, alice_keys, fake, settings
):
    settings.UPSTREAM_PAGE_TIMEOUT = 2
    with_v2_key()
    pasted = "\n".join(new_jobs(fake, 3))
    fake.retry_after_seconds = 5
    fake.set_fault("429-retry")
    started = time.monotonic()
    response = alice_client.post("/tasks/", {"ids": pasted})
    elapsed = time.monotonic() - started
    assert message_shown(response) == (
        UNAVAILABLE,
        "Apiframe is limiting how often it is asked (HTTP 429): Too many requests, please slow "
        "down. Wait a minute, then try again.",
    )
    assert pasted_text(response) == pasted
    assert len(fake.requests) == 3  # each asked once: none waited to ask again
    assert elapsed < 2 + MARGIN, f"took {elapsed:.2f} s; bound UPSTREAM_PAGE_TIMEOUT=2 s"


@pytest.mark.parametrize("kind", ["dribble", "reset", "huge", "deep-json"])
def test_the_accounts_stay_shown_when_only_the_running_jobs_call_fails(
    alice_client, alice_keys, fake, settings, kind
):
    fake.set_fault(kind, path="/v2/jobs")
    started = time.monotonic()
    response = alice_client.get("/accounts/")
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert elapsed < settings.UPSTREAM_TIMEOUT + MARGIN, f"took {elapsed:.2f} s"
    assert len(all_of(response, "tbody tr")) == 4
    assert text(one(response, "[role=status]")).startswith(
        "Running jobs are unavailable: useapi.net is unavailable right now ("
    )


# -- the page's own deadline ---------------------------------------------------------------


def test_the_accounts_page_ends_within_upstream_page_timeout_when_it_is_shorter(
    alice_client, alice_keys, fake, settings
):
    settings.UPSTREAM_PAGE_TIMEOUT = 1
    fake.set_fault("dribble")
    started = time.monotonic()
    response = alice_client.get("/accounts/")
    elapsed = time.monotonic() - started
    expected = unavailable("no answer within 1 s").format(service="useapi.net")
    assert message_shown(response) == (UNAVAILABLE, expected)
    assert elapsed < 1 + MARGIN, f"took {elapsed:.2f} s; bound UPSTREAM_PAGE_TIMEOUT=1 s"


def test_a_lookup_whose_first_call_dribbles_ends_within_upstream_page_timeout(
    alice_client, alice_keys, fake, settings
):
    # 100 ids, one call at a time: the user waits only for the first page's calls, whose first
    # dribbles for longer than the page may take.
    settings.UPSTREAM_PAGE_TIMEOUT = 3
    settings.TASKS_LOOKUP_CALLS = 1
    pasted = PASTED_PREFIX + "\n".join(new_ids(fake, 100))
    fake.set_fault("dribble")
    started = time.monotonic()
    response = alice_client.post("/tasks/", {"ids": pasted})
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert message_shown(response) == (UNAVAILABLE, NO_ANSWER.format(service="Apiframe"))
    assert pasted_text(response) == pasted
    assert elapsed < 3 + MARGIN, f"took {elapsed:.2f} s; bound UPSTREAM_PAGE_TIMEOUT=3 s"
    # The user waited only for the first page's IDs (a filler stopping when the first page
    # fails is tests/tasks/test_progressive_lookups.py's).
    first_page = set(pasted.split()[-100:][:40])
    asked = {i for r in fake.requests_to("/fetch-many") for i in r.json()["task_ids"]}
    assert asked and asked <= first_page


# -- NaN and Infinity ----------------------------------------------------------------------


def test_nan_and_infinity_in_tasks_are_shown_and_saved_as_strict_json(
    alice_client, alice_keys, fake
):
    ids = new_ids(fake, 3, status="processing")
    fake.set_fault("nan", path="/fetch-many")
    response = look_up(alice_client, "\n".join(ids))
    assert response.status_code == 200
    assert all_of(response, "[role=alert]") == []
    assert card_ids(response) == ids
    for task_id in ids:
        assert badge(response, task_id) == "⟳ running"
        assert text_of(card(response, task_id), ".capacity .muted") == "in progress"
        assert all_of(card(response, task_id), ".task-meta") == []  # no "Seed: Infinity"
    for result in TaskResult.objects.all():
        # Saving NaN fails on both databases the suite runs on (PostgreSQL's json parser,
        # SQLite's JSON_VALID check), so reaching here already says it was cleaned; the value
        # is also read back the way a strict JSON reader would.
        json.dumps(result.data, allow_nan=False)
        assert (result.state, result.data["percentage"], result.data["seed"]) == (
            "running",
            None,
            None,
        )


def test_nan_and_infinity_on_the_accounts_pages_are_shown_as_unknown(
    alice_client, alice_keys, fake
):
    fake.set_fault("nan")
    for url in ("/accounts/", f"/accounts/{CHANNEL_MAIN}/"):
        response = alice_client.get(url)
        assert response.status_code == 200
        assert all_of(response, "[role=alert]") == []
        assert "maxJobs is missing or not a number" in text_of(response, "main")
    summary = {
        text_of(tile, ".label"): text_of(tile, ".value")
        for tile in all_of(alice_client.get("/accounts/"), "[aria-label=Summary] li.tile")
    }
    assert summary["accounts"] == "4"
    assert summary["jobs running"] == "6"  # the NaN in the list is not a job


# -- many accounts -------------------------------------------------------------------------


def accounts_page(client: Client) -> HttpResponse:
    cache.clear()
    return client.get("/accounts/")


def summary_of(response: HttpResponse) -> dict[str, str]:
    return {
        text_of(tile, ".label"): text_of(tile, ".value")
        for tile in all_of(response, "[aria-label=Summary] li.tile")
    }


def test_50000_accounts_with_100000_running_jobs_are_all_counted_on_one_page_of_rows(
    alice_client, alice_keys, fake
):
    # How long this takes, and that it grows linearly, is `make bench`'s to measure.
    fake.seed_many_accounts(50_000, 100_000)
    response = accounts_page(alice_client)
    assert response.status_code == 200
    assert all_of(response, "[role=alert]") == []
    assert all_of(response, "[role=status]") == [], text_of(response, "[role=status]")
    assert summary_of(response)["accounts"] == "50000"
    assert summary_of(response)["jobs running"] == "100000"
    assert len(all_of(response, "tbody tr")) == 100
