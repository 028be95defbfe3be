"""Which Midjourney accounts changed since `watch_accounts` last looked, per useapi.net token
(teammates who saved the same token share what is kept of it, and its alerts).

The rules (README: Alerts):

- an account seen for the first time is recorded without an alert unless it is held, so the
  first run tells only of the accounts held already, and an account added later is no news;
- in rotation → held: "held"; held → in rotation: "recovered"; gone from the list: "removed"
  (useapi.net's own 404 "no configuration" is a list of none; any other 404 is a failed
  read); back after a removal: no news;
- a held account whose moderation message changes is still held: no new alert;
- a read that fails changes nothing.

Each way of alerting (email, webhook) keeps the state it last told of, so a change owed to a
way that failed is told on a later run, and a way that worked is not told again.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.views.decorators.debug import sensitive_variables

from accounts.models import AccountState, WatchedAccount
from mjadmin.redaction import redact
from mjadmin.text import printable
from mjadmin.vendors.useapi.client import MidjourneyAccount

# An alert is a few lines a person reads on a phone: a vendor's message or channel of any size
# is cut to this many characters.
MESSAGE_CHARS = 500
CHANNEL_CHARS = 64
# Discord channels are ids of about 20 digits; WatchedAccount.channel holds up to 200.
_KEPT_CHANNEL_CHARS = 200
_BATCH = 500
_DIGEST_SALT = "mjadmin.accounts.watching.token_digest"
# An alert names at most this many of the teammates who share a token, and counts the rest.
NAMED_HOLDERS = 5


class Way(Enum):
    """A way of alerting, named by the WatchedAccount field that keeps what it was told."""

    EMAIL = "emailed"
    WEBHOOK = "posted"


class Kind(Enum):
    HELD = "held"
    RECOVERED = "recovered"
    REMOVED = "removed"


@dataclass(frozen=True)
class Change:
    channel: str  # as shown: masked where token-like, one line, cut to CHANNEL_CHARS
    kind: Kind
    message: str = ""  # the moderation message of a held account, as stored

    def line(self) -> str:
        if self.kind is Kind.HELD:
            said = f": {self.message}" if self.message else ""
            return f"{self.channel} is held by a moderation message{said}"
        if self.kind is Kind.RECOVERED:
            return f"{self.channel} recovered: it is no longer held"
        return f"{self.channel} was removed: useapi.net no longer lists it for this token"


@sensitive_variables("token")
def token_digest(token: str) -> str:
    """How a token is known in the database: a keyed hash (HMAC-SHA256 under SECRET_KEY), so
    a copy of the table can't be checked against guessed tokens as a plain hash could."""
    return salted_hmac(_DIGEST_SALT, token, algorithm="sha256").hexdigest()


@dataclass(frozen=True)
class Watched:
    """One useapi.net token to read, and the active teammates who saved it (in id order)."""

    token: str = field(repr=False)
    holders: tuple[User, ...]

    @property
    def digest(self) -> str:
        return token_digest(self.token)

    @property
    def whose(self) -> str:
        """Its holders by name, for a line of output or an alert: "alice", "alice and bob"."""
        names = [str(user) for user in self.holders[:NAMED_HOLDERS]]
        rest = len(self.holders) - len(names)
        if rest:
            names.append(f"{rest} other{'s' if rest > 1 else ''}")
        return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def one_line(text: str, limit: int) -> str:
    """Vendor text fit for a line of an email, a chat message or a terminal: whitespace runs
    as one space, no control or formatting characters (an escape sequence, a bidi override),
    anything token-like masked, at most `limit` characters."""
    flat = printable(" ".join(text.split()))
    flat = redact(flat)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def shown_channel(channel: str) -> str:
    return one_line(channel, CHANNEL_CHARS)


def channel_key(channel: str) -> str:
    """How a channel is kept: as it is, or when too long, its start and a digest of it all."""
    if len(channel) <= _KEPT_CHANNEL_CHARS:
        return channel
    return f"{channel[:100]}…sha256:{hashlib.sha256(channel.encode()).hexdigest()}"


@sensitive_variables("token")
def _stored_message(account: MidjourneyAccount, token: str) -> str:
    if not account.held or account.pending_mod_message is None:
        return ""
    return one_line(redact(account.pending_mod_message, [token]), MESSAGE_CHARS)


def _news(before: str | None, now: str) -> Kind | None:
    """What a move from `before` (None: never seen) to `now` tells, if anything."""
    if now == AccountState.HELD:
        return None if before == AccountState.HELD else Kind.HELD
    if now == AccountState.REMOVED:
        return None if before in (None, AccountState.REMOVED) else Kind.REMOVED
    return Kind.RECOVERED if before == AccountState.HELD else None


@sensitive_variables("token")
def record(digest: str, accounts: Iterable[MidjourneyAccount], token: str) -> list[Change]:
    """Store what a read of the token's accounts found (`digest`: its token_digest); return the
    changes it shows."""
    now = timezone.now()
    # Two entries may claim the same channel; the later one wins, as it would on the page.
    seen = {channel_key(account.channel): account for account in accounts}
    changes: list[Change] = []
    created: list[WatchedAccount] = []
    updated: list[WatchedAccount] = []
    with transaction.atomic():
        kept = WatchedAccount.objects.select_for_update().filter(token_digest=digest)
        rows = {row.channel: row for row in kept}
        for channel, account in seen.items():
            state = AccountState.HELD if account.held else AccountState.OK
            message = _stored_message(account, token)
            row = rows.get(channel)
            kind = _news(None if row is None else row.state, state)
            if kind is not None:
                changes.append(Change(shown_channel(channel), kind, message))
            if row is None:
                # Every way starts as told "in rotation": a held newcomer is owed an alert.
                created.append(
                    WatchedAccount(
                        token_digest=digest,
                        channel=channel,
                        state=state,
                        message=message,
                        changed_at=now,
                        emailed=AccountState.OK,
                        posted=AccountState.OK,
                    )
                )
            elif row.state != state or row.message != message:
                if row.state != state:
                    row.changed_at = now
                row.state, row.message = state, message
                updated.append(row)
        for channel, row in rows.items():
            if channel not in seen and row.state != AccountState.REMOVED:
                changes.append(Change(shown_channel(channel), Kind.REMOVED))
                row.state, row.message, row.changed_at = AccountState.REMOVED, "", now
                updated.append(row)
        WatchedAccount.objects.bulk_create(created, batch_size=_BATCH)
        WatchedAccount.objects.bulk_update(
            updated, ["state", "message", "changed_at"], batch_size=_BATCH
        )
    return changes


def owed(digest: str, way: Way) -> tuple[list[WatchedAccount], list[Change]]:
    """The token's rows whose state `way` has not been told of, and the changes among them
    worth telling (a removed account that came back is owed only a silent update)."""
    rows = list(
        WatchedAccount.objects.filter(token_digest=digest)
        .exclude(**{way.value: F("state")})
        .order_by("channel")
    )
    changes = []
    for row in rows:
        kind = _news(getattr(row, way.value), row.state)
        if kind is not None:
            changes.append(Change(shown_channel(row.channel), kind, row.message))
    return rows, changes


def mark_told(rows: list[WatchedAccount], way: Way) -> None:
    """`way` has told of these rows' states. A state another run changed since is still owed."""
    for state in AccountState:
        ids = [row.pk for row in rows if row.state == state]
        for start in range(0, len(ids), _BATCH):
            WatchedAccount.objects.filter(pk__in=ids[start : start + _BATCH], state=state).update(
                **{way.value: state}
            )


def forget_told_removals(digest: str) -> None:
    # Once every way has told of a removal there is nothing left to keep.
    WatchedAccount.objects.filter(
        token_digest=digest,
        state=AccountState.REMOVED,
        **{way.value: AccountState.REMOVED for way in Way},
    ).delete()


def forget_unwatched(digests: Iterable[str]) -> int:
    """Drop what was kept for tokens other than these (the digests of every token an active
    teammate has saved): were one watched again, its accounts start afresh."""
    deleted, _ = WatchedAccount.objects.exclude(token_digest__in=set(digests)).delete()
    return deleted
