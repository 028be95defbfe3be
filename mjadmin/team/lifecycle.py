"""What follows when a teammate is added, deactivated, reactivated or changes role, however it
was done (the team page, the Django admin, a command, the shell): an audit record, and no old
session coming back to life."""

from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from mjadmin.audit.log import record
from mjadmin.audit.models import Action
from mjadmin.team.models import Invitation, Profile
from mjadmin.team.sessions import mark_signed_in


def end_sessions_of(user: User) -> int:
    """Delete every stored session of this user. Sessions are signed blobs keyed by random ids,
    so each live one is read to find its owner; a team has few, and this runs rarely."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended


@receiver(pre_save, sender=User)
def _remember_active(sender: type[User], instance: User, **kwargs: Any) -> None:
    stored = User.objects.filter(pk=instance.pk) if instance.pk else User.objects.none()
    # Kept on the instance for the post_save receiver below.
    instance._was = stored.values_list("is_active", "is_superuser").first()  # type: ignore[attr-defined]


@receiver(post_save, sender=User)
def _after_save(sender: type[User], instance: User, created: bool, **kwargs: Any) -> None:
    if created:
        record(Action.USER_ADDED, subject=instance.get_username())
        return
    was = getattr(instance, "_was", None)
    if was is None:
        return
    was_active, was_admin = was
    if was_admin != instance.is_superuser:
        role = "admin" if instance.is_superuser else "member"
        record(Action.ROLE_CHANGED, subject=instance.get_username(), detail=f"now {role}")
    if was_active != instance.is_active:
        # Deactivating locks the account; reactivating must not revive a session from before,
        # nor a password reset link made before.
        end_sessions_of(instance)
        if not instance.is_active:
            Profile.objects.update_or_create(
                user=instance, defaults={"reset_links_since": timezone.now()}
            )
        action = Action.USER_REACTIVATED if instance.is_active else Action.USER_DEACTIVATED
        record(action, subject=instance.get_username())
    if (was_admin and not instance.is_superuser) or (was_active and not instance.is_active):
        _revoke_invitations_by(instance)


def _revoke_invitations_by(user: User) -> None:
    """An admin who is no longer one leaves no way in behind: their waiting invitations end."""
    waiting = Invitation.objects.waiting().filter(invited_by=user)
    why = f"made by {user.get_username()}, no longer an admin"
    for username in list(waiting.values_list("username", flat=True)):
        record(Action.INVITATION_REVOKED, subject=username, detail=why)
    waiting.update(revoked_at=timezone.now())


@receiver(user_logged_in)
def _start_session_clock(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    mark_signed_in(request)
