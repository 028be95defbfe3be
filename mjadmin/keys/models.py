from django.conf import settings
from django.db import models


class ApiCredential(models.Model):
    """One user's secret for one vendor, stored as Fernet ciphertext only. Which vendors there are
    is the registry's to say (mjadmin/keys/kinds.py), so a new vendor needs no migration here."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_credentials"
    )
    # The vendor's key kind (KeyKind.slug): "useapi", "apiframe", "midjourney_proxy", "legnext".
    service = models.CharField(max_length=32)
    ciphertext = models.TextField()
    saved_at = models.DateTimeField()
    # Which of the vendor's APIs the secret is for, for a vendor with more than one (Apiframe's
    # "v1" and "v2"). Kept beside the key, so it can be changed without typing the key again.
    api = models.CharField(max_length=16, blank=True, default="")
    # Whether this key serves its owner's task lookups (one of theirs at most).
    for_lookups = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "service"], name="one_credential_per_service")
        ]

    def __str__(self) -> str:
        # Deliberately no value, masked or not: this string ends up in logs and the admin.
        return f"{self.service} key of user #{self.user_id}"
