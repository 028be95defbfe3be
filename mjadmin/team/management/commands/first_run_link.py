from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mjadmin.team import first_run


class Command(BaseCommand):
    help = "Print a one-time link that creates the first admin, when no user exists yet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")

    def handle(self, *args: Any, base_url: str, **options: Any) -> None:
        if not first_run.needs_setup():
            return
        token = first_run.issue_token()
        link = f"{base_url.rstrip('/')}/setup/{token}/"
        bar = "=" * 72
        self.stdout.write(
            f"{bar}\nNo user exists yet. Open this link to create the first admin"
            f" (works once, for {int(first_run.LINK_LIFETIME.total_seconds() // 3600)} hours):\n\n"
            f"    {link}\n\n{bar}"
        )
