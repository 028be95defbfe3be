"""The Content-Security-Policy every page carries: the browser may load and contact only this
site (plus https images), so injected markup can neither run nor phone home."""

import pytest
from django.test import Client

from mjadmin import content_security


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.mark.django_db
def test_scripts_styles_and_connections_are_this_site_only():
    policy = directives(Client().get("/login/"))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_images_come_from_this_site_or_any_https_origin(alice_client):
    policy = directives(alice_client.get("/tasks/"))
    assert policy["img-src"] == ["'self'", "https:"]
    assert policy["media-src"] == ["https:"]


def test_the_demo_may_add_its_own_image_origin(alice_client, settings):
    # What mjadmin/settings.py builds from MEDIA_EXTRA_ORIGINS=http://127.0.0.1:8765.
    settings.CONTENT_SECURITY_POLICY = content_security.policy(["http://127.0.0.1:8765"])
    policy = directives(alice_client.get("/tasks/"))
    assert policy["img-src"] == ["'self'", "https:", "http://127.0.0.1:8765"]
