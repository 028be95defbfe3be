"""The rest of a lookup: every id past its first page, asked while that page opens.

The paste's request asks for the first page's ids itself (tasks/lookups.py) and opens the page as
soon as they are stored. Everything else is asked by a `Fill` from a small pool of threads in the
same process; its calls start once the lookup's rows are written, a moment after the first page's,
and their answers are stored as they come once the first page is. Nothing else needs to run: if the
process stops halfway, the lookup's `filling_until` passes and the results page asks for whatever is
still unfetched, as it does for any result that is due.
"""

import logging
import math
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.models import User
from django.db import OperationalError, connection
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from mjadmin import upstream
from mjadmin.vendors import registry
from tasks import fetching, storage
from tasks.models import Lookup

logger = logging.getLogger(__name__)

# Lookups filling at once in one process, each with up to TASKS_LOOKUP_CALLS calls in flight:
# together they stay within the process's TASKS_PROCESS_CALLS (80 of 96 by default), so a
# teammate's lookup still starts at once. More wait their turn (their pages say so; their
# first pages, asked by their own requests, do not wait).
_fillers = ThreadPoolExecutor(
    max_workers=max(1, settings.TASKS_PROCESS_CALLS // settings.TASKS_LOOKUP_CALLS),
    thread_name_prefix="lookup-fill",
)


def seconds_for(task_ids: list[str], ids_per_call: int) -> float:
    """How long filling may take: every round of calls its full UPSTREAM_TIMEOUT, and one more."""
    calls = math.ceil(len(task_ids) / ids_per_call)
    rounds = math.ceil(calls / settings.TASKS_LOOKUP_CALLS)
    return settings.UPSTREAM_TIMEOUT * (rounds + 1)


def until_for(task_ids: list[str], ids_per_call: int) -> datetime:
    return timezone.now() + timedelta(seconds=seconds_for(task_ids, ids_per_call))


STORE_ATTEMPTS = 5
# The first page's calls go out this long before the rest's, so their answers come back and
# are read before 40 more arrive at the same moment (the vendor and this process answer and
# parse them one after the other, and the user waits for the first page only).
HEAD_START = 0.1


def _retrying(write: Callable[[], object]) -> None:
    """A write that a busy database refused ("locked") is tried again a few times: the page's
    own requests write too (sessions, refreshes), and SQLite lets one writer in at a time."""
    for attempt in range(1, STORE_ATTEMPTS + 1):
        try:
            write()
            return
        except OperationalError:
            if attempt == STORE_ATTEMPTS:
                raise
            time.sleep(0.05 * attempt)


class _Batches:
    """Answers stored a few calls at a time: each store also recounts the lookup and indexes its
    prompt words, so storing call by call would cost more than the calls themselves. A batch is
    written once it holds STORE_EVERY_IDS ids or is STORE_EVERY_SECONDS old, and at the end."""

    def __init__(self, lookup: Lookup) -> None:
        self.lookup = lookup
        self.waiting: dict[str, fetching.Outcome] = {}
        self.since = time.monotonic()

    def add(self, outcomes: dict[str, fetching.Outcome]) -> None:
        if not self.waiting:
            self.since = time.monotonic()
        self.waiting.update(outcomes)
        old = time.monotonic() - self.since >= STORE_EVERY_SECONDS
        if len(self.waiting) >= STORE_EVERY_IDS or old:
            self.flush()

    def flush(self) -> None:
        if self.waiting:
            batch, self.waiting = self.waiting, {}
            _retrying(partial(storage.store_call, self.lookup, batch))


STORE_EVERY_IDS = 200
STORE_EVERY_SECONDS = 0.25


class Fill:
    """The calls for a lookup's ids past its first page.

    Started once the lookup's rows are written, while the first page is asked; `attach` hands it the
    saved lookup once that page is stored, and answers that came earlier are stored then. `cancel`
    (the first page failed, nothing is saved) stops it starting calls. Its owner's key is read when
    it begins: no decrypted key waits in the pool's queue, and a key removed meanwhile is not used.
    """

    def __init__(self, owner: User, task_ids: list[str], until: datetime, api: str) -> None:
        self.owner = owner
        self.task_ids = task_ids
        self.until = until
        self.api = api  # the lookup's: asked of no other API
        self._attached = threading.Event()
        self._cancelled = threading.Event()
        self._kept: dict[str, fetching.Outcome] = {}  # answers from before `attach`
        self._batches: _Batches | None = None

    def start(self) -> None:
        _fillers.submit(self.run)

    def attach(self, lookup: Lookup) -> None:
        batches = _Batches(lookup)
        # The first answers have waited for the rows: they are stored at once.
        batches.since -= STORE_EVERY_SECONDS
        self._batches = batches
        self._attached.set()

    def cancel(self) -> None:
        self._cancelled.set()

    def _arrived(self, answers: dict[str, fetching.Outcome]) -> None:
        # Called in the fill's own thread only, as each call returns.
        self._kept.update(answers)
        self._store_kept()

    def _store_kept(self) -> None:
        if self._batches is not None and self._kept:
            kept, self._kept = self._kept, {}
            self._batches.add(kept)

    def run(self) -> None:
        try:
            if self._cancelled.wait(HEAD_START):
                return
            self._ask()
            # Answers are stored only into saved rows: wait for them (a failed first page
            # cancels instead), never past the lookup's time.
            left = (self.until - timezone.now()).total_seconds()
            deadline = time.monotonic() + left
            while not self._attached.wait(0.05):
                if self._cancelled.is_set() or time.monotonic() >= deadline:
                    return
            self._store_kept()
            self._finish()
        finally:
            connection.close()

    @sensitive_variables("key")
    def _ask(self) -> None:
        # Queued past the lookup's time, its page has taken over: no call is started then.
        seconds = (self.until - timezone.now()).total_seconds()
        try:
            key = registry.lookup_key_of(self.owner)
            if key.api.choice != self.api:
                # The owner switched APIs since pasting: these ids are the other API's.
                return
            with upstream.page_deadline(seconds):
                fetching.fetch_all(key, self.task_ids, self._arrived, stop=self._cancelled)
        except Exception:
            # The results page picks up what is left once `filling_until` has passed.
            logger.exception("filling a lookup of %s ids stopped", len(self.task_ids))

    def _finish(self) -> None:
        if self._batches is None:
            return
        lookup = self._batches.lookup
        try:
            self._batches.flush()  # what arrived, even when the rest did not
            _retrying(partial(Lookup.objects.filter(pk=lookup.pk).update, filling_until=None))
        except OperationalError:
            logger.exception("lookup %s stays marked as filling until its time passes", lookup.pk)
