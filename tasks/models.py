import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property

from mjadmin.vendors import registry
from mjadmin.vendors.records import Task
from tasks import statuses
from tasks.statuses import State

NAME_MAX = 120
WORD_MAX = 40


class Lookup(models.Model):
    """One paste of task ids; its URL can be bookmarked and shared with teammates."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lookups"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    name = models.CharField(max_length=NAME_MAX, blank=True)
    duplicates = models.JSONField(default=list)
    not_ids = models.JSONField(default=list)
    # Kept with the lookup (tasks/lookups.py recounts after every change), so the history lists
    # a page of lookups without counting a year of results.
    total = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict)  # state -> how many results are in it
    # While set and in the future, the rest of a big lookup is being fetched (tasks/filling.py)
    # and its page leaves the unfetched results to that.
    filling_until = models.DateTimeField(null=True, blank=True)
    # The vendor API its ids were asked of (TaskApi.choice, "apiframe-v2"): a task id means
    # nothing to another vendor or API (a v1 id is a 404 to v2), so a viewer whose key is for
    # another does not ask (tasks/views.py), and its stored answers are read by its vendor.
    api = models.CharField(max_length=32, default="apiframe-v1")

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["-created_at"], name="lookup_newest_first"),
            models.Index(fields=["owner", "-created_at"], name="lookup_by_owner_newest_first"),
            # The history's search by name reads only the named lookups (most have no name),
            # from this index alone.
            models.Index(fields=["name", "id"], condition=~Q(name=""), name="lookup_named"),
        ]

    def __str__(self) -> str:
        return f"lookup {self.id} by user #{self.owner_id}"

    @property
    def is_filling(self) -> bool:
        return self.filling_until is not None and self.filling_until > timezone.now()

    @property
    def state_counts(self) -> dict[str, int]:
        """Every state with its count, zero included (for the history's columns)."""
        stored = self.counts if isinstance(self.counts, dict) else {}
        return {state: int(stored.get(state, 0)) for state in State.values}


class TaskResult(models.Model):
    """The latest known state of one id in one lookup, in the user's order."""

    lookup = models.ForeignKey(Lookup, on_delete=models.CASCADE, related_name="results")
    position = models.PositiveIntegerField()
    task_id = models.CharField(max_length=64)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    data = models.JSONField(null=True, blank=True)  # the task as its vendor sent it (masked)
    # What pages read: the vendor's JSON parsed once, when it arrived, by its vendor's room
    # (Task.stored). Null for a row stored before it was kept; that row is parsed on read.
    shown = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["lookup", "position"], name="one_result_per_position")
        ]
        # "Which lookups hold this task?" from the history's search.
        indexes = [models.Index(fields=["task_id"], name="result_by_task_id")]

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

    @cached_property
    def task(self) -> Task | None:
        if not isinstance(self.data, dict):
            return None
        if isinstance(self.shown, dict):
            return Task.from_stored(self.shown, self.data)
        # Stored before the record was kept: read by the lookup's vendor (the lookup is the one
        # already read when the results came through it).
        return registry.parse_stored(self.lookup.api, self.data)


class PromptWord(models.Model):
    """A word of a prompt in a lookup, so the history finds lookups by prompt words through an
    index on every database (a substring scan of every stored prompt would not scale)."""

    lookup = models.ForeignKey(Lookup, on_delete=models.CASCADE, related_name="+")
    word = models.CharField(max_length=WORD_MAX)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["word", "lookup"], name="one_word_per_lookup")
        ]

    def __str__(self) -> str:
        return self.word


class ResultsView(models.TextChoices):
    GALLERY = "gallery", "Gallery"
    TABLE = "table", "Table"


class ViewerChoice(models.Model):
    """How a teammate last chose to see results (gallery or table), kept for their next visit."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    results_view = models.CharField(
        max_length=16, choices=ResultsView.choices, default=ResultsView.GALLERY
    )

    def __str__(self) -> str:
        return f"user #{self.user_id} sees results as {self.results_view}"
