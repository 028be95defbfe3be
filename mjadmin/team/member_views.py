"""The team page and what admins do from it: invite, change roles, deactivate, reset links.
Every change is confirmed on a page of its own first, and lands in the audit log."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.views.decorators.http import require_GET, require_http_methods

from mjadmin.audit.log import record
from mjadmin.audit.models import Action
from mjadmin.roles import admin_required
from mjadmin.team import invitations, membership, roster
from mjadmin.team.auth import AuthenticatedHttpRequest
from mjadmin.team.forms import InviteForm
from mjadmin.team.mail import send_link
from mjadmin.team.models import Invitation
from mjadmin.team.reset_tokens import reset_tokens

RECENT_INVITATIONS = 20


@require_GET
@admin_required
def team(request: AuthenticatedHttpRequest) -> HttpResponse:
    members = roster.members()
    waiting = Invitation.objects.waiting().select_related("invited_by")
    # Every waiting invitation (each can still be revoked), then the latest of the others.
    done = Invitation.objects.exclude(pk__in=waiting.values("pk")).select_related("invited_by")
    context = {
        "members": members,
        "count_labels": roster.count_labels(),
        "active_admins": sum(1 for m in members if m.is_admin and m.is_active),
        "invitations": [*waiting, *done[:RECENT_INVITATIONS]],
        "invite_hours": settings.TEAM_INVITE_HOURS,
    }
    return render(request, "team/members.html", context)


@require_http_methods(["GET", "POST"])
@admin_required
def invite(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username, email = form.cleaned_data["username"], form.cleaned_data["email"]
        invitation, token = invitations.invite(username, email, by=request.user)
        link = request.build_absolute_uri(reverse("team:join", args=[token]))
        emailed = ""
        if email:
            emailed = send_link(
                email,
                "You are invited to mjadmin",
                f"{request.user.get_username()} invited you to join the team on mjadmin as "
                f"{username}. Open this link within {settings.TEAM_INVITE_HOURS} hours to "
                "choose your password; it works once.",
                link,
            )
        # Shown on this response only, never stored or redirected through: the link is the
        # one thing that lets someone join.
        context = {"invitation": invitation, "link": link, "emailed": emailed}
        return render(request, "team/invited.html", context)
    context = {"form": form, "invite_hours": settings.TEAM_INVITE_HOURS}
    return render(request, "team/invite.html", context)


@require_http_methods(["GET", "POST"])
@admin_required
def revoke_invitation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=pk)
    if request.method == "POST":
        if invitations.revoke(invitation):
            messages.success(request, f"The invitation for {invitation.username} is revoked.")
        else:
            messages.info(
                request,
                f"The invitation for {invitation.username} was already {invitation.state.label}.",
            )
        return redirect("team:members")
    return render(
        request,
        "team/confirm.html",
        {
            "title": f"Revoke the invitation for {invitation.username}?",
            "explanation": "The link stops working at once. You can invite them again later.",
            "button": "Revoke invitation",
            "danger": True,
        },
    )


@dataclass(frozen=True)
class MemberAction:
    title: str
    explanation: str
    button: str
    danger: bool = False


ACTIONS = {
    "make-admin": MemberAction(
        "Make {name} an admin?",
        "Admins manage the team: they invite and deactivate teammates, change roles, read the "
        "audit log and lift sign-in locks. They can also open the Django admin, with full "
        "powers there.",
        "Make admin",
    ),
    "make-member": MemberAction(
        "Make {name} a member?",
        "Members use Accounts, Tasks and their own Settings; they cannot manage the team.",
        "Make member",
    ),
    "deactivate": MemberAction(
        "Deactivate {name}?",
        "They are signed out everywhere at once and cannot sign in until reactivated. Their "
        "lookups and saved keys are kept.",
        "Deactivate",
        danger=True,
    ),
    "reactivate": MemberAction(
        "Reactivate {name}?",
        "They can sign in again with their password. No session from before comes back.",
        "Reactivate",
    ),
    "reset-link": MemberAction(
        "Make a password reset link for {name}?",
        "You get a one-time link to give them; it lets whoever opens it choose {name}'s new "
        "password, so hand it over privately. It expires after {hours} hours.",
        "Make reset link",
    ),
}


def _perform(request: AuthenticatedHttpRequest, member: User, action: str) -> HttpResponse:
    name = member.get_username()
    try:
        if action in ("make-admin", "make-member"):
            changed = membership.set_admin(member, action == "make-admin")
            role = "an admin" if member.is_superuser else "a member"
            done = f"{name} is now {role}." if changed else f"{name} was already {role}."
        else:
            changed = membership.set_active(member, action == "reactivate")
            state = "active" if member.is_active else "deactivated"
            done = f"{name} is {state}." if changed else f"{name} was already {state}."
    except membership.LastAdmin:
        messages.error(
            request, f"{name} is the team's last active admin: make someone else admin first."
        )
        return redirect("team:members")
    messages.success(request, done)
    if member == request.user and not member.is_superuser:
        # They just gave up their own admin role: the team page is no longer theirs.
        return redirect("home")
    return redirect("team:members")


def _reset_link(request: AuthenticatedHttpRequest, member: User) -> HttpResponse:
    uid = urlsafe_base64_encode(force_bytes(member.pk))
    token = reset_tokens.make_token(member)
    link = request.build_absolute_uri(reverse("team:reset", args=[uid, token]))
    record(Action.RESET_LINK_MADE, subject=member.get_username())
    emailed = ""
    if member.email:
        emailed = send_link(
            member.email,
            "Choose a new mjadmin password",
            f"{request.user.get_username()} made you a link to choose a new password for "
            f"mjadmin. It works once, within {settings.TEAM_INVITE_HOURS} hours.",
            link,
        )
    context = {"member": member, "link": link, "emailed": emailed}
    return render(request, "team/reset_link.html", context)


@require_http_methods(["GET", "POST"])
@admin_required
def member_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("No such action.")
    member = get_object_or_404(get_user_model(), pk=pk)
    name = member.get_username()
    if member == request.user and action in ("deactivate", "reset-link"):
        messages.error(
            request,
            "You cannot do that to your own account here: change your password on your "
            "profile, and ask another admin to deactivate you.",
        )
        return redirect("team:members")
    if action == "reset-link" and not member.is_active:
        messages.error(request, f"{name} is deactivated: reactivate them first.")
        return redirect("team:members")
    if request.method == "POST":
        if action == "reset-link":
            return _reset_link(request, member)
        return _perform(request, member, action)
    spec = ACTIONS[action]
    hours = settings.TEAM_INVITE_HOURS
    explanation = spec.explanation.format(name=name, hours=hours)
    if action == "reset-link" and member.email:
        explanation += f" It is also emailed to {member.email}."
    context = {
        "title": spec.title.format(name=name),
        "explanation": explanation,
        "button": spec.button,
        "danger": spec.danger,
    }
    return render(request, "team/confirm.html", context)
