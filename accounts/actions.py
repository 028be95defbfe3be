"""Changing a Midjourney account at useapi.net: each call, what it changes on the Accounts pages
(cached answers dropped, holds noted or released) and its audit record, with the outcome.

Anyone signed in may act, with their own useapi.net token only: the token is what useapi.net
trusts, so whoever holds it could do the same with curl. The audit log says who did what.
"""

from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser
from django.views.decorators.debug import sensitive_variables

from accounts import holds, overview
from mjadmin import upstream
from mjadmin.audit.log import record
from mjadmin.vendors.useapi import client as useapi
from mjadmin.vendors.useapi import vendor as events


def _outcome(exc: upstream.UpstreamError) -> str:
    if isinstance(exc, useapi.PendingModeration):
        return "refused (HTTP 596): the account is held by a moderation message"
    said = getattr(exc, "details", None) or []
    summary = exc.summary if isinstance(exc, upstream.UpstreamBadRequest) else exc.message
    return "failed: " + " ".join([summary, *said])


@sensitive_variables("token")
def _refused(token: str, action: str, channel: str, exc: upstream.UpstreamError) -> None:
    if isinstance(exc, useapi.PendingModeration):
        channel = holds.note(token, exc) or channel
    record(action, subject=channel, detail=_outcome(exc))


@sensitive_variables("token")
def _ending_its_hold(
    user: AbstractBaseUser,
    token: str,
    channel: str,
    action: str,
    call: Callable[[str, str], None],
) -> None:
    """Make `call` (a reset, a delete) on the account: done, any hold noted on it is over.
    The pages' cached answers are dropped only after that, whatever happened: dropped first,
    a page loading in between would cache the account as held again."""
    try:
        call(token, channel)
    except upstream.UpstreamError as exc:
        _refused(token, action, channel, exc)
        raise
    else:
        holds.release(token, channel)
    finally:
        overview.forget(user.pk, token, channel)


@sensitive_variables("token")
def reset(user: AbstractBaseUser, token: str, channel: str) -> str:
    """Reset a held account; the message to show, or the UpstreamError (recorded too)."""
    _ending_its_hold(user, token, channel, events.ACCOUNT_RESET, useapi.reset_account)
    record(events.ACCOUNT_RESET, subject=channel, detail="done: the moderation hold is cleared")
    return f"Account {channel} is reset: useapi.net puts it back in rotation."


@sensitive_variables("token")
def delete(user: AbstractBaseUser, token: str, channel: str) -> str:
    _ending_its_hold(user, token, channel, events.ACCOUNT_DELETE, useapi.delete_account)
    record(events.ACCOUNT_DELETE, subject=channel, detail="done: deleted")
    return f"Account {channel} is deleted from your useapi.net configuration."


@sensitive_variables("token", "discord")
def save(
    user: AbstractBaseUser,
    token: str,
    discord: str,
    max_jobs: int,
    *,
    channel: str = "",
    was: int | None = None,
) -> str:
    """Add the Discord token's account, or (with `channel`) change that account's maxJobs from
    `was`. The Discord token goes to useapi.net in this one call and nowhere else."""
    action = events.ACCOUNT_MAX_JOBS if channel else events.ACCOUNT_ADD
    try:
        saved = useapi.save_account(token, discord, max_jobs, channel=channel or None)
    except upstream.UpstreamError as exc:
        _refused(token, action, channel, exc)
        raise
    finally:
        overview.forget(user.pk, token, channel)
    overview.forget(user.pk, token, saved.channel)
    which = (
        f"account {saved.channel}" if saved.channel else "the account (useapi.net named no channel)"
    )
    max_shown = saved.max_jobs if saved.max_jobs is not None else max_jobs
    if saved.created:
        detail, done = f"done: added, maxJobs {max_shown}", f"useapi.net added {which}"
    else:
        change = f"{was} to {max_shown}" if was is not None else str(max_shown)
        detail, done = f"done: updated, maxJobs {change}", f"useapi.net updated {which}"
    done += f" with maxJobs {max_shown}."
    if channel and saved.channel and saved.channel != channel:
        # The token decides the account, not the page it was typed on: say so plainly.
        detail += f"; it was the token of account {saved.channel}, not {channel}"
        done += f" That Discord token is account {saved.channel}'s, not {channel}'s."
    record(action, subject=saved.channel or channel, detail=detail)
    return done
