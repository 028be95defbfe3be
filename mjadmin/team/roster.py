"""The team at a glance: one row per teammate for the team page.

Features add their own per-teammate counts (Tasks: lookups) by registering a column here from
their AppConfig.ready(), so the platform never imports a feature."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model

from mjadmin.keys.models import ApiCredential, Service
from mjadmin.team.locks import locked_usernames

# label -> function from user ids to {user id: count}; one query per column, not per teammate.
CountByUser = Callable[[Iterable[int]], dict[int, int]]
_count_columns: dict[str, CountByUser] = {}


def register_count(label: str, count: CountByUser) -> None:
    _count_columns[label] = count


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
    saved: dict[int, set[str]] = defaultdict(set)
    # Which services each teammate has a key for; never the key, not even its mask.
    for user_id, service in ApiCredential.objects.filter(user_id__in=ids).values_list(
        "user_id", "service"
    ):
        saved[user_id].add(service)
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
            keys_saved={s.label: s.value in saved[user.pk] for s in Service},
            locked_out=user.get_username() in locked,
            counts={label: by_user.get(user.pk, 0) for label, by_user in counts.items()},
        )
        for user in users
    ]
