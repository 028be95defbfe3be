"""The team at a glance: one row per teammate for the team page.

Features add their own per-teammate counts (Tasks: lookups) by registering a column here from
their AppConfig.ready(), and the keys app says who has saved which key the same way, so the team
app imports neither."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model

from mjadmin.team.locks import locked_usernames

# label -> function from user ids to {user id: count}; one query per column, not per teammate.
CountByUser = Callable[[Iterable[int]], dict[int, int]]
_count_columns: dict[str, CountByUser] = {}


def register_count(label: str, count: CountByUser) -> None:
    _count_columns[label] = count


# A function from user ids to {user id: {key label: saved}}: which keys each teammate has saved
# (yes or no, never any part of a key). Registered by the keys app.
KeysByUser = Callable[[list[int]], dict[int, dict[str, bool]]]
_keys_saved: list[KeysByUser] = []


def register_keys_saved(keys_saved: KeysByUser) -> None:
    _keys_saved[:] = [keys_saved]


@dataclass(frozen=True)
class Member:
    pk: int
    username: str
    email: str
    is_admin: bool
    is_active: bool
    last_login: datetime | None
    keys_saved: dict[str, bool]
    locked_out: bool
    counts: dict[str, int] = field(default_factory=dict)


def count_labels() -> list[str]:
    return list(_count_columns)


def members() -> list[Member]:
    users = list(get_user_model().objects.order_by("-is_active", "username"))
    ids = [user.pk for user in users]
    saved = _keys_saved[0](ids) if _keys_saved else {}
    counts = {label: count(ids) for label, count in _count_columns.items()}
    locked = locked_usernames()
    return [
        Member(
            pk=user.pk,
            username=user.get_username(),
            email=user.email,
            is_admin=bool(user.is_superuser),
            is_active=user.is_active,
            last_login=user.last_login,
            keys_saved=saved.get(user.pk, {}),
            locked_out=user.get_username() in locked,
            counts={label: by_user.get(user.pk, 0) for label, by_user in counts.items()},
        )
        for user in users
    ]
