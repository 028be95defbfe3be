"""Acting on Midjourney accounts: reset a held one, add or update one, change maxJobs, delete.

Each is confirmed on a page of its own and happens only on that page's POST. A Discord token is
typed on the confirmation itself, sent to useapi.net with that POST, and then forgotten: never
in the session, a hidden field, a re-shown form, a log or the audit log.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from accounts import actions, overview
from accounts.forms import NOT_KEPT, DiscordTokenForm, MaxJobsForm
from accounts.notices import notice
from mjadmin import upstream
from mjadmin.keys import credentials
from mjadmin.team.auth import AuthenticatedHttpRequest
from mjadmin.vendors.useapi.client import MidjourneyAccount
from mjadmin.vendors.useapi.vendor import SLUG as USEAPI


@sensitive_variables("token")
def _account(request: AuthenticatedHttpRequest, token: str, channel: str) -> MidjourneyAccount:
    """The account as the Accounts pages last saw it (their cache, else useapi.net)."""
    loaded = overview.load_account(request.user.pk, token, channel)
    return loaded.rows[0].account


@sensitive_variables("token")
def _confirmed(
    request: AuthenticatedHttpRequest,
    channel: str,
    act: Callable[[AbstractBaseUser, str, str], str],
    template: str,
) -> HttpResponse:
    """An action that needs nothing typed (reset, delete): its confirmation page, showing the
    account, and on its POST the action itself."""
    context: dict[str, Any] = {"channel": channel}
    try:
        token = credentials.get_secret(request.user, USEAPI)
    except credentials.CredentialProblem as exc:
        return render(request, template, {**context, **notice(exc)})
    if request.method == "POST":
        try:
            done = act(request.user, token, channel)
        except upstream.UpstreamError as exc:
            context.update(notice(exc))
        else:
            messages.success(request, done)
            return redirect("accounts:dashboard")
    try:
        context["account"] = _account(request, token, channel)
    except upstream.UpstreamError as exc:
        # The action may still be what is needed (the read can fail where it would not).
        context.setdefault("problem", notice(exc)["problem"])
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def reset(request: AuthenticatedHttpRequest, channel: str) -> HttpResponse:
    return _confirmed(request, channel, actions.reset, "accounts/reset.html")


@require_http_methods(["GET", "POST"])
def delete(request: AuthenticatedHttpRequest, channel: str) -> HttpResponse:
    return _confirmed(request, channel, actions.delete, "accounts/delete.html")


def _chosen_max_jobs(request: AuthenticatedHttpRequest, initial: int) -> MaxJobsForm:
    """Step one: maxJobs, asked with GET (choosing changes nothing)."""
    if "max_jobs" in request.GET:
        return MaxJobsForm(request.GET)
    return MaxJobsForm(initial={"max_jobs": initial})


@sensitive_post_parameters("discord_token")
@require_http_methods(["GET", "POST"])
# Nearest the function: it hides the locals of the function it wraps directly.
@sensitive_variables("token", "discord")
def add(request: AuthenticatedHttpRequest) -> HttpResponse:
    context: dict[str, Any] = {}
    if request.method == "POST":
        form = DiscordTokenForm(request.POST)
        if form.is_valid():
            try:
                token = credentials.get_secret(request.user, USEAPI)
                discord = form.cleaned_data["discord_token"]
                done = actions.save(request.user, token, discord, form.cleaned_data["max_jobs"])
            except (credentials.CredentialProblem, upstream.UpstreamError) as exc:
                context.update(notice(exc))
            else:
                messages.success(request, done)
                return redirect("accounts:dashboard")
        return _confirm_page(request, "accounts/add.html", form, context)
    chosen = _chosen_max_jobs(request, 3)
    if chosen.is_bound and chosen.is_valid():
        confirm = DiscordTokenForm(initial={"max_jobs": chosen.cleaned_data["max_jobs"]})
        return _confirm_page(request, "accounts/add.html", confirm, context)
    return render(request, "accounts/add.html", {"step": 1, "form": chosen})


def _confirm_page(
    request: AuthenticatedHttpRequest,
    template: str,
    form: DiscordTokenForm,
    context: dict[str, Any],
) -> HttpResponse:
    """Step two, the confirmation where the token is typed; after a POST, again with the token
    field empty and a line saying why. A maxJobs tampered with goes back to step one."""
    if form.is_bound and "max_jobs" in form.errors:
        return render(request, template, {**context, "step": 1, "form": MaxJobsForm()})
    max_jobs = form.cleaned_data["max_jobs"] if form.is_bound else form.initial["max_jobs"]
    context.update({"step": 2, "form": form, "max_jobs": max_jobs})
    context["not_kept"] = NOT_KEPT if form.is_bound else ""
    return render(request, template, context)


@sensitive_post_parameters("discord_token")
@require_http_methods(["GET", "POST"])
# Nearest the function: it hides the locals of the function it wraps directly.
@sensitive_variables("token", "discord")
def max_jobs(request: AuthenticatedHttpRequest, channel: str) -> HttpResponse:
    context: dict[str, Any] = {"channel": channel}
    try:
        token = credentials.get_secret(request.user, USEAPI)
        account = _account(request, token, channel)
    except (credentials.CredentialProblem, upstream.UpstreamError) as exc:
        # Nothing to confirm against: the change waits until the account can be read.
        context.update(notice(exc))
        return render(request, "accounts/max_jobs.html", {**context, "step": 0})
    context["account"] = account
    expected = {"expected_mask": account.discord_masked, "channel": channel}
    if request.method == "POST":
        form = DiscordTokenForm(request.POST, **expected)
        if form.is_valid():
            try:
                discord = form.cleaned_data["discord_token"]
                new = form.cleaned_data["max_jobs"]
                done = actions.save(
                    request.user, token, discord, new, channel=channel, was=account.max_jobs
                )
            except upstream.UpstreamError as exc:
                context.update(notice(exc))
            else:
                messages.success(request, done)
                return redirect("accounts:detail", channel=channel)
        return _confirm_page(request, "accounts/max_jobs.html", form, context)
    chosen = _chosen_max_jobs(request, account.max_jobs or 3)
    if chosen.is_bound and chosen.is_valid():
        confirm = DiscordTokenForm(
            initial={"max_jobs": chosen.cleaned_data["max_jobs"]}, **expected
        )
        return _confirm_page(request, "accounts/max_jobs.html", confirm, context)
    return render(request, "accounts/max_jobs.html", {**context, "step": 1, "form": chosen})
