"""Whose key counts, for which service: the Tasks page's "no key" notice and the Settings page's
row for a key that can no longer be read."""

from django.test import override_settings

from mjadmin.keys import credentials
from tests.fakes.fake_vendors import DEMO_APIFRAME_KEY, DEMO_USEAPI_TOKEN
from tests.html import all_of, definition, one, text

NO_KEY = "No key that looks up tasks saved yet"
OTHER_KEY = "Qm9vbVpkSlN2aWVrdDM0eGJ1TXl1bmZxV3JqbVJDdDE="


def no_key_notice(client) -> list[str]:
    return [text(n) for n in all_of(client.get("/tasks/"), ".alert-warning") if NO_KEY in text(n)]


def test_a_teammates_apiframe_key_does_not_count_as_yours(alice, alice_keys, bob_client):
    assert no_key_notice(bob_client)


def test_a_useapi_token_alone_does_not_count_as_an_apiframe_key(bob, bob_client):
    credentials.save_secret(bob, "useapi", DEMO_USEAPI_TOKEN)
    assert no_key_notice(bob_client)


def test_your_own_apiframe_key_takes_the_notice_away(bob, bob_client):
    credentials.save_secret(bob, "apiframe", DEMO_APIFRAME_KEY)
    assert no_key_notice(bob_client) == []


def test_a_key_that_can_no_longer_be_read_still_says_when_it_was_saved(alice, alice_client):
    credentials.save_secret(alice, "useapi", DEMO_USEAPI_TOKEN)
    with override_settings(FIELD_ENCRYPTION_KEYS=[OTHER_KEY]):
        row = definition(alice_client.get("/settings/"), "useapi.net API token")
    assert text(row).startswith("Unreadable")
    assert text(one(row, ".muted")).startswith("saved ")
    assert one(row, "time")["datetime"]
