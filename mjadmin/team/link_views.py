"""The two one-time links a teammate opens without being signed in: an invitation to join, and a
password reset link an admin made for them."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.views import PasswordResetConfirmView
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from mjadmin.audit.log import record
from mjadmin.audit.models import Action
from mjadmin.team import invitations
from mjadmin.team.forms import JoinForm
from mjadmin.team.models import Invitation
from mjadmin.team.reset_tokens import reset_tokens

# Said plainly, so the invitee knows what to ask their admin for.
GONE = {
    Invitation.State.USED: "This invitation has already been used. If it was you, sign in.",
    Invitation.State.EXPIRED: "This invitation has expired. Ask your admin for a new one.",
    Invitation.State.REVOKED: "This invitation was revoked by an admin. Ask them for a new one.",
}


def _gone(request: HttpRequest, invitation: Invitation | None) -> HttpResponse:
    if invitation is None:
        text, status = "This is not a valid invitation link. Check that it was copied whole.", 404
    else:
        text, status = GONE[invitation.state], 410
    return render(request, "team/link_invalid.html", {"text": text}, status=status)


_TOKEN_IN_SESSION = "invitation_token"  # noqa: S105 - a session key's name, not a secret


@login_not_required
@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("password1", "password2")
def join(request: HttpRequest, token: str | None = None) -> HttpResponse:
    if token is not None:
        # Like Django's password reset: the token moves into the session and the browser goes
        # on to /join/, so it is not in the address bar, the history or a Referer for long.
        request.session[_TOKEN_IN_SESSION] = token
        if request.method == "GET":
            return redirect("team:join_form")
    token = request.session.get(_TOKEN_IN_SESSION)
    invitation = invitations.find(token) if isinstance(token, str) else None
    if invitation is None or invitation.state != Invitation.State.PENDING:
        return _gone(request, invitation)
    if request.user.is_authenticated:
        # Joining would sign this browser in as someone else; say so instead.
        context = {"invitation": invitation}
        return render(request, "team/join_signed_in.html", context, status=409)
    form = JoinForm(invitation.username, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.accept(invitation, form.cleaned_data["password1"])
        except invitations.NotPending as gone:
            return _gone(request, gone.invitation)
        except invitations.UsernameTaken:
            text = (
                f"The username {invitation.username} was taken after this invitation was made. "
                "Ask your admin for a new invitation."
            )
            return render(request, "team/link_invalid.html", {"text": text}, status=409)
        # login() keeps the session's data: drop the used token from it first.
        request.session.pop(_TOKEN_IN_SESSION, None)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            f"Welcome to the team, {user.get_username()}. Save your API keys here to use "
            "Accounts and Tasks.",
        )
        return redirect("keys:settings")
    return render(request, "team/join.html", {"form": form, "invitation": invitation})


# Overriding dispatch drops the marking Django put on its own: opened signed out, by design.
@method_decorator(login_not_required, name="dispatch")
class ResetPasswordView(PasswordResetConfirmView):
    """Django's own reset-link checks (one use, expiry, bound to the password it replaces),
    with the audit record and a deactivated teammate refused."""

    template_name = "team/reset_password.html"
    token_generator = reset_tokens
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("home")

    def dispatch(self, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if self.request.user.is_authenticated:
            # Using it would sign this browser in as the link's teammate: sign out first.
            text = (
                f"You are signed in as {self.request.user.get_username()}. A password reset "
                "link is for the teammate it was made for: sign out first, or send it to them."
            )
            return render(self.request, "team/link_invalid.html", {"text": text}, status=409)
        return super().dispatch(*args, **kwargs)

    def get_user(self, uidb64: str) -> Any:
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        record(Action.RESET_LINK_USED, subject=form.user.get_username(), request=self.request)
        messages.success(self.request, "Your new password is set, and you are signed in.")
        return response
