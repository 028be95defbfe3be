"""Accounts useapi.net refused with 596 (held by a moderation message), remembered per token.

useapi.net answers 596 to any call that meets a held account, sometimes before its own list
shows the account's pendingModMessage. The dashboard shows such an account held from that
answer on, until it is reset or deleted from here, until a read of useapi.net's own accounts
begun more than LIST_LAG_SECONDS after the 596 shows it without a message (acknowledged in
Discord, or reset elsewhere), or for HOLD_SECONDS at most. Kept in the database (HeldAccount),
which every app process shares, by a keyed hash of the token, so every teammate using that token
sees the hold; one row an account, so two refusals at once are both kept.
"""

import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.views.decorators.debug import sensitive_variables

from accounts.models import HeldAccount
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


_DIGEST_SALT = "mjadmin.accounts.holds.token_digest"


@sensitive_variables("token")
def token_digest(token: str) -> str:
    """How a token is known in the holds table: a keyed hash, so a copy of the table can't be
    checked against guessed tokens as a plain hash could."""
    return salted_hmac(_DIGEST_SALT, token, algorithm="sha256").hexdigest()


@sensitive_variables("token")
def _of(token: str) -> QuerySet[HeldAccount]:
    return HeldAccount.objects.filter(token_digest=token_digest(token))


@sensitive_variables("token")
def held(token: str) -> dict[str, Hold]:
    """The token's holds that have not run out, by channel."""
    since = timezone.now() - timedelta(seconds=HOLD_SECONDS)
    rows = _of(token).filter(refused_at__gt=since).values_list("channel", "message", "refused_at")
    return {channel: Hold(message, at) for channel, message, at in rows}


@sensitive_variables("token")
def note(token: str, refusal: useapi.PendingModeration) -> str | None:
    """Remember the account a 596 named; the channel, or None when it named none."""
    if refusal.channel is None:
        return None
    message = " — ".join(refusal.said) or "useapi.net answered 596 (pending moderation)."
    now = timezone.now()
    HeldAccount.objects.update_or_create(
        token_digest=token_digest(token),
        channel=refusal.channel,
        defaults={"message": message[:MESSAGE_CHARS], "refused_at": now},
    )
    # Holds that ran out go with the next one noted, so the table stays small.
    _of(token).filter(refused_at__lte=now - timedelta(seconds=HOLD_SECONDS)).delete()
    return refusal.channel


@sensitive_variables("token")
def release(token: str, channel: str) -> None:
    _of(token).filter(channel=channel).delete()


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
        # Only holds no newer 596 renewed since the read began.
        _of(token).filter(channel__in=over, refused_at__lt=read_at - lag).delete()
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
