from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters

from mjadmin.team import first_run
from mjadmin.team.forms import FirstAdminForm


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
            "Team admin, and save your API keys under Settings.",
        )
        return redirect("keys:settings")
    return render(request, "team/setup.html", {"form": form})
