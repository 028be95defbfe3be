from collections.abc import Iterable

from django.apps import AppConfig
from django.db.models import Count


def lookups_by_owner(user_ids: Iterable[int]) -> dict[int, int]:
    from tasks.models import Lookup

    rows = (
        Lookup.objects.filter(owner_id__in=list(user_ids))
        .values("owner_id")
        .annotate(n=Count("id"))
        .values_list("owner_id", "n")
    )
    return dict(rows)


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = "Task lookups"

    def ready(self) -> None:
        from mjadmin.team import roster

        # The team page shows how many lookups each teammate has run.
        roster.register_count("Lookups", lookups_by_owner)
