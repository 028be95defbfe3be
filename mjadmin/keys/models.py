from django.conf import settings
from django.db import models


class Service(models.TextChoices):
    # The values double as the settings form's field names.
    USEAPI = "useapi_token", "useapi.net API token"
    APIFRAME = "apiframe_key", "Apiframe API key"


class ApiframeApi(models.TextChoices):
    """Which of Apiframe's two APIs an Apiframe key is for (shared/api/apiframe-v2.md)."""

    V1 = "v1", "The original API (v1)"
    V2 = "v2", "The v2 API (its keys start with afk_)"


class ApiCredential(models.Model):
    """One user's secret for one upstream service, stored as Fernet ciphertext only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_credentials"
    )
    service = models.CharField(max_length=32, choices=Service.choices)
    ciphertext = models.TextField()
    saved_at = models.DateTimeField()
    # Which of the service's APIs the secret is for: only Apiframe has two. Kept beside the key,
    # so it can be changed without typing the key again.
    api = models.CharField(max_length=8, choices=ApiframeApi.choices, default=ApiframeApi.V1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "service"], name="one_credential_per_service")
        ]

    def __str__(self) -> str:
        # Deliberately no value, masked or not: this string ends up in logs and the admin.
        return f"{self.get_service_display()} of user #{self.user_id}"
