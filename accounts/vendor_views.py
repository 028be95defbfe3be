"""The Midjourney accounts of vendors the registry lists with an account list of their own (a
self-hosted midjourney-proxy): the list, and enable, disable and re-sync, each after a
confirmation page and recorded in the audit log with its outcome."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods

from mjadmin import upstream
from mjadmin.audit.log import record
from mjadmin.keys import credentials
from mjadmin.problems import describe
from mjadmin.team.auth import AuthenticatedHttpRequest
from mjadmin.vendors import registry
from mjadmin.vendors.base import AccountActions, Vendor
from mjadmin.vendors.records import ProxyAccount


def _vendor(slug: str) -> tuple[Vendor, AccountActions]:
    try:
        vendor = registry.vendor(slug)
    except KeyError:
        raise Http404("No such vendor.") from None
    if vendor.accounts is None:
        raise Http404("This vendor keeps no account list here.")
    return vendor, vendor.accounts


# What each action is called on its page, what it did, and its call.
Act = Callable[[AccountActions, str, str], str]
ACTIONS: dict[str, tuple[str, str, Act]] = {
    "disable": ("Disable", "disabled", lambda a, t, i: a.set_enabled(t, i, False)),
    "enable": ("Enable", "enabled", lambda a, t, i: a.set_enabled(t, i, True)),
    "sync": ("Re-sync", "re-synced", lambda a, t, i: a.sync(t, i)),
}


@require_GET
@sensitive_variables("token")
def account_list(request: AuthenticatedHttpRequest, vendor: str) -> HttpResponse:
    known, actions = _vendor(vendor)
    context: dict[str, Any] = {"vendor": known, "accounts": None, "problem": None}
    try:
        token = credentials.get_secret(request.user, known.slug)
        listed = actions.list_accounts(token)
    except (credentials.CredentialProblem, upstream.UpstreamError) as exc:
        context["problem"] = describe(exc)
    else:
        # Those that need someone first (locked, disabled with a reason, turned off).
        context["accounts"] = sorted(listed, key=lambda a: not a.needs_attention)
        context["attention"] = sum(1 for a in listed if a.needs_attention)
    return render(request, "accounts/vendor_accounts.html", context)


def _one(listed: list[ProxyAccount], account_id: str) -> ProxyAccount | None:
    return next((a for a in listed if a.id == account_id), None)


@require_http_methods(["GET", "POST"])
@sensitive_variables("token")
def account_action(
    request: AuthenticatedHttpRequest, vendor: str, account_id: str, action: str
) -> HttpResponse:
    """The confirmation page (GET, showing the account as the vendor lists it now), and on its
    POST the action itself, recorded with its outcome."""
    known, actions = _vendor(vendor)
    if action not in ACTIONS:
        raise Http404("No such action.")
    verb, done, act = ACTIONS[action]
    context: dict[str, Any] = {
        "vendor": known,
        "account_id": account_id,
        "verb": verb,
        "action": action,
        "problem": None,
    }
    try:
        token = credentials.get_secret(request.user, known.slug)
    except credentials.CredentialProblem as exc:
        context["problem"] = describe(exc)
        return render(request, "accounts/vendor_confirm.html", context)
    if request.method == "POST":
        name = actions.events[action]  # the audit event the vendor registered for it
        try:
            said = act(actions, token, account_id)
        except upstream.UpstreamError as exc:
            record(name, subject=account_id, detail=f"refused: {exc.message}")
            context["problem"] = describe(exc)
        else:
            record(name, subject=account_id, detail=f"done: {said}")
            messages.success(request, f"Account {account_id} {done} ({known.name}: {said}).")
            return redirect("accounts:vendor_accounts", vendor=known.slug)
    try:
        context["account"] = _one(actions.list_accounts(token), account_id)
    except upstream.UpstreamError as exc:
        # The action may still be what is needed (the list can fail where the action would not).
        context["problem"] = context["problem"] or describe(exc)
    return render(request, "accounts/vendor_confirm.html", context)
