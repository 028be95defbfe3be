"""The rest of a big lookup, fetched after its page has opened.

A lookup's first calls are made while the user waits (tasks/lookups.py); the page opens with
those results and the rest fill in as their calls return, stored call by call from a small pool
of threads in the same process. Nothing else needs to run: if the process stops halfway, the
lookup's `filling_until` passes and the results page asks for whatever is still unfetched, as it
does for any result that is due.
"""

import logging
import math
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import OperationalError, connection
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from mjadmin import upstream
from mjadmin.keys import credentials
from mjadmin.keys.models import Service
from tasks import apiframe, fetching
from tasks.models import Lookup

logger = logging.getLogger(__name__)

# Lookups filling at once in one process; more wait their turn (their pages say so).
_fillers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="lookup-fill")


def seconds_for(task_ids: list[str]) -> float:
    """How long filling may take: every round of calls its full UPSTREAM_TIMEOUT, and one more."""
    calls = math.ceil(len(task_ids) / apiframe.MAX_IDS_PER_CALL)
    rounds = math.ceil(calls / settings.TASKS_LOOKUP_CALLS)
    return settings.UPSTREAM_TIMEOUT * (rounds + 1)


def until_for(task_ids: list[str]) -> datetime:
    return timezone.now() + timedelta(seconds=seconds_for(task_ids))


def start(lookup: Lookup, task_ids: list[str]) -> None:
    # Only the lookup goes into the queue; its owner's key is read when the fill begins, so a
    # decrypted key never waits in memory, and a key removed meanwhile is not used.
    _fillers.submit(_fill, lookup, task_ids, seconds_for(task_ids))


STORE_ATTEMPTS = 5


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
        # Imported here: lookups imports this module to start a fill.
        from tasks import lookups

        if self.waiting:
            batch, self.waiting = self.waiting, {}
            _retrying(partial(lookups.store_call, self.lookup, batch))


STORE_EVERY_IDS = 200
STORE_EVERY_SECONDS = 0.25


@sensitive_variables("key")
def _fill(lookup: Lookup, task_ids: list[str], seconds: float) -> None:
    batches = _Batches(lookup)
    try:
        key = credentials.get_secret(lookup.owner, Service.APIFRAME)
        with upstream.page_deadline(seconds):
            fetching.fetch_all(key, task_ids, on_call=batches.add)
    except Exception:
        # The results page picks up what is left once `filling_until` has passed.
        logger.exception("filling lookup %s stopped", lookup.pk)
    try:
        batches.flush()  # what arrived, even when the rest did not
        _retrying(partial(Lookup.objects.filter(pk=lookup.pk).update, filling_until=None))
    except OperationalError:
        logger.exception("lookup %s stays marked as filling until its time passes", lookup.pk)
    finally:
        connection.close()
