"""Accounts useapi.net refused with 596 (held by a moderation message), remembered per token.

useapi.net answers 596 to any call that meets a held account, sometimes before its own list
shows the account's pendingModMessage. The dashboard shows such an account held from that
answer on, until it is reset or deleted from here, until a read of useapi.net's own accounts
begun more than LIST_LAG_SECONDS after the 596 shows it without a message (acknowledged in
Discord, or reset elsewhere), or for HOLD_SECONDS at most. Kept in the cache, which every app
process shares (README: Deployment), keyed by the token, so every teammate using that token
sees the hold.
"""

import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from mjadmin.vendors.useapi import client as useapi

HOLD_SECONDS = 24 * 60 * 60
# How far useapi.net's list may lag its own 596: a read begun later than this after the 596
# that lists the account without a message is its word that the hold is over.
LIST_LAG_SECONDS = 60
# A vendor's message is shown beside the account; any longer than this is cut.
MESSAGE_CHARS = 2000


@dataclass(frozen=True)
class Hold:
    message: str
    at: datetime


@sensitive_variables("token")
def token_fingerprint(token: str) -> str:
    """A short digest naming a token in cache keys (here and accounts/overview.py): the token
    itself is never a key."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


@sensitive_variables("token")
def _key(token: str) -> str:
    return f"accounts:holds:{token_fingerprint(token)}"


@sensitive_variables("token")
def held(token: str) -> dict[str, Hold]:
    found = cache.get(_key(token))
    return found if isinstance(found, dict) else {}


@sensitive_variables("token")
def note(token: str, refusal: useapi.PendingModeration) -> str | None:
    """Remember the account a 596 named; the channel, or None when it named none."""
    if refusal.channel is None:
        return None
    message = " — ".join(refusal.said) or "useapi.net answered 596 (pending moderation)."
    # Read, change, write: two refusals at the same moment may keep only one, and the other
    # account shows held from its next 596 or useapi.net's own list.
    holds = held(token)
    holds[refusal.channel] = Hold(message[:MESSAGE_CHARS], timezone.now())
    cache.set(_key(token), holds, HOLD_SECONDS)
    return refusal.channel


@sensitive_variables("token")
def release(token: str, channel: str) -> None:
    holds = held(token)
    if holds.pop(channel, None) is not None:
        cache.set(_key(token), holds, HOLD_SECONDS)


@sensitive_variables("token")
def cleared(token: str, accounts: list[useapi.MidjourneyAccount], read_at: datetime) -> set[str]:
    """Forget the holds that `accounts`, read from useapi.net in a call begun at `read_at`,
    show are over: the account listed without a message, well after the 596. Their channels."""
    holds = held(token)
    lag = timedelta(seconds=LIST_LAG_SECONDS)
    over = {
        account.channel
        for account in accounts
        if not account.held
        and account.channel in holds
        and read_at - holds[account.channel].at > lag
    }
    if over:
        for channel in over:
            del holds[channel]
        cache.set(_key(token), holds, HOLD_SECONDS)
    return over


def applied(
    accounts: list[useapi.MidjourneyAccount], holds: dict[str, Hold]
) -> list[useapi.MidjourneyAccount]:
    """The accounts with the remembered holds on them; useapi.net's own message wins."""
    shown = []
    for account in accounts:
        hold = holds.get(account.channel)
        if hold is not None and not account.held:
            account = dataclasses.replace(
                account, pending_mod_message=hold.message, refused_at=hold.at
            )
        shown.append(account)
    return shown
