"""Creating, refreshing, summarising and finding saved lookups."""

import math
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from mjadmin import upstream
from mjadmin.vendors.base import VendorKey
from tasks import fetching, filling, statuses, storage
from tasks.ids import FoundIds, find_ids
from tasks.models import Lookup, PromptWord, TaskResult
from tasks.statuses import NOT_FOUND, State

# A result younger than this is not asked for again, so the redirect after a lookup and a
# quick reload do not double the upstream calls.
STALE_AFTER = timedelta(seconds=2)


# A paste of up to five calls (100 ids with v1, 5 with v2) is asked whole by its own request,
# whatever the page size: five calls at once take about as long as one, and its page then opens
# complete.
CALLS_ASKED_BY_THE_PASTE = 5


@sensitive_variables("key")
def create(owner: User, found: FoundIds, key: VendorKey, name: str = "", first: int = 36) -> Lookup:
    """Save the lookup with every id in the user's order, and return once its `first` ids (at least
    CALLS_ASKED_BY_THE_PASTE calls' worth) are answered and stored, for its page to open with
    them; the rest fill in after the page has opened (tasks/filling.py). The first ids' calls run
    while the rows are written, the rest's just after. If no call for the first ids succeeded,
    raise its error and keep nothing, so the user sees one clear message with their text intact.
    `key` says which API is asked."""
    # Whole calls: 36 ids asked as 20 + 16 would leave 4 for a call of their own.
    per_call = key.api.ids_per_call
    first = math.ceil(first / per_call) * per_call
    first_ids = found.ids[: max(first, CALLS_ASKED_BY_THE_PASTE * per_call)]
    rest = found.ids[len(first_ids) :]
    until = filling.until_for(rest, per_call) if rest else None
    asked = fetching.start(key, first_ids)
    fill = filling.Fill(owner, rest, until, key.api.choice) if until is not None else None
    try:
        with transaction.atomic():
            lookup = Lookup.objects.create(
                owner=owner,
                name=name,
                duplicates=found.duplicates,
                not_ids=found.not_ids,
                total=len(found.ids),
                counts={statuses.PENDING: len(found.ids)},
                filling_until=until,
                api=key.api.choice,
            )
            storage.insert_pending(lookup, found.ids)
        # The rest's calls start once the rows they fill exist (and a moment later still,
        # filling.HEAD_START): writing 2,000 rows and sending 40 calls at once would hold up the
        # first page's calls, which the user is waiting for.
        if fill is not None:
            fill.start()
        outcomes = asked.result()
        failures = [o.failure for o in outcomes.values() if o.failure is not None]
        if len(failures) == len(outcomes):
            lookup.delete()
            raise failures[0]
        storage.store_call(lookup, outcomes)
    except BaseException:
        if fill is not None:
            fill.cancel()
        raise
    if fill is not None:
        fill.attach(lookup)
    return lookup


def _is_due(result: TaskResult, now: datetime, force: bool) -> bool:
    # Ids a filling lookup has not had answered yet are its filler's: the results page does
    # not even read them (tasks/views.py).
    if result.is_terminal:
        return False
    if force:
        return True
    # Not-found ids are asked again only on an explicit Refresh.
    if result.state == NOT_FOUND:
        return False
    return result.fetched_at is None or now - result.fetched_at > STALE_AFTER


def has_due(results: list[TaskResult], *, force: bool = False) -> bool:
    now = timezone.now()
    return any(_is_due(r, now, force) for r in results)


@dataclass(frozen=True)
class Refreshed:
    # Set when every call failed: the page shows it above the last known results.
    failure: upstream.UpstreamError | None = None
    # What this request learned and showed but did not store (a failed call, a teammate's key
    # that cannot see a task): the page shows these as they are, everything else as stored.
    unstored: tuple[TaskResult, ...] = ()
    # Whether this request stored answers (and so recounted the lookup).
    stored: bool = False


def _one_round(due: list[TaskResult], key: VendorKey) -> list[TaskResult]:
    """What one page's request asks: one round of calls (TASKS_LOOKUP_CALLS of them), those
    never answered first, then those answered longest ago; the rest on the page's next polls.
    A v2 key asks one id a call, so 2,000 running tasks would otherwise be 2,000 calls a poll."""
    most = settings.TASKS_LOOKUP_CALLS * key.api.ids_per_call
    if len(due) <= most:
        return due
    oldest_first = sorted(due, key=lambda r: (r.fetched_at is not None, r.fetched_at, r.position))
    return oldest_first[:most]


@sensitive_variables("key")
def refresh(
    results: list[TaskResult],
    key: VendorKey,
    *,
    force: bool = False,
    by_owner: bool = True,
) -> Refreshed:
    """Ask again for the tasks that are not finished or failed; finished and failed results
    never change, so they are never fetched again. Updates `results` in place and, for the
    answers that arrived, the database."""
    now = timezone.now()
    due = _one_round([r for r in results if _is_due(r, now, force)], key)
    if not due:
        return Refreshed()
    unstored: list[TaskResult] = []
    task_ids = list(dict.fromkeys(r.task_id for r in due))
    outcomes = fetching.fetch_all(key, task_ids)
    stored: list[TaskResult] = []
    for result in due:
        outcome = outcomes[result.task_id]
        storage.apply(result, outcome, now)
        if outcome.failure is not None or (outcome.state == NOT_FOUND and not by_owner):
            # A failed call (often the viewer's own key or quota), or a teammate's key that
            # cannot see a task (another Apiframe account), is shown to whoever asked and
            # changes nothing stored: it must not land in the owner's lookup.
            unstored.append(result)
        else:
            stored.append(result)
    if stored:
        storage.store(results[0].lookup, stored, outcomes)
    failures = [o.failure for o in outcomes.values() if o.failure is not None]
    every_call_failed = bool(failures) and len(failures) == len(outcomes)
    return Refreshed(failures[0] if every_call_failed else None, tuple(unstored), bool(stored))


def needs_polling(results: list[TaskResult]) -> bool:
    # Ids whose call failed are polled too (the page backs off).
    return any(r.state in statuses.POLLED for r in results)


def counts_as_shown(lookup: Lookup, refreshed: Refreshed) -> dict[str, int]:
    """The lookup's count per state as this viewer sees it: the stored counts, with what this
    request learned but did not store (a failed call, a teammate's key) moved over."""
    unstored = refreshed.unstored
    if not unstored and not refreshed.stored:
        # Nothing changed since the lookup was read at the start of this request.
        return {state: n for state, n in lookup.state_counts.items() if n > 0}
    stored = dict(
        TaskResult.objects.filter(pk__in=[r.pk for r in unstored]).values_list("pk", "state")
    )
    # Read again: this request's refresh may have stored answers and recounted.
    counts: Counter[str] = Counter(
        Lookup.objects.filter(pk=lookup.pk).values_list("counts", flat=True).get()
    )
    for result in unstored:
        was = stored.get(result.pk, result.state)
        if was != result.state:
            counts[was] -= 1
            counts[result.state] += 1
    return {state: n for state, n in counts.items() if n > 0}


def summary(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    rows = [(s, State(s).label, counts.get(s, 0)) for s in statuses.SUMMARY_ORDER]
    rows += [(s, State(s).label, counts[s]) for s in statuses.SHOWN_WHEN_SOME if counts.get(s)]
    return rows


def history() -> QuerySet[Lookup]:
    """The team's lookups, newest first: any teammate can reopen any of them. What a paste held
    besides IDs (a pasted log's thousands of pieces) is read only by the lookup's own page."""
    return (
        Lookup.objects.select_related("owner")
        .defer("duplicates", "not_ids")
        .order_by("-created_at")
    )


def search(lookups: QuerySet[Lookup], query: str) -> QuerySet[Lookup]:
    """Lookups holding any task ID in the query; else those whose name holds the query, or
    whose prompts hold every word of it."""
    ids = find_ids(query).ids
    if ids:
        holding = TaskResult.objects.filter(task_id__in=ids).values("lookup_id")
        return lookups.filter(id__in=holding)
    by_words = Q()
    words = storage.prompt_words(query)
    for word in words:
        by_words &= Q(id__in=PromptWord.objects.filter(word=word).values("lookup_id"))
    # A name that holds the query is not empty: only named lookups are read (an index of theirs).
    by_name = Q(name__icontains=query.strip()) & ~Q(name="")
    if not words:
        return lookups.filter(by_name)
    # Few lookups have a name, fewer one that holds the query. Asked for prompt words alone, the
    # database walks the newest lookups until a page is found (a common word) or starts from the
    # word's few lookups (a rare one); "or the name" would make it test every lookup.
    if not lookups.filter(by_name).exists():
        return lookups.filter(by_words)
    return lookups.filter(by_name | by_words)
