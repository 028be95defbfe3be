import uuid

from django.conf import settings
from django.db import models

from tasks import statuses
from tasks.statuses import State
from tasks.task_data import Task, parse_task


class Lookup(models.Model):
    """One paste of task ids; its URL can be bookmarked and shared with teammates."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lookups"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    duplicates = models.JSONField(default=list)
    not_ids = models.JSONField(default=list)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"lookup {self.id} by user #{self.owner_id}"


class TaskResult(models.Model):
    """The latest known state of one id in one lookup, in the user's order."""

    lookup = models.ForeignKey(Lookup, on_delete=models.CASCADE, related_name="results")
    position = models.PositiveIntegerField()
    task_id = models.CharField(max_length=64)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    data = models.JSONField(null=True, blank=True)  # the task as Apiframe sent it
    error = models.TextField(blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["lookup", "position"], name="one_result_per_position")
        ]

    def __str__(self) -> str:
        return f"{self.task_id} ({self.state})"

    @property
    def is_terminal(self) -> bool:
        return self.state in statuses.TERMINAL

    @property
    def in_progress(self) -> bool:
        return self.state in statuses.IN_PROGRESS

    @property
    def not_found(self) -> bool:
        return self.state == statuses.NOT_FOUND

    @property
    def task(self) -> Task | None:
        # Parsed on read, so URL rules (https only) apply to stored data as they are now.
        return parse_task(self.data) if isinstance(self.data, dict) else None
