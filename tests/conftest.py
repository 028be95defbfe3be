"""Personas and shared fixtures: alice is the team's admin, bob a teammate, both signed up."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from mjadmin.keys import credentials
from tests.fakes.fake_vendors import DEMO_APIFRAME_KEY, DEMO_USEAPI_TOKEN, FakeUpstream

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


@pytest.fixture(autouse=True)
def _empty_cache():
    # Upstream answers are cached per user; every test starts cold.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def _fake_server():
    with FakeUpstream() as server:
        yield server


@pytest.fixture
def fake(_fake_server, settings) -> FakeUpstream:
    """The local fake of both upstreams on a loopback port, freshly seeded for each test."""
    _fake_server.reset()
    settings.USEAPI_BASE_URL = _fake_server.base_url
    settings.APIFRAME_BASE_URL = _fake_server.base_url
    settings.APIFRAME_V2_BASE_URL = _fake_server.apiframe_v2_base_url
    settings.LEGNEXT_BASE_URL = _fake_server.legnext_base_url
    settings.MJ_PROXY_BASE_URL = _fake_server.mj_proxy_base_url
    return _fake_server


@pytest.fixture
def alice_keys(alice) -> None:
    credentials.save_secret(alice, "useapi", DEMO_USEAPI_TOKEN)
    credentials.save_secret(alice, "apiframe", DEMO_APIFRAME_KEY)


@pytest.fixture
def bob_keys(bob) -> None:
    credentials.save_secret(bob, "useapi", DEMO_USEAPI_TOKEN)
    credentials.save_secret(bob, "apiframe", DEMO_APIFRAME_KEY)


def pytest_terminal_summary(terminalreporter) -> None:
    # A missing browser must never look like a pass.
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if "BROWSER TESTS NOT RUN" in str(report.longrepr)
    ]
    if skipped:
        terminalreporter.write_sep(
            "!",
            f"{len(skipped)} BROWSER TESTS NOT RUN: no Chromium found (apt-get install chromium)",
            red=True,
            bold=True,
        )
    # Nor a machine without nginx, PostgreSQL or Redis (tests/deploy); the reason says which.
    deploy = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if "DEPLOY TESTS NOT RUN" in str(report.longrepr)
    ]
    if deploy:
        reason = str(deploy[0].longrepr[2]).split("DEPLOY TESTS NOT RUN: ", 1)[-1]
        terminalreporter.write_sep(
            "!", f"{len(deploy)} DEPLOY TESTS NOT RUN: {reason}", red=True, bold=True
        )
