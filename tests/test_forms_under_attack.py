"""Every form, attacked: forged posts are refused, hostile input is refused plainly (never a
500, never stored), and no redirect after sign-in leaves the site."""

from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from mjadmin.keys import credentials
from mjadmin.keys.models import ApiCredential
from mjadmin.team import first_run
from tasks.models import Lookup
from tests.conftest import PASSWORD
from tests.fakes.fake_vendors import DEMO_APIFRAME_V2_KEY
from tests.hostile import HOSTILE_INPUTS
from tests.html import notice, one, text_of

# Every view that changes something, with a body it would accept.
STATE_CHANGING = [
    ("/login/", {"username": "bob", "password": PASSWORD}),
    ("/logout/", {}),
    ("/password/", {"old_password": PASSWORD, "new_password1": "Xy-9", "new_password2": "Xy-9"}),
    ("/settings/", {"apiframe_key": "af_validLookingKey0001"}),
    ("/accounts/", {}),
    ("/accounts/add/", {"max_jobs": "3", "discord_token": "MTE.not-sent.when-forged-0001"}),
    ("/accounts/1191564823071821915/reset/", {}),
    ("/accounts/1191564823071821915/max-jobs/", {"max_jobs": "3", "discord_token": "MTEx.q9A"}),
    ("/accounts/1191564823071821915/delete/", {}),
    ("/accounts/vendor/midjourney_proxy/6f1c2b3a-9d8e-4f70-a1b2-c3d4e5f60718/disable/", {}),
    ("/tasks/", {"ids": "29e983ca-7e86-4017-a9e3-ef6fe9cd5f2a"}),
    ("/tasks/jobs/look-up/", {"id": "29e983ca-7e86-4017-a9e3-ef6fe9cd5f2a"}),
    ("/team/locks/", {"username": "bob", "ip": "127.0.0.1"}),
    (
        "/setup/{token}/",
        {"username": "eve", "password1": "a-Long-pass-99", "password2": "a-Long-pass-99"},
    ),
]


def test_the_hostile_list_is_long_enough():
    assert len(HOSTILE_INPUTS) >= 30


@pytest.mark.parametrize(("path", "data"), STATE_CHANGING, ids=[p for p, _ in STATE_CHANGING])
def test_a_forged_post_without_the_csrf_token_is_refused(alice, bob, path, data):
    token = first_run.issue_token()
    client = Client(enforce_csrf_checks=True)
    if path not in ("/login/", "/setup/{token}/"):
        client.force_login(alice)
    response = client.post(path.format(token=token), data)
    assert response.status_code == 403
    assert b"CSRF" in response.content
    assert not ApiCredential.objects.exists()
    assert not Lookup.objects.exists()
    assert get_user_model().objects.count() == 2


@pytest.mark.parametrize("typed", HOSTILE_INPUTS)
def test_hostile_api_keys_are_refused_and_never_stored(alice_client, typed):
    for field in ("useapi_token", "apiframe_key", "legnext_key", "midjourney_proxy_token"):
        response = alice_client.post("/settings/", {field: typed})
        # The form again with the error beside the field; white space alone counts as blank
        # ("keep the saved key"), which redirects with "Nothing changed".
        assert response.status_code == (302 if not typed.strip() else 200)
    assert not ApiCredential.objects.exists()


@pytest.mark.parametrize("typed", HOSTILE_INPUTS)
def test_hostile_text_without_task_ids_looks_up_nothing(alice_client, alice_keys, fake, typed):
    response = alice_client.post("/tasks/", {"ids": typed})
    assert response.status_code == 200
    assert not Lookup.objects.exists()
    assert fake.requests == []


@pytest.mark.parametrize("typed", HOSTILE_INPUTS)
def test_hostile_job_searches_and_look_ups_ask_apiframe_nothing(alice, alice_client, fake, typed):
    credentials.save_secret(alice, "apiframe", DEMO_APIFRAME_V2_KEY, api="v2")
    response = alice_client.get("/tasks/jobs/", {"job": typed, "status": typed})
    assert response.status_code == 200
    assert one(response, "input[name=job]")["value"] == typed
    response = alice_client.post("/tasks/jobs/look-up/", {"id": typed})
    assert response.status_code == 302
    assert not Lookup.objects.exists()
    assert fake.requests == []


@pytest.mark.parametrize("typed", HOSTILE_INPUTS)
def test_a_hostile_job_list_cursor_is_refused_plainly(alice, alice_client, fake, typed):
    credentials.save_secret(alice, "apiframe", DEMO_APIFRAME_V2_KEY, api="v2")
    response = alice_client.get("/tasks/jobs/", {"cursor": typed})
    assert response.status_code == 200
    assert text_of(notice(response), "h2") == "That page of jobs is gone"


@pytest.mark.parametrize("typed", HOSTILE_INPUTS)
def test_hostile_sign_ins_sign_nobody_in(bob, typed):
    for data in ({"username": typed, "password": PASSWORD}, {"username": "bob", "password": typed}):
        client = Client()
        response = client.post("/login/", data)
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("typed", HOSTILE_INPUTS)
def test_hostile_first_admins_are_not_created(db, typed):
    token = first_run.issue_token()
    good = "a-Long-enough-passphrase-42"
    response = Client().post(
        f"/setup/{token}/", {"username": typed, "password1": good, "password2": good}
    )
    assert response.status_code == 200
    assert not get_user_model().objects.exists()


@pytest.mark.parametrize("typed", HOSTILE_INPUTS)
def test_hostile_password_changes_change_nothing(bob_client, bob, typed):
    response = bob_client.post(
        "/password/", {"old_password": typed, "new_password1": typed, "new_password2": typed}
    )
    assert response.status_code == 200
    bob.refresh_from_db()
    assert bob.check_password(PASSWORD)


@pytest.mark.parametrize("typed", HOSTILE_INPUTS)
def test_hostile_unlocks_and_audit_filters_do_no_harm(alice_client, typed):
    assert alice_client.post("/team/locks/", {"username": typed, "ip": typed}).status_code == 302
    assert alice_client.get("/audit/", {"who": typed, "action": typed}).status_code == 200


# Django's own open-redirect cases (tests/auth_tests) and a few more: none may leave the site.
OFF_SITE = [
    "http://example.com",
    "https://example.com",
    "//example.com",
    "///example.com",
    "////example.com",
    "\\\\example.com",
    "\\/example.com",
    "/\\example.com",
    "\\\\\\example.com",
    "http:example.com",
    "https:example.com",
    "http:/example.com",
    "ftp://example.com",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    " //example.com",
    "\t//example.com",
    "\n//example.com",
    "/%2F/example.com",
    "http://testserver@example.com",
    "http://example.com\\@testserver",
    "https://testserver.example.com",
    "//testserver.example.com",
    "http://[::1]:80",
    "%2F%2Fexample.com",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_no_sign_in_redirect_leaves_the_site(bob, target):
    response = Client().post("/login/", {"username": "bob", "password": PASSWORD, "next": target})
    assert response.status_code == 302
    # Read the Location as a browser would: backslashes as slashes, leading blanks ignored.
    location = response["Location"].replace("\\", "/").lstrip(" \t\n\r")
    landed = urlsplit(urljoin("http://testserver/login/", location))
    assert (landed.scheme, landed.netloc) == ("http", "testserver")
