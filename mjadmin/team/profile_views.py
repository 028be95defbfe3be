"""A teammate's own page: who they are, their time zone, their password, their sign-ins."""

from django.contrib import messages
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import PasswordChangeView
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods

from mjadmin.audit.log import record
from mjadmin.audit.models import Action, AuditEvent
from mjadmin.team import time_zones
from mjadmin.team.auth import AuthenticatedHttpRequest
from mjadmin.team.forms import ProfileForm

RECENT_SIGN_INS = 10


@require_http_methods(["GET", "POST"])
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ProfileForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        time_zones.remember(request, saved.time_zone)
        messages.success(request, "Your profile is saved.")
        return redirect("team:profile")
    sign_ins = AuditEvent.objects.filter(
        action__in=[Action.SIGNED_IN, Action.SIGN_IN_FAILED, Action.LOCKED_OUT],
        subject=request.user.get_username(),
    )[:RECENT_SIGN_INS]
    context = {"form": form, "sign_ins": sign_ins, "zone": time_zones.viewer_zone(request)}
    return render(request, "team/profile.html", context)


class ChangePasswordView(PasswordChangeView):
    template_name = "team/password_change_form.html"
    success_url = reverse_lazy("team:password_change_done")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        record(Action.PASSWORD_CHANGED, subject=form.user.get_username(), request=self.request)
        return response
