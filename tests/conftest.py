"""Personas and shared fixtures: alice is the team's admin, bob a teammate, both signed up."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def alice(db):
    return get_user_model().objects.create_user(
        "alice", "alice@example.com", PASSWORD, is_staff=True, is_superuser=True
    )


@pytest.fixture
def bob(db):
    return get_user_model().objects.create_user("bob", "bob@example.com", PASSWORD)


@pytest.fixture
def alice_client(alice) -> Client:
    client = Client()
    client.force_login(alice)
    return client


@pytest.fixture
def bob_client(bob) -> Client:
    client = Client()
    client.force_login(bob)
    return client
