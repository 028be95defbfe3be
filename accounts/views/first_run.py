from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters

from accounts import first_run
from accounts.forms import FirstAdminForm


@login_not_required
@sensitive_post_parameters("password1", "password2")
def setup(request: HttpRequest, token: str) -> HttpResponse:
    if not first_run.is_valid(token):
        return render(request, "accounts/setup_invalid.html", status=404)

    form = FirstAdminForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if not first_run.consume(token):
                return render(request, "accounts/setup_invalid.html", status=404)
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
        return redirect("accounts:settings")
    return render(request, "accounts/setup.html", {"form": form})
