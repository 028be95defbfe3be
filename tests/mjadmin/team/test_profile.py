"""/profile/: a teammate's own email, time zone, password and recent sign-ins."""

from datetime import UTC, datetime

from django.test import Client

from mjadmin.audit.models import Action, AuditEvent
from mjadmin.keys import credentials
from tests.conftest import PASSWORD
from tests.html import all_of, messages, one, text, text_of


def test_the_profile_shows_who_you_are(bob_client):
    response = bob_client.get("/profile/")
    assert text_of(response, "#you-heading") == "bob"
    assert one(response, "#id_email")["value"] == "bob@example.com"
    # Automatic: the browser's zone, until bob chooses one.
    assert one(response, "#id_time_zone option[selected]")["value"] == ""
    assert one(response, "main a[href='/password/']")


def test_a_time_zone_chosen_there_shows_every_time_in_it(bob, bob_client):
    credentials.save_secret(bob, "apiframe", "af_someKeyOfTwentyChars01")
    saved_at = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    from mjadmin.keys.models import ApiCredential

    ApiCredential.objects.update(saved_at=saved_at)
    page = bob_client.post(
        "/profile/", {"email": "bob@example.com", "time_zone": "Asia/Tokyo"}, follow=True
    )
    assert "Your profile is saved." in messages(page)
    assert one(page, "#id_time_zone option[selected]")["value"] == "Asia/Tokyo"
    settings_page = bob_client.get("/settings/")
    assert "2026-11-30 21:00 JST" in text(one(settings_page, ".key-status"))
    # A new session (another browser) reads it from the profile too.
    other = Client()
    other.force_login(bob)
    assert "2026-11-30 21:00 JST" in text(one(other.get("/settings/"), ".key-status"))


def test_an_unknown_time_zone_or_address_is_refused(bob, bob_client):
    response = bob_client.post("/profile/", {"email": "not an address", "time_zone": "Mars/Base"})
    assert one(response, "#id_email_error")
    assert one(response, "#id_time_zone_error")
    bob.refresh_from_db()
    assert bob.email == "bob@example.com"


def test_your_own_sign_ins_are_listed_and_nobody_elses(alice, bob):
    for username, password in (("bob", "wrong"), ("bob", PASSWORD), ("alice", PASSWORD)):
        Client().post("/login/", {"username": username, "password": password})
    client = Client()
    client.force_login(bob)  # a third event of bob's: this sign-in
    rows = all_of(client.get("/profile/"), "table.sign-ins tbody tr")
    what = [text(one(r, "[data-label=What]")) for r in rows]
    assert what == ["signed in", "signed in", "sign-in failed"]


def test_a_password_change_is_in_the_audit_log(bob_client):
    new = "an-entirely-New-passphrase-4"
    response = bob_client.post(
        "/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    [event] = AuditEvent.objects.filter(action=Action.PASSWORD_CHANGED)
    assert (event.actor_name, event.subject) == ("bob", "bob")
    assert new not in str(list(AuditEvent.objects.values()))
