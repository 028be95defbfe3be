from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts import credentials, overview, useapi
from accounts.models import Service
from mjadmin import upstream
from mjadmin.problems import Problem, describe


def _refresh_or_render(request: HttpRequest, load, template: str, extra: dict) -> HttpResponse:
    # Refresh is a POST that drops the cached answer, then the usual GET (so a reload after it
    # does not ask the upstream again).
    if request.method == "POST":
        request.session["accounts_refresh"] = True
        return redirect(request.path)
    fresh = request.session.pop("accounts_refresh", False)
    context = {
        **extra,
        "overview": None,
        "problem": None,
        "cache_seconds": settings.ACCOUNTS_CACHE_SECONDS,
    }
    try:
        token = credentials.get_secret(request.user, Service.USEAPI)
        context["overview"] = load(token, fresh)
    except useapi.NoConfiguration as exc:
        context["problem"] = Problem(
            "No Midjourney configuration",
            exc.message,
            link_url=useapi.CREATE_CONFIG_URL,
            link_label="How to add an account at useapi.net",
        )
    except (credentials.CredentialProblem, upstream.UpstreamError) as exc:
        context["problem"] = describe(exc)
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def dashboard(request: HttpRequest) -> HttpResponse:
    return _refresh_or_render(
        request,
        lambda token, fresh: overview.load_overview(request.user.pk, token, fresh=fresh),
        "accounts/dashboard.html",
        {},
    )


@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, channel: str) -> HttpResponse:
    return _refresh_or_render(
        request,
        lambda token, fresh: overview.load_account(request.user.pk, token, channel, fresh=fresh),
        "accounts/detail.html",
        {"channel": channel},
    )
