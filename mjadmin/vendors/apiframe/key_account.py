"""What Apiframe says about the account behind a key: its plan, credits, email and a few more
figures, read from v1's `GET /account` or v2's `GET /v2/me` (shared/api/apiframe-v2.md).

Hostile until parsed: v1's field names differ between the vendor's own clients, so any of their
spellings is read, nested one level under "account", "data" or "user" too; anything that is
not text or a number is left out; every text is cut short and has the key masked in it.
"""

import math
import re
from typing import Any

from django.views.decorators.debug import sensitive_variables

from mjadmin.redaction import redact
from mjadmin.text import printable
from mjadmin.vendors.records import KeyAccount, shown_number

# Longer than any plan, email or date a vendor shows; a page must not carry a vendor's novel.
TEXT_MAX = 120
# No account has this many credits or images: a number past it is something else.
NUMBER_MAX = 10**15
# A key's prefix, as v2 names its keys: shown only while it is short, so that it never gives
# away much of the key it begins.
PREFIX_MAX = 12


def _name(field: str) -> str:
    # "creditsRemaining", "credits_remaining" and "Credits-Remaining" are one name.
    return re.sub(r"[^a-z0-9]", "", field.lower())


@sensitive_variables("secret")
def _text(value: Any, secret: str) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return shown_number(value) if _sensible(value) else None
    if not isinstance(value, str):
        return None
    shown = " ".join(printable(redact(value, (secret,))).split())
    if not shown:
        return None
    return shown if len(shown) <= TEXT_MAX else shown[: TEXT_MAX - 1] + "…"


def _sensible(value: int | float) -> bool:
    return math.isfinite(value) and abs(value) < NUMBER_MAX


def _credits(value: Any) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and len(value) <= 30:
        try:
            value = float(value.strip().replace(",", ""))
        except ValueError:
            return None
    if not isinstance(value, int | float) or not _sensible(value):
        return None
    return int(value) if isinstance(value, float) and value.is_integer() else value


# v1's names for each fact (normalised by _name), the first one given wins.
_CREDITS = ("credits", "creditsremaining", "remainingcredits", "creditsleft", "creditbalance")
_PLAN = ("plan", "planname", "subscription", "subscriptionplan", "tier")
_EMAIL = ("email", "useremail", "accountemail")
# Further figures worth showing, with the label people read.
_FIGURES = (
    (("totalimages", "imagestotal", "imagesgenerated"), "Images in all"),
    (("imagesthismonth", "monthlyimages"), "Images this month"),
    (("creditsused", "usedcredits"), "Credits used"),
    (("nextbillingdate", "renewsat", "renewaldate"), "Next billing date"),
)
_NESTED = ("account", "data", "user")


def _flat(payload: dict[str, Any]) -> dict[str, Any]:
    """The answer's fields by normalised name, the top level first, then one level down."""
    fields: dict[str, Any] = {}
    nested = (payload.get(name) for name in _NESTED)
    for source in [payload, *(value for value in nested if isinstance(value, dict))]:
        for name, value in source.items():
            if isinstance(name, str):
                fields.setdefault(_name(name), value)
    return fields


def _first(fields: dict[str, Any], names: tuple[str, ...]) -> Any:
    return next((fields[n] for n in names if fields.get(n) not in (None, "")), None)


@sensitive_variables("secret")
def from_v1_account(payload: Any, secret: str) -> KeyAccount:
    """v1's `GET /account` answer; an answer that is not an object says nothing."""
    if not isinstance(payload, dict):
        return KeyAccount()
    fields = _flat(payload)
    plan = _first(fields, _PLAN)
    if isinstance(plan, dict):  # {"plan": {"name": "Pro", ...}}
        plan = plan.get("name")
    figures = []
    for names, label in _FIGURES:
        shown = _text(_first(fields, names), secret)
        if shown is not None:
            figures.append((label, shown))
    return KeyAccount(
        plan=_text(plan, secret),
        credits=_credits(_first(fields, _CREDITS)),
        email=_text(_first(fields, _EMAIL), secret),
        figures=tuple(figures),
    )


@sensitive_variables("secret")
def _prefix(value: Any, secret: str) -> str | None:
    """The key's first few characters, as v2 names a key, unless they are much of the key."""
    if not isinstance(value, str) or len(value) > PREFIX_MAX or len(value) * 2 > len(secret):
        return None
    return _text(value, secret)


NO_TEAM = "This key is in no team, and Apiframe keeps credits and a plan per team."


@sensitive_variables("secret")
def from_v2_me(payload: Any, secret: str) -> KeyAccount:
    """v2's `GET /v2/me`: the key's user, its team (null when it has none) and the key."""
    if not isinstance(payload, dict):
        return KeyAccount()
    user, team, key = (payload.get(n) for n in ("user", "team", "apiKey"))
    user = user if isinstance(user, dict) else {}
    figures = []
    role = _text(user.get("role"), secret)
    if role:
        figures.append(("Role", role.lower()))
    if isinstance(team, dict) and (team_name := _text(team.get("name"), secret)):
        figures.append(("Team", team_name))
    if isinstance(key, dict):
        name = _text(key.get("name"), secret)
        prefix = _prefix(key.get("prefix"), secret)
        said = " ".join(part for part in (name, f"({prefix}…)" if prefix else None) if part)
        if said:
            figures.append(("Key", said))
    team = team if isinstance(team, dict) else None
    return KeyAccount(
        plan=_text(team.get("plan"), secret) if team else None,
        credits=_credits(team.get("credits")) if team else None,
        email=_text(user.get("email"), secret),
        figures=tuple(figures),
        note="" if team or "team" not in payload else NO_TEAM,
    )
