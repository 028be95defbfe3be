"""Changing a teammate's role or whether they may sign in, with the one rule that keeps a team
manageable: there is always at least one active admin."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction


class LastAdmin(Exception):
    """The change would leave the team with no active admin."""


def _leaves_no_admin(user: User) -> bool:
    # Locks every active admin row, the changed one included and always in the same order, so
    # two admins demoting each other at the same moment neither both succeed nor deadlock.
    admins = (
        get_user_model()
        .objects.select_for_update()
        .filter(is_active=True, is_superuser=True)
        .order_by("pk")
    )
    return not [pk for pk in admins.values_list("pk", flat=True) if pk != user.pk]


def set_admin(user: User, admin: bool) -> bool:
    """Make the teammate an admin (who manages the team, and may use the Django admin) or a
    member. False when they already had that role. The audit record comes from the save."""
    with transaction.atomic():
        if user.is_superuser == admin:
            return False
        if not admin and user.is_active and _leaves_no_admin(user):
            raise LastAdmin
        user.is_superuser = user.is_staff = admin
        user.save(update_fields=["is_superuser", "is_staff"])
    return True


def set_active(user: User, active: bool) -> bool:
    """Deactivate (sign-in refused, sessions ended) or reactivate; False when nothing changed."""
    with transaction.atomic():
        if user.is_active == active:
            return False
        if not active and user.is_superuser and _leaves_no_admin(user):
            raise LastAdmin
        user.is_active = active
        user.save(update_fields=["is_active"])
    return True
