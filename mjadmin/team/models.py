from django.db import models


class SetupToken(models.Model):
    """The one-time first-run link; only a digest is stored, the link is printed once."""

    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"first-run link created {self.created_at:%Y-%m-%d %H:%M}"
