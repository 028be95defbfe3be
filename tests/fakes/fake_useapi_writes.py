"""The fake's useapi.net write endpoints and useapi's own faults (429 with the executing jobs,
596 pending moderation): see shared/api/useapi.md and FakeUpstream._useapi, which calls these.

Standard library only, like the rest of the fake. Each function takes the fake, the recorded
request and the caller's useapi token (already checked), and returns the status and the JSON
body to answer with (None: no body, as in a 204).
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.fakes.fake_vendors import FakeUpstream, RecordedRequest

ACCOUNTS = "/v2/account/midjourney"
MAX_JOBS_DEFAULT = 3  # doc: "maxJobs is optional and will be set to 3 if not provided"
MAX_JOBS_LIMIT = 15  # doc: 15 or less for Pro and Mega plans
FAULTS = frozenset({"429", "596"})

# Whole Discord tokens for the seeded accounts, each matching the redacted form the seed lists
# (first and last 3 characters), so the demo's accounts can be updated by typing these. Only
# the fake knows them; they open nothing anywhere else.
DEMO_DISCORD_TOKENS: dict[str, str] = {
    "1170809721663422494": "MTE3MDgwOTcyMTY2MzQyMjQ5NA.Gh7x2K."
    "q3Vt9LmZ8wKpR2yXc7NbHs4JdF1gEa6UoWi0Te",
    "1182307445130956861": "MTIwNDU1NzgzMzY5NTg2MTc3Ng.GqP4sT.vB7nK2xW9mR5tY3zL8cJ6hF1dQ0aExYz",
    "1191564823071821915": "MTE5MTU2NDgyMzA3MTgyMTkxNQ.Gk2wLm.R8tYp3Vx6NbQ1zJ5cH9fD4sA7eKuWiq9A",
    "1203746019284519012": "MTIwMzc0NjAxOTI4NDUxOTAxMg.Gz5RqN.mK8vT2yP6wX4bL9cJ3hD7fS1gA0eULk2",
}
_CHANNEL_OF_TOKEN = {token: channel for channel, token in DEMO_DISCORD_TOKENS.items()}
# A Discord account that never opened a DM with the Midjourney bot: useapi cannot find its
# channel and answers "`Midjourney bot not configured".
DISCORD_TOKEN_WITHOUT_MIDJOURNEY = (
    "MTMwMDAwMDAwMDAwMDAwMDAwMA.GnoBot.NoMidjourneyDmChannelForThisAccount01"
)

# The documented 400 and 402 messages (useapi.net's POST account/midjourney page), verbatim:
# "more that" and the stray backtick are the vendor's.
DISCORD_MISSING = "Required param discord is missing or empty"
MAX_JOBS_TOO_HIGH = "Required param maxJobs {max_jobs} can't be more that {limit}"
SAME_DISCORD = "Channel {channel} configuration has same discord value"
NO_MIDJOURNEY_BOT = "`Midjourney bot not configured"
QUANTITY_EXCEEDED = "Subscription quantity exceeded, see https://useapi.net/docs/subscription"
# Not documented (inferred, by analogy with the message above): maxJobs below 1 or no number.
MAX_JOBS_TOO_LOW = "Required param maxJobs {max_jobs} can't be less than 1"
MAX_JOBS_NOT_A_NUMBER = "Required param maxJobs must be a whole number"
NOT_FOUND = "Configuration not found for provided channel"
# useapi's body for 596 is not documented beyond the model {error, errorDetails, code}
# (inferred); "channel" names the account, as the app needs to mark it held.
HELD_ERROR = "Pending moderation message"
HELD_DEFAULT_DETAILS = (
    "Action needed to continue: acknowledge the moderation message from the Midjourney bot in "
    "Discord, then reset the account."
)
TOO_MANY = "Too many requests, please slow down"

_CHANNEL_PATH = re.compile(r"/v2/account/midjourney/([^/]+)(/reset)?")


def channel_for(discord: str) -> str:
    """The Midjourney DM channel useapi.net finds for a Discord token: the seeded accounts'
    own, any other token a snowflake of its own, the same every time."""
    known = _CHANNEL_OF_TOKEN.get(discord)
    if known is not None:
        return known
    digest = int.from_bytes(hashlib.sha256(discord.encode()).digest()[:8], "big")
    return str(1_500_000_000_000_000_000 + digest % 10**17)


def redacted(discord: str) -> str:
    """As useapi.net shows a Discord token it keeps: its first and last 3 characters."""
    return f"{discord[:3]}...{discord[-3:]}"


def _error(status: int, message: str) -> tuple[int, Any]:
    return status, {"error": message, "code": status}


def handle(fake: FakeUpstream, rec: RecordedRequest, token: str) -> tuple[int, Any] | None:
    """The answer to a write call, or None when the request is not one (a GET, say)."""
    if rec.method == "POST" and rec.path == ACCOUNTS:
        return _save(fake, rec, token)
    match = _CHANNEL_PATH.fullmatch(rec.path)
    if match is None:
        return None
    channel, reset = match.group(1), match.group(2)
    if rec.method == "POST" and reset:
        return _reset(fake, token, channel)
    if rec.method == "DELETE" and not reset:
        return _delete(fake, token, channel)
    return None


def _max_jobs(data: dict[str, Any]) -> int | str:
    """The maxJobs asked for, or the 400 message refusing it."""
    if "maxJobs" not in data or data["maxJobs"] is None:
        return MAX_JOBS_DEFAULT
    value = data["maxJobs"]
    whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if isinstance(value, bool) or not whole:
        return MAX_JOBS_NOT_A_NUMBER
    if value < 1:
        return MAX_JOBS_TOO_LOW.format(max_jobs=int(value))
    return int(value)


def _save(fake: FakeUpstream, rec: RecordedRequest, token: str) -> tuple[int, Any]:
    data = rec.json()
    if not isinstance(data, dict):
        return _error(400, DISCORD_MISSING)
    discord = data.get("discord")
    if not isinstance(discord, str) or not discord.strip():
        return _error(400, DISCORD_MISSING)
    max_jobs = _max_jobs(data)
    if isinstance(max_jobs, str):
        return _error(400, max_jobs)
    limit = min(fake.useapi_plan_max_jobs, MAX_JOBS_LIMIT)
    if max_jobs > limit:
        return _error(400, MAX_JOBS_TOO_HIGH.format(max_jobs=max_jobs, limit=limit))
    if discord == DISCORD_TOKEN_WITHOUT_MIDJOURNEY:
        return _error(400, NO_MIDJOURNEY_BOT)
    channel = channel_for(discord)
    with fake._lock:
        accounts = fake.useapi_accounts.setdefault(token, {})
        existing = accounts.get(channel)
        if existing is not None:
            # Inferred: the documented "same discord value" refusal is read as "nothing to
            # change", i.e. the same token with the same maxJobs.
            same_token = existing.get("discord") in (discord, redacted(discord))
            if same_token and existing.get("maxJobs") == max_jobs:
                return _error(400, SAME_DISCORD.format(channel=channel))
        elif fake.useapi_account_limit is not None and len(accounts) >= fake.useapi_account_limit:
            return _error(402, QUANTITY_EXCEEDED)
        entry = dict(existing or {"channel": channel})
        entry.update({"discord": redacted(discord), "maxJobs": max_jobs})
        accounts[channel] = entry
    answer = {"discord": redacted(discord), "channel": channel, "maxJobs": max_jobs}
    return (200 if existing is not None else 201), answer


def _reset(fake: FakeUpstream, token: str, channel: str) -> tuple[int, Any]:
    with fake._lock:
        account = fake.useapi_accounts.get(token, {}).get(channel)
        if account is None:
            return _error(404, NOT_FOUND)
        account.pop("pendingModMessage", None)
    return 204, None


def _delete(fake: FakeUpstream, token: str, channel: str) -> tuple[int, Any]:
    with fake._lock:
        accounts = fake.useapi_accounts.get(token, {})
        if channel not in accounts:
            return _error(404, NOT_FOUND)
        del accounts[channel]
    return 204, None


def _channel_of_call(rec: RecordedRequest) -> str | None:
    """The account a call is about: named in its path, or found from the Discord token in its
    body; None for a call about no account in particular (the list, the running jobs)."""
    match = _CHANNEL_PATH.fullmatch(rec.path)
    if match is not None:
        return match.group(1)
    data = rec.json()
    if isinstance(data, dict) and isinstance(data.get("discord"), str) and data["discord"]:
        return channel_for(data["discord"])
    return None


def fault_answer(
    fake: FakeUpstream, kind: str, rec: RecordedRequest, token: str | None
) -> tuple[int, Any]:
    """useapi's own faults: 429 lists the jobs keeping the account (or the token's accounts)
    busy; 596 says the account the call is for is held by a moderation message (its own
    message, if it has one). A call about no account meets the token's first, as if useapi
    had picked it."""
    channel = _channel_of_call(rec)
    with fake._lock:
        if kind == "429":
            jobs = list(fake.useapi_jobs.get(token or "", []))
            if channel is not None:
                jobs = [job for job in jobs if job.endswith(f"-channel:{channel}")]
            return 429, {"error": TOO_MANY, "executingJobs": jobs, "code": 429}
        accounts = fake.useapi_accounts.get(token or "", {})
        if channel is None:
            channel = next(iter(accounts), None)
        account = accounts.get(channel or "") or {}
        details = account.get("pendingModMessage") or HELD_DEFAULT_DETAILS
    body: dict[str, Any] = {"error": HELD_ERROR, "errorDetails": details, "code": 596}
    if channel is not None:
        body["channel"] = channel
    return 596, body
