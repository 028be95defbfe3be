import pytest
from django.urls import reverse

from tests.mjadmin.test_content_security_policy import directives

LOOKUP = "/tasks/5d0b8f7e-4c1a-4b1e-9a55-3f0c2d9e8a71/"
PAGES = [
    "/",
    "/accounts/",
    "/accounts/1170809721663422494/",
    "/tasks/",
    LOOKUP,
    LOOKUP + "export.csv",
    LOOKUP + "export.json",
    "/settings/",
    "/password/",
    "/admin/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_it_sends_anonymous_visitors_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/") or response["Location"].startswith(
        "/admin/login/"
    )


@pytest.mark.django_db
def test_login_page_and_healthz_are_public(client):
    assert client.get(reverse("team:login")).status_code == 200
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content.decode().splitlines() == ["ok", "database: ok", "cache: ok"]


@pytest.mark.django_db
def test_the_favicon_is_public(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")


@pytest.mark.django_db
def test_static_files_are_public(client):
    # Whitenoise answers before the login check runs.
    response = client.get("/static/css/mjadmin.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")


@pytest.mark.parametrize("path", ["/login/", "/accounts/", "/tasks/", "/settings/", "/nowhere/"])
def test_every_page_answers_with_a_strict_content_security_policy(alice_client, path):
    policy = directives(alice_client.get(path))
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "https:"]
    assert policy["frame-ancestors"] == ["'none'"]
