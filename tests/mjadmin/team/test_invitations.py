"""An admin invites a teammate with a one-time link; the teammate chooses a password and joins."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone

from mjadmin.audit.models import Action, AuditEvent
from mjadmin.team import invitations
from mjadmin.team.models import Invitation
from tests.html import all_of, messages, one, text, text_of
from tests.mjadmin.team.helpers import NEW_PASSWORD, can_sign_in, invite, join


def test_the_invitee_joins_through_the_link_as_a_member_and_lands_in_settings(alice_client):
    link = invite(alice_client, "erin")
    client, response = join(link)
    assert response.status_code == 302
    assert response["Location"] == "/settings/"
    settings_page = client.get("/settings/")
    assert "Welcome to the team, erin" in messages(settings_page)[0]
    assert text_of(settings_page, ".nav-user a") == "erin"
    erin = get_user_model().objects.get(username="erin")
    assert not erin.is_superuser and not erin.is_staff and erin.is_active
    assert can_sign_in("erin", NEW_PASSWORD)


def test_the_join_page_names_the_username_and_who_invited(alice_client):
    link = invite(alice_client, "erin")
    shown = text(one(Client().get(link, follow=True), "main"))
    assert "Your username is erin" in shown
    assert "invited by alice" in shown


def test_a_link_used_once_says_so_the_second_time(alice_client):
    link = invite(alice_client, "erin")
    join(link)
    _, again = join(link, "another-Passphrase-99")
    assert again.status_code == 410
    assert "already been used" in text_of(again, ".notice-text")
    assert can_sign_in("erin", NEW_PASSWORD)


def test_an_expired_link_says_so_and_creates_nobody(alice_client):
    link = invite(alice_client, "erin")
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    for response in (Client().get(link, follow=True), join(link)[1]):
        assert response.status_code == 410
        assert "has expired" in text_of(response, ".notice-text")
    assert not get_user_model().objects.filter(username="erin").exists()


def test_a_link_lasts_team_invite_hours(alice_client, settings):
    settings.TEAM_INVITE_HOURS = 5
    invite(alice_client, "erin")
    lifetime = Invitation.objects.get().expires_at - timezone.now()
    assert timedelta(hours=4, minutes=59) < lifetime <= timedelta(hours=5)


def test_a_revoked_link_says_so_and_creates_nobody(alice_client):
    link = invite(alice_client, "erin")
    invitation = Invitation.objects.get()
    confirm = alice_client.get(f"/team/invitations/{invitation.pk}/revoke/")
    assert text_of(confirm, "h1") == "Revoke the invitation for erin?"
    assert Client().get(link, follow=True).status_code == 200, (
        "asking for confirmation revokes nothing"
    )
    alice_client.post(f"/team/invitations/{invitation.pk}/revoke/")
    response = join(link)[1]
    assert response.status_code == 410
    assert "revoked by an admin" in text_of(response, ".notice-text")
    assert not get_user_model().objects.filter(username="erin").exists()
    assert AuditEvent.objects.filter(action=Action.INVITATION_REVOKED, subject="erin").exists()


def test_an_unknown_link_is_not_found(db):
    response = Client().get("/join/made-up-token/", follow=True)
    assert response.status_code == 404
    assert "not a valid invitation" in text_of(response, ".notice-text")


def test_a_weak_password_is_refused_and_the_link_still_works(alice_client):
    link = invite(alice_client, "erin")
    _, response = join(link, "erin")
    assert response.status_code == 200
    assert all_of(response, "#id_password2_error")
    assert not get_user_model().objects.filter(username="erin").exists()
    assert join(link)[1].status_code == 302


def test_a_signed_in_browser_is_asked_to_sign_out_first(alice_client):
    link = invite(alice_client, "erin")
    response = alice_client.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 409
    assert "This invitation is for erin" in text(one(response, "main"))
    assert not get_user_model().objects.filter(username="erin").exists()


def test_an_existing_teammate_or_a_waiting_invitation_cannot_be_invited_again(alice_client, bob):
    for username, reason in (("BOB", "already a teammate"), ("erin", "already has an invitation")):
        if username == "erin":
            invite(alice_client, "erin")
        response = alice_client.post("/team/invite/", {"username": username})
        assert reason in text_of(response, "#id_username_error")
    assert Invitation.objects.count() == 1


def test_a_username_taken_after_the_invitation_is_said_plainly(alice_client):
    link = invite(alice_client, "erin")
    get_user_model().objects.create_user("erin", password="x")
    response = join(link)[1]
    assert response.status_code == 409
    assert "was taken after this invitation was made" in text_of(response, ".notice-text")


def test_with_an_address_the_link_is_emailed_too(alice_client):
    link = invite(alice_client, "erin", "erin@example.com")
    [sent] = mail.outbox
    assert sent.to == ["erin@example.com"]
    assert link in sent.body
    assert "alice invited you" in sent.body


def test_without_an_address_nothing_is_emailed(alice_client):
    invite(alice_client, "erin")
    assert mail.outbox == []


def test_a_mail_server_that_refuses_loses_nothing(alice_client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there
    response = alice_client.post("/team/invite/", {"username": "erin", "email": "e@example.com"})
    assert response.status_code == 200
    assert "could not be sent" in text_of(response, "main [role=status]")
    assert one(response, "#one-time-link")["value"].startswith("http://testserver/join/")


def test_the_token_is_never_stored_or_logged(alice_client, caplog):
    link = invite(alice_client, "erin")
    join(link)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in str(list(Invitation.objects.values()))
    assert token not in str(list(AuditEvent.objects.values()))
    assert token not in caplog.text


def test_inviting_and_joining_are_in_the_audit_log(alice_client):
    join(invite(alice_client, "erin"))
    events = {(e.action, e.actor_name, e.subject) for e in AuditEvent.objects.all()}
    assert (Action.INVITED, "alice", "erin") in events
    assert (Action.JOINED, "", "erin") in events


def test_two_browsers_submitting_the_same_link_at_once_make_one_teammate(alice_client):
    invite(alice_client, "erin")
    # Both requests found the invitation waiting before either had used it.
    seen_by_first, seen_by_second = Invitation.objects.get(), Invitation.objects.get()
    invitations.accept(seen_by_first, NEW_PASSWORD)
    with pytest.raises(invitations.NotPending):
        invitations.accept(seen_by_second, "the-second-Browser-pass-1")
    assert can_sign_in("erin", NEW_PASSWORD)


def test_the_link_leaves_the_address_bar_at_once(alice_client):
    link = invite(alice_client, "erin")
    client = Client()
    opened = client.get(link)
    assert opened.status_code == 302
    assert opened["Location"] == "/join/"
    assert "Your username is erin" in text(one(client.get("/join/"), "main"))
    response = client.post("/join/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response["Location"] == "/settings/"


def test_a_username_in_lookalike_letters_is_the_same_username(alice_client, bob):
    response = alice_client.post("/team/invite/", {"username": "\uff42\uff4f\uff42"})  # full-width
    assert "bob is already a teammate" in text_of(response, "#id_username_error")
    assert not Invitation.objects.exists()


def test_a_deactivated_teammate_is_reactivated_not_invited(alice_client, bob):
    bob.is_active = False
    bob.save()
    response = alice_client.post("/team/invite/", {"username": "Bob"})
    assert "bob is a deactivated teammate: reactivate them" in text_of(
        response, "#id_username_error"
    )


def test_an_admin_who_leaves_takes_their_waiting_invitations_with_them(alice_client, bob):
    bob.is_superuser = bob.is_staff = True
    bob.save()
    bob_client = Client()
    bob_client.force_login(bob)
    link = invite(bob_client, "erin")
    alice_client.post(f"/team/members/{bob.pk}/deactivate/")
    response = join(link)[1]
    assert response.status_code == 410
    assert "revoked by an admin" in text_of(response, ".notice-text")
    [event] = AuditEvent.objects.filter(action=Action.INVITATION_REVOKED)
    assert (event.subject, event.detail) == ("erin", "made by bob, no longer an admin")


def test_a_mail_backend_that_fails_in_any_way_loses_nothing(alice_client, settings):
    settings.EMAIL_BACKEND = "tests.mjadmin.team.helpers.BrokenMailBackend"
    response = alice_client.post("/team/invite/", {"username": "erin", "email": "e@example.com"})
    assert "could not be sent (RuntimeError)" in text_of(response, "main [role=status]")
    assert one(response, "#one-time-link")["value"].startswith("http://testserver/join/")
