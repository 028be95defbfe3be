import pytest
from django.urls import reverse

PAGES = [
    "/",
    "/accounts/",
    "/tasks/",
    "/settings/",
    "/password/",
    "/admin/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_it_sends_anonymous_visitors_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/") or "login" in response["Location"]


@pytest.mark.django_db
def test_login_page_and_healthz_are_public(client):
    assert client.get(reverse("login")).status_code == 200
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.django_db
def test_static_files_are_public(client):
    # Whitenoise answers before the login check runs.
    response = client.get("/static/css/mjadmin.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")


def test_every_page_answers_with_a_content_security_policy(alice_client):
    response = alice_client.get("/settings/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
