"""The tokens of the password reset links admins make: Django's (one use, bound to the password
and last sign-in, expiring after PASSWORD_RESET_TIMEOUT), and also void once the teammate has
been deactivated, even after they are reactivated."""

from datetime import datetime

from django.contrib.auth.models import User
from django.contrib.auth.tokens import PasswordResetTokenGenerator

from mjadmin.team.models import Profile


class ResetLinkTokens(PasswordResetTokenGenerator):
    def _make_hash_value(self, user: User, timestamp: int) -> str:
        since: datetime | None = (
            Profile.objects.filter(user_id=user.pk)
            .values_list("reset_links_since", flat=True)
            .first()
        )
        return super()._make_hash_value(user, timestamp) + (since.isoformat() if since else "")


reset_tokens = ResetLinkTokens()
