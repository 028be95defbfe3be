from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from accounts import overview
from accounts.notices import notice
from mjadmin import upstream
from mjadmin.keys import credentials
from mjadmin.refresh import refreshable
from mjadmin.team.auth import AuthenticatedHttpRequest
from mjadmin.vendors import registry
from mjadmin.vendors.useapi.vendor import SLUG as USEAPI

ACCOUNTS_PER_PAGE = 100


def _render(
    request: AuthenticatedHttpRequest,
    load: Callable[[str], overview.Overview],
    template: str,
    extra: dict[str, Any],
) -> HttpResponse:
    context: dict[str, Any] = {
        **extra,
        # Vendors whose own account lists have pages of their own (midjourney-proxy).
        "account_vendors": registry.account_vendors(),
        "overview": None,
        "problem": None,
        "cache_seconds": settings.ACCOUNTS_CACHE_SECONDS,
    }
    try:
        token = credentials.get_secret(request.user, USEAPI)
        loaded = load(token)
    except (credentials.CredentialProblem, upstream.UpstreamError) as exc:
        context.update(notice(exc))
    else:
        context["overview"] = loaded
        # A team can have thousands of accounts: a page of rows at a time, held ones first.
        paginator = Paginator(loaded.attention_first, ACCOUNTS_PER_PAGE)
        context["page"] = paginator.get_page(request.GET.get("page"))
    return render(request, template, context)


@refreshable
def dashboard(request: AuthenticatedHttpRequest, *, fresh: bool) -> HttpResponse:
    return _render(
        request,
        lambda token: overview.load_overview(request.user.pk, token, fresh=fresh),
        "accounts/dashboard.html",
        {},
    )


@refreshable
def detail(request: AuthenticatedHttpRequest, channel: str, *, fresh: bool) -> HttpResponse:
    return _render(
        request,
        lambda token: overview.load_account(request.user.pk, token, channel, fresh=fresh),
        "accounts/detail.html",
        {"channel": channel},
    )
