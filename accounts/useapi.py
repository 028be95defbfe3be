"""Typed client for the useapi.net v2 Midjourney account endpoints (see shared/api/useapi.md)."""

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.views.decorators.debug import sensitive_variables

from mjadmin import upstream, vendor_data

SERVICE = "useapi.net"
_SAFE_CHANNEL = re.compile(r"[A-Za-z0-9_-]{1,64}")
CREATE_CONFIG_URL = "https://useapi.net/docs/api-v2/post-account-midjourney"


class NoConfiguration(upstream.UpstreamNotFound):
    """The token works, but has no Midjourney configuration at useapi.net yet."""

    title = "No Midjourney configuration"


@dataclass(frozen=True)
class MidjourneyAccount:
    channel: str
    server: str | None = None
    max_jobs: int | None = None
    discord_masked: str = ""
    pending_mod_message: str | None = None
    # What was missing or odd in the upstream entry, so the page can say so instead of dropping it.
    problems: tuple[str, ...] = ()

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


@sensitive_variables("token")
def _get(path: str, token: str) -> Any:
    return upstream.request_json(
        "GET",
        f"{settings.USEAPI_BASE_URL}{path}",
        service=SERVICE,
        credential="token",
        authorization=f"Bearer {token}",
    )


@sensitive_variables("token")
def get_accounts(token: str) -> list[MidjourneyAccount]:
    try:
        payload = _get("/v2/account/midjourney", token)
    except upstream.UpstreamNotFound:
        raise NoConfiguration(
            f"{SERVICE} has no Midjourney configuration for this token yet. Add your Discord "
            "account at useapi.net first (POST /v2/account/midjourney), then refresh.",
            status=404,
            help_url=CREATE_CONFIG_URL,
            help_label="How to add an account at useapi.net",
        ) from None
    if not isinstance(payload, dict):
        raise vendor_data.unexpected_shape(SERVICE)
    return [parse_account(str(key), entry) for key, entry in payload.items()]


@sensitive_variables("token")
def get_account(token: str, channel: str) -> MidjourneyAccount:
    try:
        payload = _get(f"/v2/account/midjourney/{quote(channel, safe='')}", token)
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
