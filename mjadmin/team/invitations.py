"""Invitations: one-time links that let a new teammate choose their password and join."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from mjadmin.audit.log import record
from mjadmin.audit.models import Action
from mjadmin.team.first_run import digest
from mjadmin.team.models import Invitation


class NotPending(Exception):
    """The invitation was used, revoked or has expired since the page was shown."""

    def __init__(self, invitation: Invitation) -> None:
        super().__init__(invitation.state)
        self.invitation = invitation


class UsernameTaken(Exception):
    """Someone got the invited username (through the Django admin, say) after the invitation."""


def pending_for(username: str) -> bool:
    return Invitation.objects.waiting().filter(username__iexact=username).exists()


def invite(username: str, email: str, by: User) -> tuple[Invitation, str]:
    """A new invitation and its token; the token exists only in the link returned here."""
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        digest=digest(token),
        username=username,
        email=email,
        invited_by=by,
        expires_at=timezone.now() + timedelta(hours=settings.TEAM_INVITE_HOURS),
    )
    hours = settings.TEAM_INVITE_HOURS
    record(Action.INVITED, subject=username, detail=f"link valid for {hours} h")
    return invitation, token


def find(token: str) -> Invitation | None:
    # The token in a URL is whatever a browser sent: only a digest of it is ever compared.
    return Invitation.objects.filter(digest=digest(token)).first()


def accept(invitation: Invitation, password: str) -> User:
    """Create the teammate, once: a second browser submitting the same link gets NotPending."""
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.state != Invitation.State.PENDING:
            raise NotPending(locked)
        username = get_user_model().normalize_username(locked.username)
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise UsernameTaken(username)
        try:
            with transaction.atomic():
                user = get_user_model().objects.create_user(
                    username, email=locked.email, password=password
                )
        except IntegrityError:
            raise UsernameTaken(username) from None
        locked.used_at = timezone.now()
        locked.save(update_fields=["used_at"])
    record(Action.JOINED, subject=user.get_username(), detail="through an invitation")
    return user


def revoke(invitation: Invitation) -> bool:
    """False when there was nothing left to revoke (already used, revoked or expired)."""
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.state != Invitation.State.PENDING:
            return False
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
    record(Action.INVITATION_REVOKED, subject=locked.username)
    return True
