"""Prepares the app database for `make bench`'s pages: tables, the cache table, static files, two
teammates with the local fake's keys, and a history of saved lookups.

Run by tests/bench/pages.py in the app server's own environment; it refuses any database but a
SQLite file in a temporary folder, since it creates users with a known password.
"""

import argparse
import sys
import tempfile
import uuid
from datetime import timedelta
from pathlib import Path

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from mjadmin.keys import credentials  # noqa: E402
from tasks.models import Lookup, TaskResult  # noqa: E402
from tasks.statuses import FAILED, FINISHED, NOT_FOUND, PENDING, RUNNING  # noqa: E402
from tests.fakes.fake_vendors import DEMO_APIFRAME_KEY, DEMO_USEAPI_TOKEN  # noqa: E402

TEAMMATE = "ben"
# Lookup sizes in turn: from a single id pasted from a log to a spreadsheet column of 100.
SIZES = (1, 5, 20, 50, 100)
# Most tasks of a saved lookup are over; a few are still going, failed, or unknown.
STATES = (FINISHED,) * 14 + (RUNNING, PENDING, FAILED, NOT_FOUND)


def _task(task_id: str, state: str) -> dict[str, object] | None:
    if state == NOT_FOUND:
        return None
    base = f"https://cdn.apiframe-fake.example/images/{task_id}"
    task: dict[str, object] = {"task_id": task_id, "task_type": "imagine", "status": state}
    if state == FINISHED:
        task |= {
            "percentage": 100,
            "original_image_url": f"{base}/grid.png",
            "image_urls": [f"{base}/{n}.png" for n in range(1, 5)],
        }
    elif state == FAILED:
        task["message"] = "Banned prompt detected."
    return task


def _seed_history(owners: list[User], count: int) -> None:
    now = timezone.now()
    position_in_states = 0
    with transaction.atomic():
        for number in range(count):
            lookup = Lookup.objects.create(owner=owners[number % len(owners)])
            # created_at is set on creation; spread the history over the past weeks.
            Lookup.objects.filter(pk=lookup.pk).update(created_at=now - timedelta(hours=number * 7))
            results = []
            for position in range(SIZES[number % len(SIZES)]):
                state = STATES[position_in_states % len(STATES)]
                position_in_states += 1
                task_id = str(uuid.uuid4())
                results.append(
                    TaskResult(
                        lookup=lookup,
                        position=position,
                        task_id=task_id,
                        state=state,
                        data=_task(task_id, state),
                        fetched_at=now,
                    )
                )
            TaskResult.objects.bulk_create(results)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.seed")
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--lookups", type=int, required=True)
    args = parser.parse_args()

    database = Path(str(settings.DATABASES["default"]["NAME"])).resolve()
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3" or not (
        database.is_relative_to(Path(tempfile.gettempdir()).resolve())
    ):
        print(f"bench_seed only prepares a SQLite file in a temporary folder, not {database}")
        return 1
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    users = get_user_model().objects
    signed_in = users.create_user(args.username, password=args.password)
    # Never signs in; set_unusable_password skips the deliberately slow hashing.
    teammate = users.create_user(TEAMMATE, password=None)
    for user in (signed_in, teammate):
        credentials.save_secret(user, "useapi", DEMO_USEAPI_TOKEN)
        credentials.save_secret(user, "apiframe", DEMO_APIFRAME_KEY)
    _seed_history([signed_in, teammate], args.lookups)
    print(f"seeded {args.lookups} lookups, {TaskResult.objects.count()} task results")
    return 0


if __name__ == "__main__":
    sys.exit(main())
