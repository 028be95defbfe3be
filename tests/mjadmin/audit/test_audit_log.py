"""The audit log: every security event with who, when, from where and what; never a secret;
read by admins at /audit/, edited by nobody."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from mjadmin.audit.models import AuditEvent
from tests.conftest import PASSWORD
from tests.html import all_of, one, text

CANARY_KEY = "af_CanaryKeyNeverInTheAuditLog_0001"


def rows(response) -> list[dict[str, str]]:
    return [
        {cell["data-label"]: text(cell) for cell in all_of(row, "td")}
        for row in all_of(response, "table.audit tbody tr")
    ]


def test_signing_in_and_out_is_recorded_with_the_address(bob):
    client = Client(REMOTE_ADDR="10.1.2.3")
    client.post("/login/", {"username": "bob", "password": PASSWORD})
    client.post("/logout/")
    recorded = list(AuditEvent.objects.order_by("id").values_list("action", "actor_name", "ip"))
    assert recorded[-2:] == [("signed_in", "bob", "10.1.2.3"), ("signed_out", "bob", "10.1.2.3")]


def test_saving_and_removing_a_key_is_recorded_without_the_key(bob_client):
    bob_client.post("/settings/", {"apiframe_key": CANARY_KEY})
    bob_client.post("/settings/", {"remove_apiframe_key": "on"})
    events = AuditEvent.objects.filter(action__in=["key_saved", "key_removed"]).order_by("id")
    assert [(e.action, e.actor_name, e.detail) for e in events] == [
        ("key_saved", "bob", "Apiframe API key"),
        ("key_removed", "bob", "Apiframe API key"),
    ]
    for event in AuditEvent.objects.all():
        assert "Canary" not in f"{event.subject} {event.detail} {event.actor_name}"


def test_teammates_added_deactivated_and_reactivated_are_recorded_with_who_did_it(alice_client):
    alice_client.post(
        "/admin/auth/user/add/",
        {
            "username": "carol",
            "password1": "a-Long-enough-passphrase-42",
            "password2": "a-Long-enough-passphrase-42",
            "usable_password": "true",
        },
    )
    carol = get_user_model().objects.get(username="carol")
    for active in (False, True):
        carol.is_active = active
        carol.save()
    events = AuditEvent.objects.filter(subject="carol").order_by("id")
    assert [(e.action, e.actor_name) for e in events] == [
        ("user_added", "alice"),
        ("user_deactivated", ""),  # from code, outside any request: nobody signed in did it
        ("user_reactivated", ""),
    ]


def test_key_rotation_is_recorded(alice_keys):
    call_command("rotate_encryption_keys", stdout=StringIO())
    event = AuditEvent.objects.get(action="keys_rotated")
    assert event.detail == "2 secret(s) re-encrypted, 0 unreadable"


def test_admins_read_the_log_newest_first(alice_client, bob):
    Client(REMOTE_ADDR="10.1.2.3").post("/login/", {"username": "bob", "password": "nope"})
    shown = rows(alice_client.get("/audit/"))
    assert shown[0] | {"When": ""} == {
        "When": "",
        "Event": "sign-in failed",
        "Who": "—",
        "About": "bob",
        "From": "10.1.2.3",
        "Detail": "",
    }


def test_the_log_filters_by_event_and_by_teammate(alice_client, bob):
    Client().post("/login/", {"username": "bob", "password": "nope"})
    Client().post("/login/", {"username": "bob", "password": PASSWORD})
    failed = rows(alice_client.get("/audit/?action=sign_in_failed"))
    assert [r["Event"] for r in failed] == ["sign-in failed"]
    about_bob = rows(alice_client.get("/audit/?who=BOB"))
    assert {r["About"] for r in about_bob} == {"bob"}
    assert len(about_bob) >= 3  # added, failed, signed in
    chosen = one(alice_client.get("/audit/?action=signed_in"), "select#id_action option[selected]")
    assert chosen["value"] == "signed_in"


def test_the_log_is_paginated(alice_client, bob):
    for _ in range(60):
        Client().post("/login/", {"username": "bob", "password": "nope"})
    first = alice_client.get("/audit/?action=sign_in_failed")
    assert len(rows(first)) == 50
    older = one(first, "nav.pagination a")
    assert older["href"] == "?action=sign_in_failed&page=2"
    assert len(rows(alice_client.get(older["href"].replace("?", "/audit/?")))) == 10


def test_members_cannot_read_it_and_nobody_can_write_to_it(bob_client, alice_client):
    assert bob_client.get("/audit/").status_code == 403
    assert alice_client.post("/audit/").status_code == 405
    assert alice_client.get("/admin/audit/auditevent/").status_code == 404
