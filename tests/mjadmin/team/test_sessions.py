"""How long a sign-in lasts, and that nothing brings an ended one back."""

import time

from django.contrib.sessions.models import Session
from django.test import Client

from mjadmin.team.sessions import RENEW_EVERY_SECONDS
from tests.conftest import PASSWORD


def signed_in(username: str) -> Client:
    client = Client()
    response = client.post("/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def is_signed_in(client: Client) -> bool:
    return client.get("/tasks/").status_code == 200


def test_sign_in_gives_a_new_session_key(bob):
    client = Client()
    client.get("/login/")
    before = client.cookies["sessionid"].value
    client.post("/login/", {"username": "bob", "password": PASSWORD})
    assert client.cookies["sessionid"].value != before


def test_the_session_cookie_lasts_the_idle_timeout_and_is_renewed_on_use(bob, settings):
    assert settings.SESSION_IDLE_MINUTES == 12 * 60
    client = signed_in("bob")
    assert client.cookies["sessionid"]["max-age"] == 12 * 3600
    client.get("/tasks/")  # whatever a first page keeps in the session, kept
    session = client.session
    session["renewed_at"] = int(time.time()) - RENEW_EVERY_SECONDS
    session.save()
    expires = Session.objects.get().expire_date
    response = client.get("/tasks/")
    assert response.cookies["sessionid"]["max-age"] == 12 * 3600
    assert Session.objects.get().expire_date > expires


def test_pages_within_a_minute_of_each_other_write_no_session(bob):
    client = signed_in("bob")
    client.get("/tasks/")
    expires = Session.objects.get().expire_date
    response = client.get("/tasks/")
    assert "sessionid" not in response.cookies
    assert Session.objects.get().expire_date == expires


def test_no_long_lived_csrf_cookie_is_set(bob):
    client = signed_in("bob")
    client.get("/settings/")
    assert "csrftoken" not in client.cookies


def test_a_session_ends_after_the_absolute_lifetime_however_active(bob, settings):
    assert settings.SESSION_MAX_HOURS == 7 * 24
    client = signed_in("bob")
    session = client.session
    session["signed_in_at"] = int(time.time()) - 7 * 24 * 3600 - 60
    session.save()
    response = client.get("/tasks/")
    assert (response.status_code, response["Location"]) == (302, "/login/?next=/tasks/")
    assert not is_signed_in(client)


def test_a_session_within_its_lifetime_carries_on(bob):
    client = signed_in("bob")
    session = client.session
    session["signed_in_at"] = int(time.time()) - 6 * 24 * 3600
    session.save()
    assert is_signed_in(client)


def test_logout_ends_the_session(bob):
    client = signed_in("bob")
    cookie = client.cookies["sessionid"].value
    client.post("/logout/")
    replay = Client()
    replay.cookies["sessionid"] = cookie
    assert not is_signed_in(replay)


def test_a_password_change_ends_the_other_sessions(bob):
    phone, laptop = signed_in("bob"), signed_in("bob")
    new = "a-Different-passphrase-77"
    changed = laptop.post(
        "/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert changed.status_code == 302
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)


def test_deactivating_ends_sessions_and_reactivating_does_not_revive_them(bob):
    client = signed_in("bob")
    cookie = client.cookies["sessionid"].value
    bob.is_active = False
    bob.save()
    assert not is_signed_in(client)
    bob.is_active = True
    bob.save()
    replay = Client()
    replay.cookies["sessionid"] = cookie
    assert not is_signed_in(replay)
    assert is_signed_in(signed_in("bob"))
