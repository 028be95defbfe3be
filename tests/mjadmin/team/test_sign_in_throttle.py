"""Guessing passwords: after LOGIN_FAILURE_LIMIT wrong ones, that username is locked from that
address for a while; nobody else is; an admin can lift it; all of it is in the audit log."""

import pytest
from axes.models import AccessAttempt
from django.test import Client

from mjadmin.audit.models import AuditEvent
from tests.conftest import PASSWORD
from tests.html import all_of, messages, one, text

HOME = "10.9.8.7"  # never contacted: only the address the app believes a request came from
ELSEWHERE = "10.9.8.6"


def sign_in(username: str, password: str, address: str = HOME, path: str = "/login/"):
    return Client(REMOTE_ADDR=address).post(path, {"username": username, "password": password})


def guess_wrong(username: str, times: int, address: str = HOME, path: str = "/login/"):
    return [sign_in(username, "wrong-guess", address, path).status_code for _ in range(times)]


def test_five_wrong_passwords_lock_the_username_even_against_the_right_one(bob, settings):
    assert settings.LOGIN_FAILURE_LIMIT == 5
    assert guess_wrong("bob", 4) == [200] * 4  # the form again, "wrong username or password"
    locked = sign_in("bob", "wrong-guess")
    assert locked.status_code == 429
    assert "Try again in 15 minutes" in text(one(locked, "[role=alert]"))
    refused = sign_in("bob", PASSWORD)
    assert refused.status_code == 429
    assert "_auth_user_id" not in refused.wsgi_request.session


def test_a_locked_teammate_does_not_lock_anyone_else(alice, bob):
    guess_wrong("bob", 5)
    assert sign_in("alice", PASSWORD).status_code == 302
    # The lock is for bob from that address: bob elsewhere (at home, on his phone) still gets in.
    assert sign_in("bob", PASSWORD, address=ELSEWHERE).status_code == 302


def test_the_admin_sign_in_page_is_throttled_too(bob):
    statuses = guess_wrong("bob", 5, path="/admin/login/")
    assert statuses[-1] == 429
    assert sign_in("bob", PASSWORD).status_code == 429


def test_a_right_password_before_the_limit_clears_the_count(bob):
    guess_wrong("bob", 4)
    assert sign_in("bob", PASSWORD).status_code == 302
    assert guess_wrong("bob", 4) == [200] * 4


def test_an_admin_sees_the_lock_and_lifts_it(alice_client, bob):
    guess_wrong("bob", 5)
    page = alice_client.get("/team/locks/")
    (row,) = all_of(page, "tbody tr")
    assert text(one(row, "td[data-label=Username]")) == "bob"
    assert text(one(row, "td[data-label=From]")) == HOME
    lifted = alice_client.post("/team/locks/", {"username": "bob", "ip": HOME}, follow=True)
    assert messages(lifted) == [f"bob can sign in again from {HOME}."]
    assert sign_in("bob", PASSWORD).status_code == 302


def test_only_admins_see_the_locks(bob_client):
    assert bob_client.get("/team/locks/").status_code == 403
    assert bob_client.post("/team/locks/", {"username": "bob", "ip": HOME}).status_code == 403


def test_failures_lock_out_and_unlock_are_in_the_audit_log(alice_client, bob):
    guess_wrong("bob", 5)
    alice_client.post("/team/locks/", {"username": "bob", "ip": HOME})
    events = list(AuditEvent.objects.order_by("id").values_list("action", "subject", "ip"))
    failed = [e for e in events if e[0] == "sign_in_failed"]
    assert failed == [("sign_in_failed", "bob", HOME)] * 5
    assert ("locked_out", "bob", HOME) in events
    unlocked = AuditEvent.objects.get(action="unlocked")
    assert (unlocked.subject, unlocked.actor_name) == ("bob", "alice")


@pytest.mark.parametrize("typed", ["x" * 5000, "bob\x00", "<script>", "bob'; --"])
def test_odd_usernames_are_refused_plainly_and_logged_safely(db, typed):
    response = sign_in(typed, "wrong-guess")
    assert response.status_code == 200
    # Refused by the form (too long, a NUL) or by the password check; what is logged is clean.
    for event in AuditEvent.objects.filter(action="sign_in_failed"):
        assert len(event.subject) <= 150
        assert event.subject.isprintable()


def test_a_password_typed_into_the_username_box_is_never_written_down(bob, caplog):
    caplog.set_level("INFO")
    for _ in range(5):
        sign_in(PASSWORD, PASSWORD)
    recorded = [f"{e.subject} {e.detail}" for e in AuditEvent.objects.all()]
    recorded += list(AccessAttempt.objects.values_list("username", flat=True))
    assert PASSWORD not in " ".join(recorded)
    assert PASSWORD not in caplog.text
    assert any(line.startswith("unknown user ") for line in recorded)
