from django.test import Client

from tests.conftest import PASSWORD
from tests.html import all_of, field_errors, notice, text, text_of


def test_a_teammate_signs_in_and_lands_on_the_app(bob):
    client = Client()
    response = client.post("/login/", {"username": "bob", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[0][0] == "/"
    assert text_of(response, ".nav-user a") == "bob"
    assert text_of(response, ".nav-user form button") == "Log out"
    assert response.context["user"] == bob


def test_an_empty_username_gets_one_clear_message(bob):
    response = Client().post("/login/", {"username": "", "password": "x"})
    assert field_errors(response, "username") == ["This field is required."]
    assert all_of(response, "[role=alert]") == []
    assert "Wrong username or password" not in response.content.decode()


def test_a_wrong_password_is_refused_with_a_message(bob):
    client = Client()
    response = client.post("/login/", {"username": "bob", "password": "nope"})
    assert response.status_code == 200
    assert text(notice(response)).startswith("Wrong username or password")
    assert "_auth_user_id" not in client.session


def test_login_goes_back_to_the_page_asked_for(bob):
    client = Client()
    response = client.post(
        "/login/?next=/settings/",
        {"username": "bob", "password": PASSWORD, "next": "/settings/"},
    )
    assert response["Location"] == "/settings/"


def test_logout_by_post_ends_the_session(bob_client):
    assert bob_client.get("/settings/").status_code == 200
    response = bob_client.post("/logout/")
    assert response.status_code == 302
    assert bob_client.get("/settings/").status_code == 302


def test_logout_by_get_is_not_allowed(bob_client):
    assert bob_client.get("/logout/").status_code == 405
    assert bob_client.get("/settings/").status_code == 200


def test_a_deactivated_teammates_session_stops_working(bob, bob_client):
    assert bob_client.get("/settings/").status_code == 200
    bob.is_active = False
    bob.save()
    response = bob_client.get("/settings/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_deactivated_teammate_cannot_sign_in(bob):
    bob.is_active = False
    bob.save()
    response = Client().post("/login/", {"username": "bob", "password": PASSWORD})
    assert text(notice(response)).startswith("Wrong username or password")


def test_an_admin_adds_a_teammate_in_the_team_admin(alice_client):
    response = alice_client.post(
        "/admin/auth/user/add/",
        {
            "username": "carol",
            "password1": "a-Long-enough-passphrase-42",
            "password2": "a-Long-enough-passphrase-42",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    signed_in = Client().post(
        "/login/", {"username": "carol", "password": "a-Long-enough-passphrase-42"}
    )
    assert (signed_in.status_code, signed_in["Location"]) == (302, "/")


def test_a_teammate_cannot_open_the_team_admin(bob_client):
    response = bob_client.get("/admin/")
    assert response.status_code == 302


def test_password_change_enforces_the_validators(bob_client):
    response = bob_client.post(
        "/password/",
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    errors = " ".join(field_errors(response, "new_password2"))
    assert "too common" in errors or "entirely numeric" in errors


def test_password_change_works(bob, bob_client):
    new = "another-Long-passphrase-77"
    response = bob_client.post(
        "/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.check_password(new)
