"""The team's forms, attacked: forged posts refused, hostile input refused plainly (never a 500,
never stored), and the one-time links' secrets never echoed."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from mjadmin.team import invitations
from mjadmin.team.models import Invitation, Profile
from tests.hostile import HOSTILE_INPUTS
from tests.mjadmin.team.helpers import NEW_PASSWORD


def test_forged_posts_without_the_csrf_token_change_nothing(alice, bob):
    _, token = invitations.invite("erin", "", by=alice)
    admin = Client(enforce_csrf_checks=True)
    admin.force_login(alice)
    member = Client(enforce_csrf_checks=True)
    member.force_login(bob)
    forged = [
        (admin, "/team/invite/", {"username": "mallory"}),
        (admin, f"/team/members/{bob.pk}/make-admin/", {}),
        (admin, f"/team/members/{bob.pk}/deactivate/", {}),
        (admin, f"/team/invitations/{Invitation.objects.get().pk}/revoke/", {}),
        (member, "/profile/", {"email": "x@example.com", "time_zone": "Asia/Tokyo"}),
        (Client(enforce_csrf_checks=True), f"/join/{token}/", {"password1": NEW_PASSWORD}),
    ]
    for client, path, data in forged:
        response = client.post(path, data)
        assert response.status_code == 403, path
        assert b"CSRF" in response.content
    bob.refresh_from_db()
    assert bob.is_active and not bob.is_superuser and bob.email == "bob@example.com"
    assert list(Invitation.objects.values_list("username", "revoked_at")) == [("erin", None)]
    assert get_user_model().objects.count() == 2
    assert not Profile.objects.exists()


@pytest.mark.parametrize("typed", HOSTILE_INPUTS)
def test_hostile_invitations_are_refused(alice_client, typed):
    attempts = [{"username": typed}]
    if typed.strip():  # white space alone is a blank address, which is allowed
        attempts.append({"username": "erin", "email": typed})
    for data in attempts:
        response = alice_client.post("/team/invite/", data)
        assert response.status_code == 200
        assert response.templates[0].name == "team/invite.html"
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("typed", HOSTILE_INPUTS)
def test_hostile_passwords_on_a_join_link_never_crash_or_echo(alice, typed):
    _, token = invitations.invite("erin", "", by=alice)
    response = Client().post(f"/join/{token}/", {"password1": typed, "password2": typed})
    # Most are refused by the password rules; the few strong enough make a teammate.
    assert response.status_code in (200, 302)
    if response.status_code == 200 and len(typed.strip()) > 3:
        assert typed not in response.content.decode()
    joined = get_user_model().objects.filter(username="erin").first()
    assert (joined is not None) == (response.status_code == 302)


@pytest.mark.parametrize("typed", HOSTILE_INPUTS)
def test_hostile_tokens_in_links_are_not_found(db, typed):
    link = f"/join/{typed.replace('/', '_')[:300]}/"
    assert Client().get(link, follow=True).status_code == 404


@pytest.mark.parametrize("typed", HOSTILE_INPUTS)
def test_hostile_profiles_are_refused(bob, bob_client, typed):
    attempts = [{"email": "bob@example.com", "time_zone": typed}]
    if typed.strip():  # white space alone is a blank address, which is allowed
        attempts.append({"email": typed, "time_zone": "UTC"})
    for data in attempts:
        assert bob_client.post("/profile/", data).status_code == 200
    bob.refresh_from_db()
    assert bob.email == "bob@example.com"
    assert not Profile.objects.exists()


@pytest.mark.parametrize("typed", HOSTILE_INPUTS)
def test_hostile_passwords_on_a_reset_link_never_crash(bob, typed):
    client = Client()
    uid = urlsafe_base64_encode(force_bytes(bob.pk))
    form = client.get(f"/reset/{uid}/{default_token_generator.make_token(bob)}/", follow=True)
    response = client.post(
        form.redirect_chain[-1][0], {"new_password1": typed, "new_password2": typed}
    )
    assert response.status_code in (200, 302)
    bob.refresh_from_db()
    assert bob.check_password(typed) == (response.status_code == 302)
