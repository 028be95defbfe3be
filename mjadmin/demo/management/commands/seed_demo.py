from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from mjadmin.demo.fake_vendors import DEMO_APIFRAME_KEY, DEMO_USEAPI_TOKEN
from mjadmin.keys import credentials
from mjadmin.keys.models import Service

DEMO_USERNAME = "demo"
# The demo database only; printed in the README on purpose.
DEMO_PASSWORD = "demo-password"  # noqa: S105


class Command(BaseCommand):
    help = "Create the demo user with the local fake's keys (for `make demo` only)."

    def handle(self, *args: Any, **options: Any) -> None:
        # A known password must never land in a real team's database.
        if not str(settings.DATABASES["default"]["NAME"]).endswith("demo.sqlite3"):
            raise CommandError("seed_demo only runs on the demo database (var/demo.sqlite3).")
        user, _ = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME, defaults={"is_staff": True, "is_superuser": True}
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        credentials.save_secret(user, Service.USEAPI, DEMO_USEAPI_TOKEN)
        credentials.save_secret(user, Service.APIFRAME, DEMO_APIFRAME_KEY)
        self.stdout.write(f"Demo user ready: {DEMO_USERNAME} / {DEMO_PASSWORD}")
