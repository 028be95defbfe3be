import zoneinfo

from django.conf import settings
from django.db import models
from django.utils import timezone


class SetupToken(models.Model):
    """The one-time first-run link; only a digest is stored, the link is printed once."""

    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"first-run link created {self.created_at:%Y-%m-%d %H:%M}"


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def waiting(self) -> "InvitationQuerySet":
        """Neither used nor revoked, and not expired: the link still lets someone join."""
        return self.filter(used_at=None, revoked_at=None, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A one-time link an admin makes for a new teammate. Like the first-run link, only a
    digest of the token is stored: the link is shown once, to the admin who made it."""

    class State(models.TextChoices):
        PENDING = "pending", "waiting"
        USED = "used", "used"
        EXPIRED = "expired", "expired"
        REVOKED = "revoked", "revoked"

    digest = models.CharField(max_length=64, unique=True)
    username = models.CharField(max_length=150)
    email = models.EmailField(blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"invitation for {self.username} ({self.state})"

    @property
    def state(self) -> "Invitation.State":
        if self.used_at is not None:
            return self.State.USED
        if self.revoked_at is not None:
            return self.State.REVOKED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.PENDING


# Stored when a teammate has not chosen a zone: times follow the browser they are using.
AUTOMATIC_TIME_ZONE = ""


def time_zone_choices() -> list[tuple[str, str]]:
    automatic = (AUTOMATIC_TIME_ZONE, "Automatic (this browser's time zone)")
    zones = [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]
    return [automatic, *zones]


class Profile(models.Model):
    """What a teammate sets about themselves beyond Django's user: for now, their time zone."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    time_zone = models.CharField(max_length=64, default=AUTOMATIC_TIME_ZONE, blank=True)
    # Password reset links made before this stop working (set when the teammate is
    # deactivated, so reactivating them does not bring an old link back).
    reset_links_since = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"profile of user #{self.user_id}"
