import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from tests.html import field_errors, messages, one, text, text_of

NEW_ADMIN = {
    "username": "founder",
    "email": "founder@example.com",
    "password1": "a-Long-enough-passphrase-42",
    "password2": "a-Long-enough-passphrase-42",
}


def printed_link() -> str:
    out = StringIO()
    call_command("first_run_link", "--base-url", "http://127.0.0.1:8000", stdout=out)
    match = re.search(r"http://127\.0\.0\.1:8000(/setup/[\w-]+/)", out.getvalue())
    assert match, out.getvalue()
    return match.group(1)


@pytest.mark.django_db
def test_the_console_link_creates_the_first_admin_and_signs_them_in():
    path = printed_link()
    client = Client()
    assert client.get(path).status_code == 200
    response = client.post(path, NEW_ADMIN, follow=True)
    assert response.status_code == 200
    user = get_user_model().objects.get(username="founder")
    assert user.is_superuser and user.is_staff
    assert response.context["user"] == user
    (welcome,) = messages(response)
    assert welcome.startswith("Welcome, founder. You are this team's first admin")


@pytest.mark.django_db
def test_the_link_works_once():
    path = printed_link()
    Client().post(path, NEW_ADMIN)
    again = Client().post(path, {**NEW_ADMIN, "username": "intruder"})
    assert again.status_code == 404
    assert text_of(again, "main h1") == "This setup link is not valid"
    assert not get_user_model().objects.filter(username="intruder").exists()
    assert Client().get(path).status_code == 404


@pytest.mark.django_db
def test_a_guessed_link_does_nothing():
    printed_link()
    response = Client().post("/setup/guessed-token/", NEW_ADMIN)
    assert response.status_code == 404
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_a_newer_link_replaces_the_older_one():
    old = printed_link()
    new = printed_link()
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200


@pytest.mark.django_db
def test_weak_passwords_are_refused_on_setup():
    path = printed_link()
    response = Client().post(path, {**NEW_ADMIN, "password1": "123", "password2": "123"})
    assert response.status_code == 200
    assert any("too short" in error for error in field_errors(response, "password2"))
    assert not get_user_model().objects.exists()
    # A refused attempt keeps the link usable.
    assert Client().get(path).status_code == 200


def test_nothing_is_printed_once_a_user_exists(alice):
    out = StringIO()
    call_command("first_run_link", stdout=out)
    assert out.getvalue() == ""


def test_an_old_link_dies_when_an_admin_exists_by_other_means(db):
    path = printed_link()
    get_user_model().objects.create_superuser("ops", "ops@example.com", "x-Long-pass-99")
    assert Client().get(path).status_code == 404


@pytest.mark.django_db
def test_before_anyone_signs_up_the_login_page_points_at_the_console():
    response = Client().get("/login/")
    assert "setup link printed on the server console" in text_of(response, "[role=status]")


def test_once_a_user_exists_the_login_page_says_ask_an_admin(alice):
    response = Client().get("/login/")
    # Nowhere on the page, not only in the notice: the link is no use once someone signed up.
    assert "setup link" not in response.content.decode()
    assert "Ask an admin for an account." in text(one(response, "main .card > p"))


def test_a_link_claimed_after_someone_became_admin_meanwhile_creates_nobody(db, monkeypatch):
    # Two browsers: both passed the link check; the first created the admin before the second
    # submitted. The second must not make another admin.
    from mjadmin.team import first_run

    path = printed_link()
    token = path.strip("/").split("/")[-1]
    monkeypatch.setattr(first_run, "is_valid", lambda _token: True)
    get_user_model().objects.create_superuser("first", "first@example.com", "x-Long-pass-99")
    response = Client().post(path, NEW_ADMIN)
    assert response.status_code == 404
    assert not get_user_model().objects.filter(username="founder").exists()
    assert first_run.consume(token) is False
