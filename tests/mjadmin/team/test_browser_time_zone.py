"""Times in the zone the browser reports (the `tz` cookie static/js/time_zone.js writes) unless
the teammate chose one on /profile/; UTC when neither says; the exact UTC time on hover."""

from datetime import UTC, datetime

import pytest
from django.test import Client

from mjadmin.audit.log import record
from mjadmin.audit.models import Action, AuditEvent
from mjadmin.keys import credentials
from mjadmin.keys.models import ApiCredential
from tasks.models import Lookup
from tests.html import all_of, one, text, text_of
from tests.tasks.pages import look_up, new_ids

NOON_UTC = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


@pytest.fixture
def bob_key_saved_at_noon(bob) -> None:
    credentials.save_secret(bob, "apiframe", "af_someKeyOfTwentyChars01")
    ApiCredential.objects.update(saved_at=NOON_UTC)


def saved_at_shown(client: Client) -> str:
    return text(one(client.get("/settings/"), ".key-status time"))


def zone_in_use(client: Client) -> str:
    return text_of(client.get("/profile/"), "#zone-in-use")


def test_a_teammate_who_never_chose_a_zone_sees_the_browsers(bob_client, bob_key_saved_at_noon):
    bob_client.cookies["tz"] = "Asia/Tokyo"
    assert saved_at_shown(bob_client) == "2026-11-30 21:00 JST"
    assert zone_in_use(bob_client) == "Times are shown in Asia/Tokyo, from this browser."
    assert one(bob_client.get("/profile/"), "#id_time_zone option[selected]")["value"] == ""


def test_the_browsers_zone_is_read_on_every_request_not_kept(bob_client, bob_key_saved_at_noon):
    bob_client.cookies["tz"] = "Asia/Tokyo"
    assert saved_at_shown(bob_client) == "2026-11-30 21:00 JST"
    bob_client.cookies["tz"] = "America/New_York"  # the laptop flew on, same session
    assert saved_at_shown(bob_client) == "2026-11-30 07:00 EST"


def test_a_zone_chosen_on_the_profile_beats_the_browsers(bob, bob_client, bob_key_saved_at_noon):
    bob_client.cookies["tz"] = "Asia/Tokyo"
    bob_client.post("/profile/", {"email": "bob@example.com", "time_zone": "Europe/Paris"})
    assert saved_at_shown(bob_client) == "2026-11-30 13:00 CET"
    assert zone_in_use(bob_client) == "Times are shown in Europe/Paris, as chosen below."
    # Another browser of bob's reads the choice from the profile, whatever its own zone.
    other = Client()
    other.force_login(bob)
    other.cookies["tz"] = "America/New_York"
    assert saved_at_shown(other) == "2026-11-30 13:00 CET"


def test_choosing_automatic_again_follows_the_browser_at_once(bob_client, bob_key_saved_at_noon):
    bob_client.cookies["tz"] = "Asia/Tokyo"
    bob_client.post("/profile/", {"email": "bob@example.com", "time_zone": "Europe/Paris"})
    bob_client.post("/profile/", {"email": "bob@example.com", "time_zone": ""})
    assert saved_at_shown(bob_client) == "2026-11-30 21:00 JST"
    assert one(bob_client.get("/profile/"), "#id_time_zone option[selected]")["value"] == ""


def test_a_profile_made_for_other_reasons_follows_the_browser(
    alice_client, bob, bob_key_saved_at_noon
):
    # Deactivating a teammate stores a profile row for them without any zone being chosen.
    bob.is_active = False
    bob.save()
    bob.is_active = True
    bob.save()
    client = Client()
    client.force_login(bob)
    client.cookies["tz"] = "Asia/Tokyo"
    assert saved_at_shown(client) == "2026-11-30 21:00 JST"


# The last two are files of the tz database but no zone the profile offers or a browser names.
NOT_ZONES = ["", "Mars/Base", "x" * 500, "../../etc", "../../../../etc/passwd", "/etc/localtime"]
NOT_ZONES += ["posixrules", "right/Asia/Tokyo"]


@pytest.mark.parametrize("sent", NOT_ZONES)
def test_a_zone_the_server_does_not_know_means_utc(bob_client, bob_key_saved_at_noon, sent):
    bob_client.cookies["tz"] = sent
    assert saved_at_shown(bob_client) == "2026-11-30 12:00 UTC"
    assert zone_in_use(bob_client) == "Times are shown in UTC (your browser did not say)."


def test_without_the_cookie_times_are_in_utc(bob_client, bob_key_saved_at_noon):
    assert saved_at_shown(bob_client) == "2026-11-30 12:00 UTC"
    assert zone_in_use(bob_client) == "Times are shown in UTC (your browser did not say)."


def test_the_history_shows_the_utc_time_on_hover(alice_client, alice_keys, fake):
    look_up(alice_client, new_ids(fake, 1)[0])
    Lookup.objects.update(created_at=NOON_UTC)
    alice_client.cookies["tz"] = "Asia/Tokyo"
    (row,) = all_of(alice_client.get("/tasks/history/"), "table.history tbody tr")
    shown = one(row, "td[data-label=When] time")
    assert text(shown) == "2026-11-30 21:00 JST"
    assert shown["title"] == "2026-11-30 12:00:00 UTC"
    assert shown["datetime"] == "2026-11-30T21:00:00+09:00"


def test_the_audit_log_shows_the_utc_time_on_hover(alice_client):
    AuditEvent.objects.all().delete()
    event = record(Action.SIGN_IN_FAILED, subject="bob")
    AuditEvent.objects.filter(pk=event.pk).update(at=NOON_UTC)
    alice_client.cookies["tz"] = "Asia/Tokyo"
    (row,) = all_of(alice_client.get("/audit/"), "table.audit tbody tr")
    shown = one(row, "td[data-label=When] time")
    assert text(shown) == "2026-11-30 21:00:00"
    assert shown["title"] == "2026-11-30 12:00:00 UTC"


def test_a_session_from_before_automatic_zones_follows_the_browser(
    bob_client, bob_key_saved_at_noon
):
    # Sessions then kept "UTC" for every teammate who had not chosen a zone.
    session = bob_client.session
    session["time_zone"] = "UTC"
    session.save()
    bob_client.cookies["tz"] = "Asia/Tokyo"
    assert saved_at_shown(bob_client) == "2026-11-30 21:00 JST"
