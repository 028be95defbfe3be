from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from mjadmin.audit.log import record
from mjadmin.audit.models import Action
from mjadmin.roles import admin_required
from mjadmin.team import first_run, locks
from mjadmin.team.forms import FirstAdminForm


def locked_out(
    request: HttpRequest, response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """What django-axes answers while a username is locked from an address."""
    minutes = settings.LOGIN_COOLOFF_MINUTES
    return render(request, "team/locked_out.html", {"minutes": minutes}, status=429)


class TeamLoginView(LoginView):
    template_name = "team/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # Before anyone has an account, point at the console's setup link, not at an admin.
        return super().get_context_data(**kwargs, needs_setup=first_run.needs_setup())


@login_not_required
@sensitive_post_parameters("password1", "password2")
def setup(request: HttpRequest, token: str) -> HttpResponse:
    if not first_run.is_valid(token):
        return render(request, "team/setup_invalid.html", status=404)

    form = FirstAdminForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if not first_run.consume(token):
                return render(request, "team/setup_invalid.html", status=404)
            user = form.save(commit=False)
            user.is_staff = True
            user.is_superuser = True
            user.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            f"Welcome, {user.username}. You are this team's first admin: add teammates under "
            "Team, and save your API keys under Settings.",
        )
        return redirect("keys:settings")
    return render(request, "team/setup.html", {"form": form})


@require_http_methods(["GET", "POST"])
@admin_required
def sign_in_locks(request: HttpRequest) -> HttpResponse:
    """Teammates locked out by too many failed sign-ins, and the button that lets them back."""
    if request.method == "POST":
        username = request.POST.get("username", "")[:150]
        ip = request.POST.get("ip", "")[:45]
        if locks.lift(username, ip):
            record(Action.UNLOCKED, subject=username, detail=f"sign-ins from {ip} allowed again")
            messages.success(request, f"{username} can sign in again from {ip}.")
        else:
            messages.info(request, "That lock had already ended.")
        return redirect("team:locks")
    context = {"locks": locks.current_locks(), "failure_limit": settings.AXES_FAILURE_LIMIT}
    return render(request, "team/locks.html", context)
