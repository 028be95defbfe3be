"""Every failure on the Accounts page is a clear message, never a 500."""

import pytest

from tests.fakes.fake_vendors import EMPTY_USEAPI_TOKEN
from tests.html import link, notice, one, text


def shown_notice(response) -> str:
    assert response.status_code == 200
    return text(notice(response))


def test_no_token_saved_links_to_settings(alice_client, fake):
    response = alice_client.get("/accounts/")
    assert "You have not saved your useapi.net API token yet." in shown_notice(response)
    assert link(notice(response)) == ("Open Settings", "/settings/")
    assert fake.requests == []


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("401", "useapi.net rejected your token"),
        ("402", "subscription on this token is missing or expired"),
        ("404", "has no Midjourney configuration for this token"),
        ("404-empty", "has no Midjourney configuration for this token"),
        ("500", "useapi.net is unavailable right now (HTTP 500). Try again"),
        ("502", "useapi.net is unavailable right now (HTTP 502). Try again"),
        ("503", "useapi.net is unavailable right now (HTTP 503). Try again"),
        ("non-json", "unavailable right now (it answered with something other than JSON)"),
        ("bad-shape", "answered in a shape mjadmin does not understand"),
        ("redirect", "unavailable right now (it answered with a redirect, HTTP 302)"),
        ("huge", "unavailable right now (its answer was larger than"),
    ],
)
def test_each_upstream_failure_has_its_message(alice_client, alice_keys, fake, kind, message):
    fake.set_fault(kind, path="/v2/account/midjourney")
    assert message in shown_notice(alice_client.get("/accounts/"))


def test_401_links_to_settings(alice_client, alice_keys, fake):
    fake.set_fault("401")
    response = alice_client.get("/accounts/")
    assert response.status_code == 200
    assert link(notice(response)) == ("Open Settings", "/settings/")


def test_a_token_with_no_configuration_says_how_to_create_one(alice, alice_client, fake):
    from mjadmin.keys import credentials

    credentials.save_secret(alice, "useapi", EMPTY_USEAPI_TOKEN)
    response = alice_client.get("/accounts/")
    assert response.status_code == 200
    assert text(one(notice(response), "h2")) == "No Midjourney configuration"
    assert link(notice(response)) == (
        "How to add an account at useapi.net",
        "https://useapi.net/docs/api-v2/post-account-midjourney",
    )


def test_a_slow_upstream_times_out_with_a_message(alice_client, alice_keys, fake, settings):
    settings.UPSTREAM_TIMEOUT = 0.3
    fake.slow_seconds = 2
    fake.set_fault("slow", path="/v2/account/midjourney")
    assert "no answer within 0.3 s" in shown_notice(alice_client.get("/accounts/"))


def test_a_refused_connection_says_unavailable(alice_client, alice_keys, settings):
    settings.USEAPI_BASE_URL = "http://127.0.0.1:9"
    shown = shown_notice(alice_client.get("/accounts/"))
    assert "useapi.net could not be reached (could not connect to 127.0.0.1)" in shown
    assert "Check that this server can reach it" in shown


def test_a_token_that_no_longer_decrypts_asks_to_re_enter_it(
    alice_client, alice_keys, fake, settings
):
    settings.FIELD_ENCRYPTION_KEYS = ["Qm9vbVpkSlN2aWVrdDM0eGJ1TXl1bmZxV3JqbVJDdDE="]
    response = alice_client.get("/accounts/")
    assert "Re-enter this token" in shown_notice(response)
    assert link(notice(response)) == ("Open Settings", "/settings/")
    assert fake.requests == []
