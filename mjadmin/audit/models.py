from django.conf import settings
from django.db import models


class Action(models.TextChoices):
    SIGNED_IN = "signed_in", "signed in"
    SIGNED_OUT = "signed_out", "signed out"
    SIGN_IN_FAILED = "sign_in_failed", "sign-in failed"
    LOCKED_OUT = "locked_out", "locked out"
    UNLOCKED = "unlocked", "unlocked"
    KEY_SAVED = "key_saved", "API key saved"
    KEY_REMOVED = "key_removed", "API key removed"
    KEYS_ROTATED = "keys_rotated", "encryption key rotated"
    USER_ADDED = "user_added", "teammate added"
    USER_DEACTIVATED = "user_deactivated", "teammate deactivated"
    USER_REACTIVATED = "user_reactivated", "teammate reactivated"
    INVITED = "invited", "teammate invited"
    JOINED = "joined", "teammate joined"
    INVITATION_REVOKED = "invitation_revoked", "invitation revoked"
    ROLE_CHANGED = "role_changed", "role changed"
    RESET_LINK_MADE = "reset_link_made", "password reset link made"
    RESET_LINK_USED = "reset_link_used", "password reset link used"
    PASSWORD_CHANGED = "password_changed", "password changed"


# Events the platform does not define, by their stored name: what teammates asked a vendor to do
# to a Midjourney account, say. Filled by the vendors' folders when the app starts, so a new
# vendor's events need no migration here.
_MORE_EVENTS: dict[str, str] = {}


def register_event(name: str, label: str) -> None:
    _MORE_EVENTS[name] = label


def events() -> list[tuple[str, str]]:
    """Every event's stored name and label, the platform's first."""
    return [*Action.choices, *_MORE_EVENTS.items()]


def label_of(name: str) -> str:
    return dict(events()).get(name, name.replace("_", " "))


class AuditEvent(models.Model):
    """One security event: who did what, to whom, when and from where. Never a secret; written
    only by the app, never edited from it."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # A plain name (Action's, or one a vendor registered): no choices, so no migration per event.
    action = models.CharField(max_length=40, db_index=True)
    # Null when nobody was signed in (a failed sign-in, a management command).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text too, so the log still says who once a teammate's account is deleted.
    actor_name = models.CharField(max_length=150, blank=True)
    # Whom the event is about: the username typed at sign-in, the teammate changed.
    subject = models.CharField(max_length=150, blank=True, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.subject}"

    def get_action_display(self) -> str:
        return label_of(self.action)
