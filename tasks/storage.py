"""The one owner of stored task results: a lookup's pending rows, the answers applied to them
(never turning a finished one back), its counts per state, its prompt words, and the version of
the history every write changes. Everything else reads results through the models and writes
them through here.

Rows are written many at once. Django's `bulk_update` builds one CASE expression per field and
row, which for 200 rows costs more than the vendor call that brought them (about 130 ms on
SQLite); one UPDATE run with `executemany` costs a few milliseconds on SQLite and PostgreSQL
alike. Likewise a paste's 2,000 rows: 45-90 ms through `bulk_create` (model instances, then
statements of 125 rows), about 10 ms this way.
"""

import re
import time
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from mjadmin.vendors.records import Task
from tasks import fetching, statuses
from tasks.models import WORD_MAX, Lookup, PromptWord, TaskResult
from tasks.statuses import ERROR, NOT_FOUND

if TYPE_CHECKING:
    from django.db.models import Field

_ANSWER = ("state", "data", "shown", "error", "fetched_at")
_NEW_ROW = ("lookup", "position", "task_id", "state", "error")


def _fields(names: tuple[str, ...]) -> list["Field[Any, Any]"]:
    return [f for name in names for f in TaskResult._meta.concrete_fields if f.name == name]


def insert_pending(lookup: Lookup, task_ids: list[str]) -> None:
    """A pending row for every id, at its position in the user's order."""
    fields = _fields(_NEW_ROW)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    values = ", ".join(["%s"] * len(fields))
    # The lookup's key as this database stores it (a UUID is text on SQLite); the rest of a row
    # is plain text and numbers, in _NEW_ROW's order.
    lookup_id = fields[0].get_db_prep_save(lookup.pk, connection)
    rows = [
        (lookup_id, position, task_id, statuses.PENDING, "")
        for position, task_id in enumerate(task_ids)
    ]
    table = quote(TaskResult._meta.db_table)
    with connection.cursor() as cursor:
        # Only names from the model and placeholders: every value goes in as a parameter.
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({values})", rows)  # noqa: S608


def _statement(fields: list["Field[Any, Any]"]) -> str:
    quote = connection.ops.quote_name
    meta = TaskResult._meta
    columns = ", ".join(f"{quote(str(f.column))} = %s" for f in fields)
    terminal = ", ".join(["%s"] * len(statuses.TERMINAL))
    state = next(quote(str(f.column)) for f in fields if f.name == "state")
    # Only names from the model and placeholders: every value goes in as a parameter.
    return (
        f"UPDATE {quote(meta.db_table)} SET {columns} "  # noqa: S608
        f"WHERE {quote(str(meta.pk.column))} = %s AND {state} NOT IN ({terminal})"
    )


def save_answers(results: list[TaskResult]) -> None:
    """Store each result's state, data, error and fetch time, unless its stored row has finished
    or failed meanwhile (a page's refresh got there first): a finished task is never turned back."""
    if not results:
        return
    fields = _fields(_ANSWER)
    terminal = sorted(statuses.TERMINAL)
    rows = [
        [field.get_db_prep_save(getattr(result, field.attname), connection) for field in fields]
        + [result.pk, *terminal]
        for result in results
    ]
    with connection.cursor() as cursor:
        cursor.executemany(_statement(fields), rows)


def apply(result: TaskResult, outcome: fetching.Outcome, now: datetime) -> None:
    known = result.data is not None or result.state == NOT_FOUND
    keep = (outcome.state == ERROR and known) or (
        outcome.state == NOT_FOUND and result.data is not None
    )
    if keep:
        # Keep what we knew: a failed call, or a teammate whose key cannot see this task,
        # must not wipe a task's last known state for everyone.
        result.error = outcome.error
    else:
        result.state = outcome.state
        result.data = outcome.task.raw if outcome.task else None
        # Parsed once, here, by the vendor's room: pages read the record, not the vendor's JSON.
        result.shown = outcome.task.stored() if outcome.task else None
        result.__dict__.pop("task", None)  # its cached record is out of date
        result.error = outcome.error
    result.fetched_at = now


# Words of a prompt worth finding it by: letters and digits, three or more of them.
_WORD = re.compile(r"[^\W_]{3,}")
WORDS_PER_PROMPT = 100


def prompt_words(text: str) -> list[str]:
    words = dict.fromkeys(w for w in _WORD.findall(text.casefold()) if len(w) <= WORD_MAX)
    return list(words)[:WORDS_PER_PROMPT]


def index_words(lookup: Lookup, tasks: Iterable[Task | None]) -> None:
    words = {w for task in tasks if task is not None for w in prompt_words(task.content or "")}
    PromptWord.objects.bulk_create(
        [PromptWord(lookup=lookup, word=w) for w in words], ignore_conflicts=True
    )


def recount(lookup: Lookup) -> None:
    """Store the lookup's count of results per state: one grouped query over its own rows."""
    with transaction.atomic():
        # The lookup's row locked first: the filler and a page refreshing it recount one after
        # the other, so an older count never overwrites a newer one.
        Lookup.objects.select_for_update().filter(pk=lookup.pk).values_list("pk").first()
        rows = TaskResult.objects.filter(lookup=lookup).values_list("state").annotate(n=Count("id"))
        counts = {state: n for state, n in rows}
        Lookup.objects.filter(pk=lookup.pk).update(total=sum(counts.values()), counts=counts)
    lookup.total, lookup.counts = sum(counts.values()), counts
    transaction.on_commit(history_changed)


def store_call(lookup: Lookup, outcomes: dict[str, fetching.Outcome]) -> None:
    """One call's answers for a filling lookup, stored as they arrive. The rows are read in the
    same transaction as they are written, so a result a page's refresh found finished meanwhile
    is never turned back."""
    now = timezone.now()
    with transaction.atomic():
        results = list(
            TaskResult.objects.filter(lookup=lookup, task_id__in=list(outcomes)).exclude(
                state__in=statuses.TERMINAL
            )
        )
        for result in results:
            apply(result, outcomes[result.task_id], now)
        store(lookup, results, outcomes)


def store(lookup: Lookup, results: list[TaskResult], outcomes: dict[str, fetching.Outcome]) -> None:
    """Answers already applied to `results`, stored with the counts and words that go with
    them, in one transaction: a page never sees answers without their counts. A finished or
    failed row is never turned back (save_answers)."""
    # No savepoint: inside store_call's transaction, a failure here rolls all of it back anyway.
    with transaction.atomic(savepoint=False):
        save_answers(results)
        recount(lookup)
        index_words(lookup, (outcomes[r.task_id].task for r in results))


# The history's table is rendered once per version, viewer and query (templates/tasks); the
# version changes whenever a lookup is saved, renamed or a result stored, so a cached table is
# never stale, and every process sees the same version through the shared cache.
_HISTORY_VERSION = "tasks:history-version"


def history_version() -> int:
    version = cache.get(_HISTORY_VERSION)
    if version is None:
        cache.add(_HISTORY_VERSION, time.time_ns(), None)
        version = cache.get(_HISTORY_VERSION, 0)
    return int(version)


def history_changed() -> None:
    cache.set(_HISTORY_VERSION, time.time_ns(), None)
