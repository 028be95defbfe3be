import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from tasks import storage
from tasks.models import Lookup
from tests.bench import volume_data as volume


class Command(BaseCommand):
    help = (
        "Fill the database with a year of a busy team's made-up lookups, to measure the pages "
        "at that size (README: Performance). Refuses a database that already holds lookups "
        "unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--lookups", type=int, default=100_000)
        parser.add_argument("--results", type=int, default=2_000_000)
        parser.add_argument("--users", type=int, default=10, help="teammates sharing them")
        parser.add_argument("--seed", type=int, default=1, help="the same seed, the same data")
        parser.add_argument(
            "--force", action="store_true", help="add to a database that already holds lookups"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plan = volume.Plan(
            lookups=options["lookups"],
            results=options["results"],
            users=options["users"],
            seed=options["seed"],
            biggest=settings.TASKS_MAX_IDS,
        )
        problem = volume.check(plan)
        if problem:
            raise CommandError(problem)
        # Made-up lookups mixed into a team's real history could not be told apart.
        held = Lookup.objects.count()
        if held and not options["force"]:
            raise CommandError(
                f"The database already holds {held:,} lookups: seed_volume only fills an empty "
                "one (add --force to add to them)."
            )
        database = connection.settings_dict["NAME"]
        self.stdout.write(
            f"Creating {plan.lookups:,} lookups holding {plan.results:,} task results, the "
            f"largest {min(plan.biggest, plan.results - plan.lookups + 1):,}, for {plan.users} "
            f"teammates (seed {plan.seed}) in {connection.vendor} database {database}"
        )
        started = time.monotonic()
        every = max(1, plan.lookups // 10)

        def progress(made: int, results: int) -> None:
            if made % every < volume.CHUNK or made == plan.lookups:
                self.stdout.write(f"  {made:,} lookups, {results:,} results")

        made = volume.seed(plan, timezone.now(), progress)
        # Any cached history page predates these lookups.
        storage.history_changed()
        self.stdout.write(
            f"Created {made.lookups:,} lookups, {made.results:,} task results and "
            f"{made.words:,} prompt words in {time.monotonic() - started:.0f} s."
        )
