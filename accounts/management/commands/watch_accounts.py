import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from accounts import alerts, holds, watching
from accounts.watching import Watched, Way
from mjadmin import upstream
from mjadmin.keys import credentials
from mjadmin.vendors.useapi import client as useapi
from mjadmin.vendors.useapi.client import MidjourneyAccount
from mjadmin.vendors.useapi.vendor import SLUG as USEAPI

SENDERS: dict[Way, Callable[[Watched, list[watching.Change]], str]] = {
    Way.EMAIL: alerts.email,
    Way.WEBHOOK: alerts.post,
}


def configured(way: Way) -> bool:
    if way is Way.EMAIL:
        return bool(settings.EMAIL_CONFIGURED)
    return bool(settings.ALERT_WEBHOOK_URL)


@sensitive_variables("token")
def read_accounts(token: str) -> list[MidjourneyAccount]:
    try:
        return useapi.get_accounts(token)
    except useapi.NoConfiguration as exc:
        if exc.details:
            # useapi.net's own words: its documented answer for a token with no account
            # configured (any more).
            return []
        # A 404 with none (a proxy's page, a wrong USEAPI_BASE_URL) says nothing of the
        # accounts: taken as "none", it would report every account removed.
        raise upstream.UpstreamUnavailable(
            f"{useapi.SERVICE} answered 404 without its own error at "
            f"{settings.USEAPI_BASE_URL}: check USEAPI_BASE_URL, or try again later.",
            status=404,
        ) from None


class Command(BaseCommand):
    help = (
        "Read the Midjourney accounts of each useapi.net token the active teammates saved (each "
        "token once) and alert (email with EMAIL_URL, webhook with ALERT_WEBHOOK_URL) when one "
        "becomes held, recovers or is removed; each change once. Prints changes and problems "
        "only (more with -v 2); exits 1 when a read or an alert failed. Run it every few "
        "minutes."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.verbosity = int(options["verbosity"])
        self.problems = 0
        # Each call's "-> 200 in 5 ms" would make cron mail every run; failures still show.
        upstream_logger = logging.getLogger(upstream.__name__)
        level = upstream_logger.level
        if self.verbosity < 2:
            upstream_logger.setLevel(logging.WARNING)
        try:
            self._watch_everyone()
        finally:
            upstream_logger.setLevel(level)
        if self.problems:
            raise CommandError(
                f"{self.problems} problem(s) above. What failed changed nothing: the next run "
                "tries it again.",
                returncode=1,
            )

    def _watch_everyone(self) -> None:
        tokens, all_known = self._tokens()
        if all_known:
            # Only then: a token that could not be decrypted keeps what was kept of it.
            forgotten = watching.forget_unwatched(watched.digest for watched in tokens)
            if forgotten and self.verbosity >= 2:
                self.stdout.write(f"Forgot {forgotten} account(s) of tokens nobody holds now.")
        changed = False
        for watched in tokens:
            changed |= self._read(watched)
            self._tell(watched)
            watching.forget_told_removals(watched.digest)
        if changed and not any(configured(way) for way in Way):
            self.stdout.write(
                "Nobody was alerted: set EMAIL_URL or ALERT_WEBHOOK_URL (see .env.example)."
            )

    @sensitive_variables("token", "found")
    def _tokens(self) -> tuple[list[Watched], bool]:
        """Each token the active teammates saved, once, with who saved it (in order of their
        first holder's id); and whether every saved token could be decrypted."""
        users = User.objects.filter(is_active=True, api_credentials__service=USEAPI).order_by("pk")
        found: dict[str, list[User]] = {}
        all_known = True
        for user in users:
            try:
                token = credentials.get_secret(user, USEAPI)
            except credentials.CredentialProblem as exc:
                self.problems += 1
                self.stderr.write(f"{user}: accounts not read: {exc.message}")
                all_known = False
                continue
            found.setdefault(token, []).append(user)
        return [Watched(token, tuple(holders)) for token, holders in found.items()], all_known

    @sensitive_variables("token")
    def _read(self, watched: Watched) -> bool:
        """Read and record the token's accounts; whether anything changed."""
        token = watched.token
        started = timezone.now()
        try:
            accounts = read_accounts(token)
        except upstream.UpstreamError as exc:
            # The last known state stands; the messages never hold the token.
            self.problems += 1
            self.stderr.write(f"{watched.whose}: accounts not read: {exc.message}")
            return False
        # A hold the Accounts pages learned from a 596 ends here too when this read shows it
        # over, so the pages never call held what this run calls recovered (accounts/holds.py).
        holds.cleared(token, accounts, started)
        # A 596 a page met (useapi.net refusing a call for that account) is a hold as much as a
        # message in the list: the pages show it held, so the team hears of it.
        accounts = holds.applied(accounts, holds.held(token))
        changes = watching.record(watched.digest, accounts, token)
        for change in changes:
            self.stdout.write(f"{watched.whose}: {change.line()}")
        if self.verbosity >= 2:
            held = sum(1 for account in accounts if account.held)
            self.stdout.write(f"{watched.whose}: {len(accounts)} account(s) read, {held} held")
        return bool(changes)

    def _tell(self, watched: Watched) -> None:
        """Send each way what it is owed of the token's accounts, from this run or earlier
        ones: one alert per change, to everyone who holds the token and the admins."""
        for way in Way:
            rows, changes = watching.owed(watched.digest, way)
            if not rows:
                continue
            if not configured(way) or not changes:
                # Nothing to send that way: it is up to date, and a way configured later
                # starts from now instead of from every change in the past.
                watching.mark_told(rows, way)
                continue
            try:
                said = SENDERS[way](watched, changes)
            except alerts.NotSent as exc:
                self.problems += 1
                self.stderr.write(
                    f"{watched.whose}: {len(changes)} change(s) not {way.value}: {exc} "
                    "Tried again on the next run."
                )
                continue
            watching.mark_told(rows, way)
            self.stdout.write(f"{watched.whose}: {said} ({len(changes)} change(s))")
