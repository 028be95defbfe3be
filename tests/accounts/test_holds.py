"""A hold learned from a 596 (accounts/holds.py): shown until useapi.net's own list, read well
after the 596, shows the account without a message; never cached again by a page that loads
while a reset ends."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts import holds, overview
from accounts.models import HeldAccount
from mjadmin.vendors.useapi import client as useapi
from tests.accounts.test_account_actions import row, status_of
from tests.fakes.fake_vendors import CHANNEL_HELD, CHANNEL_MAIN, DEMO_USEAPI_TOKEN
from tests.html import all_of, one, text


@pytest.fixture
def client(alice_client, alice_keys, fake) -> Client:
    return alice_client


@pytest.fixture
def held_by_a_596(client, fake) -> None:
    """useapi.net answered 596 for the main account, which its own list shows in rotation."""
    fake.set_fault("596", path="/v2/jobs", times=1)
    assert status_of(client.get("/accounts/"), CHANNEL_MAIN) == "⚠ Held"


def later(monkeypatch, seconds: int) -> None:
    """From now on, it is `seconds` after the 596."""
    moved = timezone.now() + timedelta(seconds=seconds)
    monkeypatch.setattr(timezone, "now", lambda: moved)


def refreshed(client: Client, path: str = "/accounts/"):
    """The page after its Refresh button: asked of useapi.net afresh."""
    return client.post(path, follow=True)


def test_a_list_read_over_a_minute_after_the_596_without_a_message_ends_the_hold(
    client, held_by_a_596, monkeypatch
):
    later(monkeypatch, holds.LIST_LAG_SECONDS + 1)

    page = refreshed(client)

    assert status_of(page, CHANNEL_MAIN) == "✓ OK"
    assert all_of(row(page, CHANNEL_MAIN), "a.button") == []  # no Reset… offered


def test_a_list_read_within_a_minute_of_the_596_keeps_the_hold(client, held_by_a_596, monkeypatch):
    # useapi.net's list may not show the message yet: the 596 is the fresher word.
    later(monkeypatch, holds.LIST_LAG_SECONDS - 30)
    assert status_of(refreshed(client), CHANNEL_MAIN) == "⚠ Held"


def test_the_accounts_own_page_read_well_after_the_596_ends_the_hold_too(
    client, held_by_a_596, monkeypatch
):
    later(monkeypatch, holds.LIST_LAG_SECONDS + 1)

    page = refreshed(client, f"/accounts/{CHANNEL_MAIN}/")

    status = one(page, "section.card dl")
    assert "Held" not in text(status)
    # And the Accounts page, cached before, asks again.
    assert status_of(client.get("/accounts/"), CHANNEL_MAIN) == "✓ OK"


def test_watch_accounts_reading_the_account_well_after_the_596_ends_the_hold(
    client, held_by_a_596, monkeypatch
):
    later(monkeypatch, holds.LIST_LAG_SECONDS + 1)

    call_command("watch_accounts", stdout=StringIO(), stderr=StringIO())

    # What every teammate's next Accounts page applies: nothing left for that account.
    assert holds.held(DEMO_USEAPI_TOKEN) == {}


def test_a_page_loading_while_a_reset_ends_does_not_cache_the_account_held_again(
    client, held_by_a_596, monkeypatch
):
    real_forget = overview.forget

    def forget_then_a_page_loads(user_id: int, token: str, channel: str = "") -> None:
        real_forget(user_id, token, channel)
        # Another tab of the same teammate, loading at that very moment.
        overview.load_overview(user_id, token)

    monkeypatch.setattr(overview, "forget", forget_then_a_page_loads)

    client.post(f"/accounts/{CHANNEL_MAIN}/reset/")

    assert status_of(client.get("/accounts/"), CHANNEL_MAIN) == "✓ OK"


def test_a_hold_outlives_the_cache_being_emptied(client, held_by_a_596):
    # The cache is for answers; a hold is the team's knowledge and lives in the database.
    cache.clear()
    assert status_of(refreshed(client), CHANNEL_MAIN) == "⚠ Held"


def test_two_refusals_for_one_token_are_both_kept_in_the_database(fake, db):
    first = useapi.PendingModeration("held", channel=CHANNEL_MAIN, said=("one",))
    second = useapi.PendingModeration("held", channel=CHANNEL_HELD, said=("two",))
    holds.note(DEMO_USEAPI_TOKEN, first)
    holds.note(DEMO_USEAPI_TOKEN, second)
    kept = holds.held(DEMO_USEAPI_TOKEN)
    assert {channel: hold.message for channel, hold in kept.items()} == {
        CHANNEL_MAIN: "one",
        CHANNEL_HELD: "two",
    }
    # Kept in the database (a row each), by a keyed hash of the token, never the token.
    assert HeldAccount.objects.count() == 2
    assert DEMO_USEAPI_TOKEN not in str(list(HeldAccount.objects.values()))


def test_a_hold_runs_out_after_a_day(fake, db, monkeypatch):
    refusal = useapi.PendingModeration("held", channel=CHANNEL_MAIN, said=("held",))
    holds.note(DEMO_USEAPI_TOKEN, refusal)
    later(monkeypatch, holds.HOLD_SECONDS + 1)
    assert holds.held(DEMO_USEAPI_TOKEN) == {}
