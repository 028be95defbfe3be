"""Admins change roles, deactivate and reactivate teammates and make reset links from /team/,
each after a confirmation and into the audit log; the team always keeps one active admin."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from mjadmin.audit.models import Action, AuditEvent
from tests.html import messages, one, text_of
from tests.mjadmin.team.helpers import NEW_PASSWORD, can_sign_in


def act(client: Client, member, action: str, *, confirm: bool = True):
    path = f"/team/members/{member.pk}/{action}/"
    return client.post(path, follow=True) if confirm else client.get(path)


def audit(action: Action) -> list[tuple[str, str, str]]:
    return [(e.actor_name, e.subject, e.detail) for e in AuditEvent.objects.filter(action=action)]


@pytest.mark.parametrize(
    ("action", "title"),
    [
        ("make-admin", "Make bob an admin?"),
        ("deactivate", "Deactivate bob?"),
        ("reset-link", "Make a password reset link for bob?"),
    ],
)
def test_each_action_asks_first_and_changes_nothing_until_confirmed(
    alice_client, bob, action, title
):
    response = act(alice_client, bob, action, confirm=False)
    assert text_of(response, "h1") == title
    assert text_of(response, "main form button") != ""
    bob.refresh_from_db()
    assert bob.is_active and not bob.is_superuser
    assert not AuditEvent.objects.filter(subject="bob").exclude(action=Action.USER_ADDED).exists()


def test_a_member_made_admin_can_manage_the_team_and_made_member_again_cannot(alice_client, bob):
    bob_client = Client()
    bob_client.force_login(bob)
    page = act(alice_client, bob, "make-admin")
    assert "bob is now an admin." in messages(page)
    assert bob_client.get("/team/").status_code == 200
    act(alice_client, bob, "make-member")
    assert bob_client.get("/team/").status_code == 403
    assert audit(Action.ROLE_CHANGED) == [
        ("alice", "bob", "now member"),
        ("alice", "bob", "now admin"),
    ]


def test_the_last_active_admin_cannot_step_down(alice, alice_client, bob):
    page = act(alice_client, alice, "make-member")
    assert "alice is the team's last active admin" in messages(page)[0]
    alice.refresh_from_db()
    assert alice.is_superuser and alice.is_active
    assert audit(Action.ROLE_CHANGED) == []


def test_a_deactivated_admin_does_not_count_as_the_other_admin(alice, alice_client, bob):
    bob.is_superuser = bob.is_staff = True
    bob.is_active = False
    bob.save()
    page = act(alice_client, alice, "make-member")
    assert "last active admin" in messages(page)[0]


def test_with_a_second_admin_an_admin_may_step_down(alice, alice_client, bob):
    act(alice_client, bob, "make-admin")
    page = act(alice_client, alice, "make-member")
    # Back to the app, not to a team page that is no longer theirs.
    assert page.redirect_chain[0][0] == "/"
    assert page.status_code == 200
    alice.refresh_from_db()
    assert not alice.is_superuser


def test_the_rule_holds_below_the_page_too(alice, bob):
    # The page never offers an admin their own deactivation, but two admins deactivating each
    # other at once both reach membership: the rule lives there.
    from mjadmin.team import membership

    with pytest.raises(membership.LastAdmin):
        membership.set_active(alice, False)
    with pytest.raises(membership.LastAdmin):
        membership.set_admin(alice, False)


def test_an_admin_cannot_deactivate_themselves_here(alice, alice_client, bob):
    act(alice_client, bob, "make-admin")
    page = act(alice_client, alice, "deactivate")
    assert "ask another admin to deactivate you" in messages(page)[0]
    alice.refresh_from_db()
    assert alice.is_active


def test_deactivating_signs_the_teammate_out_and_reactivating_revives_no_session(alice_client, bob):
    bob_client = Client()
    bob_client.force_login(bob)
    page = act(alice_client, bob, "deactivate")
    assert "bob is deactivated." in messages(page)
    assert bob_client.get("/tasks/")["Location"].startswith("/login/")
    assert not can_sign_in("bob", "correct-horse-battery-staple")
    act(alice_client, bob, "reactivate")
    assert bob_client.get("/tasks/")["Location"].startswith("/login/")
    assert can_sign_in("bob", "correct-horse-battery-staple")
    assert audit(Action.USER_REACTIVATED) == [("alice", "bob", "")]
    assert audit(Action.USER_DEACTIVATED) == [("alice", "bob", "")]


def reset_link(alice_client, member) -> str:
    response = alice_client.post(f"/team/members/{member.pk}/reset-link/")
    assert text_of(response, "h1") == f"Password reset link for {member.username}"
    return str(one(response, "#one-time-link")["value"]).removeprefix("http://testserver")


def use(link: str, password: str = NEW_PASSWORD):
    client = Client()
    form = client.get(link, follow=True)
    response = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"new_password1": password, "new_password2": password},
        follow=True,
    )
    return client, form, response


def test_a_reset_link_lets_the_teammate_choose_a_new_password_once(alice_client, bob):
    link = reset_link(alice_client, bob)
    _, form, response = use(link)
    assert text_of(form, ".for-whom") == "For bob ."
    assert "Your new password is set, and you are signed in." in messages(response)
    assert text_of(response, ".nav-user a") == "bob"
    assert can_sign_in("bob", NEW_PASSWORD)
    _, again, _ = use(link, "yet-another-Passphrase-5")
    assert "has been used, has expired" in text_of(again, ".notice-text")
    assert can_sign_in("bob", NEW_PASSWORD)
    assert audit(Action.RESET_LINK_MADE) == [("alice", "bob", "")]
    assert audit(Action.RESET_LINK_USED) == [("bob", "bob", "")]


def test_a_reset_link_is_never_stored_or_logged(alice_client, bob, caplog):
    link = reset_link(alice_client, bob)
    use(link)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in str(list(AuditEvent.objects.values()))
    assert token not in caplog.text


def test_a_reset_link_is_emailed_to_a_teammate_with_an_address(alice_client, bob):
    from django.core import mail

    link = reset_link(alice_client, bob)
    [sent] = mail.outbox
    assert sent.to == ["bob@example.com"]
    assert link in sent.body


def test_a_reset_link_stops_working_when_the_teammate_is_deactivated(alice_client, bob):
    link = reset_link(alice_client, bob)
    act(alice_client, bob, "deactivate")
    _, form, _ = use(link)
    assert "has been used, has expired" in text_of(form, ".notice-text")
    assert not get_user_model().objects.get(username="bob").check_password(NEW_PASSWORD)


def test_no_reset_link_for_oneself_or_a_deactivated_teammate(alice, alice_client, bob):
    act(alice_client, bob, "deactivate")
    for member, said in ((alice, "change your password on your profile"), (bob, "reactivate")):
        page = act(alice_client, member, "reset-link")
        assert said in messages(page)[0]
    assert audit(Action.RESET_LINK_MADE) == []


def test_an_unknown_action_or_teammate_is_not_found(alice_client, bob):
    assert alice_client.get(f"/team/members/{bob.pk}/delete/").status_code == 404
    assert alice_client.get("/team/members/99999/deactivate/").status_code == 404


def test_a_member_cannot_act_even_by_posting(bob_client, alice):
    for action in ("make-member", "deactivate", "reset-link"):
        assert bob_client.post(f"/team/members/{alice.pk}/{action}/").status_code == 403
    alice.refresh_from_db()
    assert alice.is_superuser and alice.is_active


def test_a_reset_link_made_before_a_deactivation_stays_dead_after_reactivation(alice_client, bob):
    link = reset_link(alice_client, bob)
    act(alice_client, bob, "deactivate")
    act(alice_client, bob, "reactivate")
    _, form, _ = use(link)
    assert "has been used, has expired" in text_of(form, ".notice-text")


def test_a_reset_link_opened_while_signed_in_asks_to_sign_out(alice_client, bob):
    link = reset_link(alice_client, bob)
    response = alice_client.get(link)
    assert response.status_code == 409
    assert "You are signed in as alice" in text_of(response, ".notice-text")
    _, form, _ = use(link)  # still good for bob
    assert text_of(form, ".for-whom") == "For bob ."
