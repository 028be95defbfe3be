"""`make demo`'s teammates, with the local fake's keys: `python -m tests.tool seed_demo` on the demo
database only (dev tooling, never part of the product)."""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from mjadmin.keys import credentials
from tests.fakes.fake_legnext import DEMO_LEGNEXT_KEY
from tests.fakes.fake_midjourney_proxy import ADMIN_MJ_PROXY_TOKEN, DEMO_MJ_PROXY_TOKEN
from tests.fakes.fake_vendors import DEMO_APIFRAME_KEY, DEMO_APIFRAME_V2_KEY, DEMO_USEAPI_TOKEN

DEMO_USERNAME = "demo"
# A second teammate, whose Apiframe key is for the v2 API: the demo's sample looks the same.
DEMO_V2_USERNAME = "demo-v2"
# Teammates whose lookups go to the other vendors; each sees the same gallery of the demo's sample.
DEMO_LEGNEXT_USERNAME = "demo-legnext"
DEMO_PROXY_USERNAME = "demo-proxy"
# The demo database only; printed in the README on purpose.
DEMO_PASSWORD = "demo-password"


class Command(BaseCommand):
    help = (
        "Create the demo user, and teammates whose lookups use Apiframe's v2 API and the other "
        "vendors, with the local fake's keys (for `make demo` only)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # A known password must never land in a real team's database.
        if not str(settings.DATABASES["default"]["NAME"]).endswith("demo.sqlite3"):
            raise CommandError("seed_demo only runs on the demo database (var/demo.sqlite3).")
        user, _ = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME, defaults={"is_staff": True, "is_superuser": True}
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        credentials.save_secret(user, "useapi", DEMO_USEAPI_TOKEN)
        credentials.save_secret(user, "apiframe", DEMO_APIFRAME_KEY, api="v1")
        # The proxy's admin token: the Accounts page lists the proxy's Discord accounts. The
        # Apiframe key, saved first, still serves this user's lookups.
        credentials.save_secret(user, "midjourney_proxy", ADMIN_MJ_PROXY_TOKEN)
        teammate, _ = get_user_model().objects.get_or_create(username=DEMO_V2_USERNAME)
        teammate.set_password(DEMO_PASSWORD)
        teammate.save()
        credentials.save_secret(teammate, "useapi", DEMO_USEAPI_TOKEN)
        credentials.save_secret(teammate, "apiframe", DEMO_APIFRAME_V2_KEY, api="v2")
        self.stdout.write(f"Demo user ready: {DEMO_USERNAME} / {DEMO_PASSWORD}")
        self.stdout.write(f"Teammate with an Apiframe v2 key: {DEMO_V2_USERNAME} / {DEMO_PASSWORD}")
        self._teammate(DEMO_LEGNEXT_USERNAME, "legnext", DEMO_LEGNEXT_KEY, "a Legnext key")
        self._teammate(
            DEMO_PROXY_USERNAME, "midjourney_proxy", DEMO_MJ_PROXY_TOKEN, "a midjourney-proxy token"
        )

    def _teammate(self, username: str, vendor: str, key: str, said: str) -> None:
        teammate, _ = get_user_model().objects.get_or_create(username=username)
        teammate.set_password(DEMO_PASSWORD)
        teammate.save()
        credentials.save_secret(teammate, "useapi", DEMO_USEAPI_TOKEN)
        credentials.save_secret(teammate, vendor, key)
        self.stdout.write(f"Teammate with {said}: {username} / {DEMO_PASSWORD}")
