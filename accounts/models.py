from django.db import models


class AccountState(models.TextChoices):
    OK = "ok", "in rotation"
    HELD = "held", "held by a moderation message"
    REMOVED = "removed", "removed"


class WatchedAccount(models.Model):
    """What `watch_accounts` last saw of one Midjourney account on one useapi.net token, and
    what each way of alerting has been told about it, so every change is told once per way even
    when that way failed for a while (accounts/watching.py)."""

    # The token, never kept itself: a keyed hash of it (watching.token_digest). Per token, not
    # per teammate: teammates who saved the same token see the same accounts, and one change
    # is one alert to all of them.
    token_digest = models.CharField(max_length=64)
    # The vendor's map key, whatever it sends: a longer one is kept by a digest of it
    # (accounts/watching.py), since indexes refuse keys of a few KB.
    channel = models.CharField(max_length=200)
    state = models.CharField(max_length=8, choices=AccountState.choices)
    # The moderation message while held (masked and capped, see accounts/watching.py).
    message = models.TextField(blank=True)
    changed_at = models.DateTimeField()
    # The state each way last told about; a way differs from `state` while a change is owed.
    emailed = models.CharField(max_length=8, choices=AccountState.choices)
    posted = models.CharField(max_length=8, choices=AccountState.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["token_digest", "channel"], name="one_watch_per_token_and_channel"
            )
        ]

    def __str__(self) -> str:
        return f"channel {self.channel[:40]} of token {self.token_digest[:8]}…: {self.state}"


class HeldAccount(models.Model):
    """An account useapi.net refused with 596 (held by a moderation message), per token, until
    the hold is over (accounts/holds.py). In the database, not the cache: a read-modify-write of
    a cached map could lose a hold, and eviction would forget one."""

    # The token, never kept itself: a keyed hash of it (holds.token_digest).
    token_digest = models.CharField(max_length=64)
    channel = models.CharField(max_length=200)
    message = models.TextField()
    refused_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["token_digest", "channel"], name="one_hold_per_token_and_channel"
            )
        ]

    def __str__(self) -> str:
        return f"channel {self.channel[:40]} of token {self.token_digest[:8]}… held"
