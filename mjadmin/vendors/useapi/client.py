"""Typed client for the useapi.net v2 Midjourney account endpoints (see shared/api/useapi.md):
reading the accounts and running jobs, and adding, updating, deleting and resetting accounts."""

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.views.decorators.debug import sensitive_variables

from mjadmin import upstream, vendor_data
from mjadmin.redaction import redact
from mjadmin.text import printable

SERVICE = "useapi.net"
_SAFE_CHANNEL = re.compile(r"[A-Za-z0-9_-]{1,64}")
CREATE_CONFIG_URL = "https://useapi.net/docs/api-v2/post-account-midjourney"
MAX_JOBS_RANGE = (1, 15)  # doc: 3 or less on Basic and Standard plans, 15 on Pro and Mega
# useapi.net's own answers, which request_json would report as a plain failure: 429 lists the
# jobs keeping an account busy, 596 says an account is held by a moderation message.
BUSY, HELD = 429, 596
# A hostile answer may list any number of jobs, of any length: this many are kept, this long.
MAX_LISTED_JOBS = 50
MAX_JOB_ID_CHARS = 120
MAX_WORDS_CHARS = 1000


class NoConfiguration(upstream.UpstreamNotFound):
    """The token works, but has no Midjourney configuration at useapi.net yet."""

    title = "No Midjourney configuration"


class AccountBusy(upstream.UpstreamUnavailable):
    """429: useapi.net asks for patience, listing the jobs it says are executing."""

    def __init__(self, message: str, executing_jobs: tuple[str, ...], more_jobs: int) -> None:
        super().__init__(message, status=BUSY)
        self.executing_jobs = executing_jobs
        self.more_jobs = more_jobs  # listed beyond MAX_LISTED_JOBS


class PendingModeration(upstream.UpstreamUnavailable):
    """596: useapi.net took an account out of rotation until its moderation message is
    acknowledged in Discord and the account is reset."""

    title = "Account held by a moderation message"

    def __init__(self, message: str, *, channel: str | None, said: tuple[str, ...]) -> None:
        super().__init__(message, status=HELD)
        self.channel = channel  # None when neither the call nor the answer named one
        self.said = said  # the vendor's own words


@dataclass(frozen=True)
class MidjourneyAccount:
    channel: str
    server: str | None = None
    max_jobs: int | None = None
    discord_masked: str = ""
    pending_mod_message: str | None = None
    # What was missing or odd in the upstream entry, so the page can say so instead of dropping it.
    problems: tuple[str, ...] = ()
    # Set when the hold is known from a 596 useapi.net answered (accounts/holds.py), not from
    # pending_mod_message in its list: when that answer came.
    refused_at: datetime | None = None

    @property
    def held(self) -> bool:
        return self.pending_mod_message is not None

    @property
    def linkable(self) -> bool:
        # Channel ids are Discord snowflakes; anything else gets no detail link.
        return bool(_SAFE_CHANNEL.fullmatch(self.channel))


@dataclass(frozen=True)
class RunningJobs:
    ids: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return len(self.ids)

    @cached_property
    def _by_channel(self) -> dict[str | None, tuple[str, ...]]:
        # One pass over the jobs, so matching them to any number of accounts stays linear.
        grouped: dict[str | None, list[str]] = defaultdict(list)
        for job in self.ids:
            grouped[channel_of_job(job)].append(job)
        return {channel: tuple(jobs) for channel, jobs in grouped.items()}

    def for_channel(self, channel: str) -> tuple[str, ...]:
        return self._by_channel.get(channel, ())


def mask_discord_token(value: Any) -> str:
    """At most the first and last 3 characters, whatever form the token arrives in."""
    if not isinstance(value, str) or not value.strip():
        return ""
    value = value.strip()
    redacted = "..." in value or "…" in value
    if len(value) < 12 and not redacted:
        return "•••"
    return f"{value[:3]}…{value[-3:]}"


def channel_of_job(job_id: str) -> str | None:
    # "job:20240106053233367-user:791-channel:1170809721663422494"
    _, found, rest = job_id.partition("-channel:")
    if not found:
        return None
    return rest.split("-", 1)[0] or None


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def parse_account(key: str, entry: Any) -> MidjourneyAccount:
    if not isinstance(entry, dict):
        return MidjourneyAccount(channel=key, problems=("useapi.net sent no details for it",))
    problems = []
    channel = entry.get("channel")
    if not isinstance(channel, str) or not channel:
        channel = key
    max_jobs = _as_int(entry.get("maxJobs"))
    if max_jobs is None:
        problems.append("maxJobs is missing or not a number")
    discord = mask_discord_token(entry.get("discord"))
    if not discord:
        problems.append("no Discord token")
    return MidjourneyAccount(
        channel=channel,
        server=vendor_data.text_value(entry.get("server")),
        max_jobs=max_jobs,
        discord_masked=discord,
        pending_mod_message=vendor_data.text_value(entry.get("pendingModMessage")),
        problems=tuple(problems),
    )


def _safe_channel(value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    return value if isinstance(value, str) and _SAFE_CHANNEL.fullmatch(value) else None


def _words(payload: Any) -> tuple[str, ...]:
    """useapi.net's own words in an error body (error, errorDetails), safe to show and keep."""
    if not isinstance(payload, dict):
        return ()
    found = []
    for key in ("error", "errorDetails"):
        value = payload.get(key)
        if isinstance(value, str) and value.strip():
            found.append(redact(printable(value.strip())[:MAX_WORDS_CHARS]))
    return tuple(found)


def _busy(payload: Any) -> AccountBusy:
    said = _words(payload)
    listed = payload.get("executingJobs") if isinstance(payload, dict) else None
    jobs = [job for job in listed if isinstance(job, str)] if isinstance(listed, list) else []
    kept = tuple(printable(job)[:MAX_JOB_ID_CHARS] for job in jobs[:MAX_LISTED_JOBS])
    return AccountBusy(
        upstream.rate_limited(SERVICE, said), kept, max(0, len(jobs) - MAX_LISTED_JOBS)
    )


def _held(payload: Any, channel: str | None) -> PendingModeration:
    named = channel or _safe_channel(payload.get("channel") if isinstance(payload, dict) else None)
    which = f"the Midjourney account {named}" if named else "a Midjourney account of this token"
    return PendingModeration(
        f"{SERVICE} says {which} is held by a moderation message (HTTP 596): it is out of "
        "rotation until someone acknowledges the message in Discord and resets the account.",
        channel=named,
        said=_words(payload),
    )


@sensitive_variables("token", "json_body", "also_secret")
def _answer(
    method: str,
    path: str,
    token: str,
    *,
    json_body: Any = None,
    also_secret: tuple[str, ...] = (),
    channel: str | None = None,
    own: frozenset[int] = frozenset(),
) -> tuple[int, Any]:
    """The status and JSON of a 2xx (or of a status in `own`); 429 and 596 as their errors.
    `channel` is the account the call is about, for a 596 that does not name one."""
    status, payload = upstream.request_answer(
        method,
        f"{settings.USEAPI_BASE_URL}{path}",
        service=SERVICE,
        credential="token",
        authorization=f"Bearer {token}",
        json_body=json_body,
        own_statuses=own | {BUSY, HELD},
        also_secret=also_secret,
        # Its job ids ("job:…-user:…-channel:…") are key-shaped and matched to accounts; the
        # Discord tokens it lists are masked where they are read (mask_discord_token).
        key_shaped=False,
    )
    if status == BUSY:
        raise _busy(payload)
    if status == HELD:
        raise _held(payload, channel)
    return status, payload


@sensitive_variables("token")
def _get(path: str, token: str, channel: str | None = None) -> Any:
    return _answer("GET", path, token, channel=channel)[1]


@sensitive_variables("token")
def get_accounts(token: str) -> list[MidjourneyAccount]:
    try:
        payload = _get("/v2/account/midjourney", token)
    except upstream.UpstreamNotFound as exc:
        raise NoConfiguration(
            f"{SERVICE} has no Midjourney configuration for this token yet. Add your Discord "
            "account at useapi.net first (POST /v2/account/midjourney), then refresh.",
            status=404,
            # Empty when the 404 came without useapi.net's own JSON error (the documented
            # answer may be empty; so is a proxy's page for a wrong address).
            details=exc.details,
            help_url=CREATE_CONFIG_URL,
            help_label="How to add an account at useapi.net",
        ) from None
    if not isinstance(payload, dict):
        raise vendor_data.unexpected_shape(SERVICE)
    return [parse_account(str(key), entry) for key, entry in payload.items()]


@sensitive_variables("token")
def get_account(token: str, channel: str) -> MidjourneyAccount:
    try:
        payload = _get(f"/v2/account/midjourney/{quote(channel, safe='')}", token, channel)
    except upstream.UpstreamNotFound:
        raise upstream.UpstreamNotFound(
            f"{SERVICE} has no Midjourney account with channel {channel} for this token.",
            status=404,
        ) from None
    if not isinstance(payload, dict):
        raise vendor_data.unexpected_shape(SERVICE)
    return parse_account(channel, payload)


@sensitive_variables("token")
def get_running_jobs(token: str) -> RunningJobs:
    payload = _get("/v2/jobs", token)
    if not isinstance(payload, list):
        raise vendor_data.unexpected_shape(SERVICE)
    return RunningJobs(ids=tuple(str(job) for job in payload if isinstance(job, str | int)))


# -- writes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SavedAccount:
    """What useapi.net says it saved: a new account (201) or an existing one updated (200)."""

    channel: str  # "" when its answer named none we can use
    max_jobs: int | None
    discord_masked: str
    created: bool


def _not_found(channel: str, exc: upstream.UpstreamNotFound) -> upstream.UpstreamNotFound:
    return upstream.UpstreamNotFound(
        f"{SERVICE} has no Midjourney account with channel {channel} for this token (it may "
        "have been deleted already).",
        status=404,
        details=exc.details,
    )


@sensitive_variables("token", "discord")
def save_account(
    token: str, discord: str, max_jobs: int, *, channel: str | None = None
) -> SavedAccount:
    """POST /v2/account/midjourney: adds the Discord token's account, or updates it when it is
    configured already (useapi.net finds its channel from the token). `channel` is the account
    a change is meant for, if any. The Discord token is sent in this one call, and masked in
    whatever the vendor says back."""
    status, payload = _answer(
        "POST",
        "/v2/account/midjourney",
        token,
        json_body={"discord": discord, "maxJobs": max_jobs},
        also_secret=(discord,),
        channel=channel,
        own=frozenset({402}),
    )
    if status == 402:
        said = "; ".join(_words(payload)) or "no active subscription"
        raise upstream.UpstreamPaymentRequired(
            f"{SERVICE} refused for want of a subscription (HTTP 402): {said}.", status=402
        )
    if not isinstance(payload, dict):
        # It did answer 2xx, so the account was saved: only what it says about it is missing.
        payload = {}
    return SavedAccount(
        channel=_safe_channel(payload.get("channel")) or "",
        max_jobs=_as_int(payload.get("maxJobs")),
        discord_masked=mask_discord_token(payload.get("discord")),
        created=status == 201,
    )


@sensitive_variables("token")
def reset_account(token: str, channel: str) -> None:
    """POST /v2/account/midjourney/{channel}/reset: clears its moderation hold."""
    try:
        path = f"/v2/account/midjourney/{quote(channel, safe='')}/reset"
        _answer("POST", path, token, channel=channel)
    except upstream.UpstreamNotFound as exc:
        raise _not_found(channel, exc) from None


@sensitive_variables("token")
def delete_account(token: str, channel: str) -> None:
    """DELETE /v2/account/midjourney/{channel}."""
    try:
        path = f"/v2/account/midjourney/{quote(channel, safe='')}"
        _answer("DELETE", path, token, channel=channel)
    except upstream.UpstreamNotFound as exc:
        raise _not_found(channel, exc) from None
