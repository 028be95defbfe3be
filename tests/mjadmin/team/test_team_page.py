"""/team/: every teammate at a glance, for admins only."""

from datetime import UTC, datetime

from django.contrib.auth import get_user_model
from django.test import Client

from mjadmin.keys import credentials
from tasks.models import Lookup
from tests.html import all_of, one, text, texts

SECRET = "af_CanaryKeyThatMustNotShow9876"


def row(response, username: str) -> dict[str, str]:
    """A teammate's row, as a reader of each column sees it."""
    for tr in all_of(response, "table.members tbody tr"):
        if text(one(tr, "th")).split(" ")[0] == username:
            return {cell["data-label"]: text(cell) for cell in tr.select("[data-label]")}
    raise AssertionError(f"no row for {username}")


def test_each_teammate_shows_role_status_last_sign_in_keys_and_lookups(alice_client, bob):
    credentials.save_secret(bob, "apiframe", SECRET)
    Lookup.objects.create(owner=bob)
    Lookup.objects.create(owner=bob)
    get_user_model().objects.filter(pk=bob.pk).update(
        last_login=datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    )
    response = alice_client.get("/team/")
    assert row(response, "bob") == {
        "Teammate": "bob bob@example.com",
        "Role": "member",
        "Status": "active",
        "Last sign-in": "2026-11-02 09:30 UTC",
        "useapi.net API token": "not saved",
        "Apiframe API key": "saved",
        "Legnext API key": "not saved",
        "midjourney-proxy token": "not saved",
        "Lookups": "2",
        "Actions": "Make admin bob Password reset link for bob Deactivate bob",
    }
    assert row(response, "alice")["Role"] == "admin"
    assert row(response, "alice")["Lookups"] == "0"
    assert SECRET[-4:] not in response.content.decode()


def test_a_deactivated_teammate_looks_deactivated_and_can_be_reactivated(alice_client, bob):
    bob.is_active = False
    bob.save()
    shown = row(alice_client.get("/team/"), "bob")
    assert shown["Status"] == "deactivated"
    assert shown["Actions"] == "Reactivate bob"


def test_a_teammate_locked_out_by_the_sign_in_throttle_says_so(alice_client, bob, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post("/login/", {"username": "bob", "password": "wrong"})
    assert row(alice_client.get("/team/"), "bob")["Status"] == "active locked out"


def test_an_admin_sees_no_action_against_themselves_but_stepping_down(alice_client, bob):
    # The only admin is not even offered that: it would leave the team without one.
    assert row(alice_client.get("/team/"), "alice")["Actions"] == ""
    bob.is_superuser = True
    bob.save()
    assert row(alice_client.get("/team/"), "alice")["Actions"] == "Make member alice"


def test_invitations_are_listed_with_their_state(alice_client):
    alice_client.post("/team/invite/", {"username": "erin"})
    [invitation] = all_of(alice_client.get("/team/"), "table.invitations tbody tr")
    cells = {cell["data-label"]: text(cell) for cell in invitation.select("[data-label]")}
    assert cells["For"] == "erin"
    assert cells["Invited by"] == "alice"
    assert cells["State"].startswith("waiting, until ")
    assert cells["Actions"] == "Revoke the invitation for erin"


def test_the_navigation_shows_team_to_admins_only(alice_client, bob_client):
    assert "Team" in texts(alice_client.get("/tasks/"), "nav .nav-links a")
    assert "Team" not in texts(bob_client.get("/tasks/"), "nav .nav-links a")
    assert bob_client.get("/team/").status_code == 403


def test_the_username_in_the_navigation_opens_the_profile(bob_client):
    anchor = one(bob_client.get("/tasks/"), ".nav-user a")
    assert (text(anchor), anchor["href"]) == ("bob", "/profile/")


def test_the_page_costs_the_same_few_queries_for_a_bigger_team(
    alice_client, django_assert_max_num_queries
):
    users = get_user_model().objects
    for n in range(30):
        user = users.create_user(f"member{n}", password="x")
        credentials.save_secret(user, "useapi", "token-" + "x" * 20)
        Lookup.objects.create(owner=user)
    with django_assert_max_num_queries(12):
        response = alice_client.get("/team/")
    assert len(all_of(response, "table.members tbody tr")) == 31
