"""trueai-org midjourney-proxy's Discord accounts (§6.2 of the contract), for an admin token: the
list (`POST /mj/admin/accounts`, every account, disabled ones included; `GET` lists only enabled
ones), enable or disable (`PUT /mj/admin/account-reconnect/{id}` with the whole account), and
re-sync (`POST /mj/admin/account-sync/{id}`). Its refusals come as HTTP 200 with
`{"success": false, "message": …}`."""

import re
from typing import Any

from django.views.decorators.debug import sensitive_variables

from mjadmin import upstream, vendor_data
from mjadmin.redaction import redact
from mjadmin.text import printable
from mjadmin.vendors.midjourney_proxy.client import SERVICE, answered, call
from mjadmin.vendors.records import ProxyAccount

# trueai-org's account ids are GUIDs; anything else never goes into an address.
ACCOUNT_ID = re.compile(r"[A-Za-z0-9-]{1,64}")
PAGE_SIZE = 100  # the most the proxy gives a page
MAX_PAGES = 50  # 5,000 accounts: far more than any proxy runs
TEXT_MAX = 200


class NotAdmin(upstream.UpstreamAuthError):
    title = "An admin token is needed"


class Refused(upstream.UpstreamBadRequest):
    """The proxy's own refusal (HTTP 200, success false), in its words."""

    title = "midjourney-proxy refused"


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    shown = " ".join(printable(redact(str(value))).split())
    return shown[:TEXT_MAX] or None


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _masked_token(value: Any) -> str:
    """Never more than a tail: the answer's tokens were masked on arrival ("••••i0Te"); one that
    was not (too short to look like a key) is not shown at all."""
    if not isinstance(value, str) or not value.strip():
        return ""
    value = value.strip()
    return value if value.startswith("•") and len(value) <= 8 else "•••"


def parse_account(raw: dict[str, Any]) -> ProxyAccount:
    given_properties = raw.get("properties")
    properties: dict[str, Any] = given_properties if isinstance(given_properties, dict) else {}
    fast = raw.get("fastTimeRemaining") or properties.get("Fast Time Remaining")
    return ProxyAccount(
        id=str(raw.get("id")),
        channel=_text(raw.get("channelId")) or "",
        guild=_text(raw.get("guildId")),
        enabled=raw.get("enable") is not False,
        locked=raw.get("lock") is True,
        disabled_reason=_text(raw.get("disabledReason")),
        running=_count(raw.get("runningCount")),
        queued=_count(raw.get("queueCount")),
        fast_time_left=_text(fast),
        remark=_text(raw.get("remark")),
        token_masked=_masked_token(raw.get("userToken")),
    )


def _usable(raw: Any) -> bool:
    return isinstance(raw, dict) and isinstance(raw.get("id"), str) and bool(raw["id"])


def _refusal(payload: Any) -> None:
    if isinstance(payload, dict) and payload.get("success") is False:
        said = _text(payload.get("message")) or "no reason given"
        raise Refused(f"{SERVICE} refused: {said}", [said], status=200)


@sensitive_variables("token", "body", "payload")
def _admin(method: str, path: str, token: str, body: Any = None, **options: Any) -> Any:
    try:
        if method == "GET" or path == "accounts":
            payload = call(method, f"/mj/admin/{path}", token, body, **options)
        else:
            # A change is sent once, never again after a 502 or a 429: the proxy may have made
            # it, and the body may carry a Discord token.
            payload = answered(method, f"/mj/admin/{path}", token, body)
    except upstream.UpstreamAuthError as exc:
        raise NotAdmin(
            f"{SERVICE} refused your token for its accounts: they need the proxy's admin token "
            "(trueai-org's proxy; a user's token, or novicezk's proxy, cannot list them). Save "
            "an admin token on the Settings page.",
            status=exc.status,
        ) from None
    _refusal(payload)
    return payload


@sensitive_variables("token")
def list_accounts(token: str) -> list[ProxyAccount]:
    """Every account, disabled ones included, in the proxy's order."""
    found: list[ProxyAccount] = []
    for page in range(1, MAX_PAGES + 1):
        query = {"pagination": {"current": page, "pageSize": PAGE_SIZE}, "search": {}}
        try:
            payload = _admin("POST", "accounts", token, query)
        except upstream.UpstreamNotFound:
            return _enabled_only(token)
        listed = payload.get("list") if isinstance(payload, dict) else None
        if not isinstance(listed, list):
            raise vendor_data.unexpected_shape(SERVICE)
        found += [parse_account(a) for a in listed[:PAGE_SIZE] if _usable(a)]
        pagination = payload.get("pagination") if isinstance(payload, dict) else None
        total = pagination.get("total") if isinstance(pagination, dict) else None
        if len(listed) < PAGE_SIZE or not isinstance(total, int) or len(found) >= total:
            break
    return found


@sensitive_variables("token")
def _enabled_only(token: str) -> list[ProxyAccount]:
    # An older proxy without the paged search: its plain list (enabled accounts only).
    payload = _admin("GET", "accounts", token)
    if not isinstance(payload, list):
        raise vendor_data.unexpected_shape(SERVICE)
    return [parse_account(a) for a in payload if _usable(a)]


def _checked(account_id: str) -> str:
    if not ACCOUNT_ID.fullmatch(account_id):
        said = f"{account_id!r} is not a midjourney-proxy account id."
        raise upstream.UpstreamBadRequest(said, [said])
    return account_id


@sensitive_variables("token", "whole")
def set_enabled(token: str, account_id: str, enabled: bool) -> str:
    """Enable or disable an account; the proxy's own words for the outcome. The proxy takes the
    whole account back, so it is read first as the proxy holds it (its Discord token included,
    never kept, shown or logged) and sent back with only `enable` changed."""
    account_id = _checked(account_id)
    # Unmasked: sent straight back to the proxy that gave it, never stored or shown.
    whole = _admin("GET", f"account/{account_id}", token, masked=False)
    if isinstance(whole, dict) and isinstance(whole.get("data"), dict):
        whole = whole["data"]  # a Result<DiscordAccount> envelope
    if not _usable(whole) or whole["id"] != account_id:
        raise vendor_data.unexpected_shape(SERVICE)
    reply = _admin("PUT", f"account-reconnect/{account_id}", token, {**whole, "enable": enabled})
    return _said(reply)


@sensitive_variables("token")
def sync(token: str, account_id: str) -> str:
    """Ask the proxy to read the account's Midjourney /info and /settings again."""
    reply = _admin("POST", f"account-sync/{_checked(account_id)}", token)
    return _said(reply)


def _said(reply: Any) -> str:
    said = _text(reply.get("message")) if isinstance(reply, dict) else None
    return said or "done"
