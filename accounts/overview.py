"""What the Accounts pages show: upstream answers combined, summarised and cached per user."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from accounts import holds
from mjadmin import upstream
from mjadmin.vendors.useapi import client as useapi

T = TypeVar("T")


@dataclass(frozen=True)
class AccountRow:
    account: useapi.MidjourneyAccount
    job_ids: tuple[str, ...] | None  # None: the jobs call failed

    @property
    def running(self) -> int | None:
        return None if self.job_ids is None else len(self.job_ids)

    @property
    def needs_attention(self) -> bool:
        return self.account.held or bool(self.account.problems)

    @property
    def full(self) -> bool:
        return (
            self.running is not None
            and self.account.max_jobs is not None
            and self.running >= self.account.max_jobs
        )


@dataclass(frozen=True)
class Overview:
    rows: list[AccountRow]
    jobs: useapi.RunningJobs | None
    jobs_error: str | None
    fetched_at: datetime
    # The jobs useapi.net said were executing when it answered the jobs call with 429.
    jobs_executing: tuple[str, ...] = ()

    @property
    def capacity(self) -> int:
        return sum(row.account.max_jobs or 0 for row in self.rows)

    @property
    def running(self) -> int | None:
        return None if self.jobs is None else self.jobs.total

    @property
    def needing_attention(self) -> int:
        return sum(1 for row in self.rows if row.needs_attention)

    @property
    def attention_first(self) -> list[AccountRow]:
        """Held or odd accounts first, each group in useapi.net's order."""
        return sorted(self.rows, key=lambda row: not row.needs_attention)


@sensitive_variables("token")
def _cache_key(user_id: int, token: str, what: str) -> str:
    # Per user and per token, so saving a new token never shows the old token's answer.
    return f"accounts:{user_id}:{holds.token_fingerprint(token)}:{what}"


@sensitive_variables("token")
def _noted(user_id: int, token: str, refusal: useapi.PendingModeration) -> None:
    # Whatever this user's pages hold of that account is out of date now.
    channel = holds.note(token, refusal)
    if channel is not None:
        forget(user_id, token, channel)


@sensitive_variables("token")
def _jobs_or_error(
    user_id: int, token: str
) -> tuple[useapi.RunningJobs | None, str | None, tuple[str, ...]]:
    # The accounts are still worth showing when only the jobs call fails.
    try:
        return useapi.get_running_jobs(token), None, ()
    except useapi.PendingModeration as exc:
        _noted(user_id, token, exc)
        return None, exc.message, ()
    except useapi.AccountBusy as exc:
        return None, exc.message, exc.executing_jobs
    except upstream.UpstreamError as exc:
        return None, exc.message, ()


@sensitive_variables("token")
def _noting_holds(
    user_id: int, token: str, read: Callable[[], list[useapi.MidjourneyAccount]]
) -> Overview:
    """The overview of what `read` returns, with every hold a 596 taught us on it that the
    read does not show over."""
    started = timezone.now()
    try:
        accounts = read()
    except useapi.PendingModeration as exc:
        _noted(user_id, token, exc)
        raise
    for channel in holds.cleared(token, accounts, started):
        # This user's other pages still show it held.
        forget(user_id, token, channel)
    jobs, jobs_error, executing = _jobs_or_error(user_id, token)
    # Read after the jobs call, which may itself meet a 596 and note a hold.
    accounts = holds.applied(accounts, holds.held(token))
    return Overview(_rows(accounts, jobs), jobs, jobs_error, timezone.now(), executing)


def _rows(
    accounts: list[useapi.MidjourneyAccount], jobs: useapi.RunningJobs | None
) -> list[AccountRow]:
    return [
        AccountRow(account, None if jobs is None else jobs.for_channel(account.channel))
        for account in accounts
    ]


def _cached(key: str, fresh: bool, build: Callable[[], T]) -> T:
    if not fresh:
        hit = cache.get(key)
        if hit is not None:
            return hit
    value = build()
    cache.set(key, value, settings.ACCOUNTS_CACHE_SECONDS)
    return value


@sensitive_variables("token")
def load_overview(user_id: int, token: str, *, fresh: bool = False) -> Overview:
    def build() -> Overview:
        return _noting_holds(user_id, token, lambda: useapi.get_accounts(token))

    return _cached(_cache_key(user_id, token, "all"), fresh, build)


@sensitive_variables("token")
def load_account(user_id: int, token: str, channel: str, *, fresh: bool = False) -> Overview:
    def build() -> Overview:
        return _noting_holds(user_id, token, lambda: [useapi.get_account(token, channel)])

    return _cached(_cache_key(user_id, token, f"channel:{channel}"), fresh, build)


@sensitive_variables("token")
def forget(user_id: int, token: str, channel: str = "") -> None:
    """Drop the cached answers an action on `channel` changed, so the next page asks again."""
    keys = [_cache_key(user_id, token, "all")]
    if channel:
        keys.append(_cache_key(user_id, token, f"channel:{channel}"))
    cache.delete_many(keys)
