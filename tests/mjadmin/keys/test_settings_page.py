import pytest
from django.db import connection
from django.test import override_settings

from mjadmin.keys import credentials, kinds
from mjadmin.keys.models import ApiCredential
from tests.html import Source, definition, field_errors, messages, notice, one, text

USEAPI = "user:4242-ZyXwVuTsRqPoNmLk9876"
APIFRAME = "af_live_3c9f1e2d7b6a5c4d"


def save(client, **fields):
    data = {"useapi_token": "", "apiframe_key": "", **fields}
    return client.post("/settings/", data, follow=True)


def whole_page(response) -> str:
    """For what must appear nowhere on the page: a secret, or its ciphertext."""
    return response.content.decode()


def saved(page: Source, service: str) -> str:
    """What the Saved keys card says about one vendor's key."""
    return text(definition(page, kinds.of(service).label))


def masked(page: Source, service: str) -> str:
    """The masked tail the Saved keys card shows for one vendor's key."""
    return text(one(definition(page, kinds.of(service).label), "code.secret-tail"))


def raw_ciphertexts() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT ciphertext FROM keys_apicredential")
        return [row[0] for row in cursor.fetchall()]


def test_saved_keys_are_shown_masked_with_their_last_four_characters(alice, alice_client):
    response = save(alice_client, useapi_token=USEAPI, apiframe_key=APIFRAME)
    assert messages(response) == ["Saved: useapi.net API token; Apiframe API key."]
    assert masked(response, "useapi") == "••••9876"
    assert masked(response, "apiframe") == "••••5c4d"
    page = whole_page(response)
    assert USEAPI not in page and APIFRAME not in page
    assert credentials.get_secret(alice, "useapi") == USEAPI
    assert credentials.get_secret(alice, "apiframe") == APIFRAME


def test_the_database_column_holds_ciphertext_only(alice_client):
    save(alice_client, useapi_token=USEAPI, apiframe_key=APIFRAME)
    stored = raw_ciphertexts()
    assert len(stored) == 2
    for value in stored:
        assert USEAPI not in value and APIFRAME not in value
        assert value.startswith("gAAAA")  # a Fernet token


def test_a_blank_submit_keeps_the_stored_values(alice, alice_client):
    save(alice_client, useapi_token=USEAPI, apiframe_key=APIFRAME)
    response = save(alice_client)
    assert messages(response) == ["Nothing changed: every field was left blank."]
    assert masked(response, "useapi") == "••••9876"
    assert masked(response, "apiframe") == "••••5c4d"
    assert credentials.get_secret(alice, "useapi") == USEAPI
    assert credentials.get_secret(alice, "apiframe") == APIFRAME


def test_removing_a_key_that_is_not_set_does_not_claim_it_was_removed(alice_client):
    response = save(alice_client, remove_apiframe_key="on")
    (shown,) = messages(response)
    assert "removed" not in shown
    assert shown.startswith("Nothing changed")


def test_remove_clears_one_key_and_leaves_the_other(alice, alice_client):
    save(alice_client, useapi_token=USEAPI, apiframe_key=APIFRAME)
    response = save(alice_client, remove_apiframe_key="on")
    assert messages(response) == ["Saved: Apiframe API key removed."]
    assert saved(response, "apiframe") == "Not set"
    assert masked(response, "useapi") == "••••9876"
    assert not ApiCredential.objects.filter(user=alice, service="apiframe").exists()
    assert credentials.get_secret(alice, "useapi") == USEAPI


def test_the_form_never_renders_a_stored_secret_back(alice_client):
    save(alice_client, useapi_token=USEAPI, apiframe_key=APIFRAME)
    response = alice_client.get("/settings/")
    for name in ("useapi_token", "apiframe_key"):
        field = one(response, f"input[name={name}]")
        assert field["type"] == "password"
        assert not field.has_attr("value")
    page = whole_page(response)
    assert USEAPI not in page and APIFRAME not in page


def test_saved_at_is_shown(alice_client):
    save(alice_client, useapi_token=USEAPI)
    response = alice_client.get("/settings/")
    useapi = definition(response, "useapi.net API token")
    assert text(one(useapi, ".muted")).startswith("saved ")
    assert one(useapi, ".muted time").has_attr("datetime")
    assert saved(response, "apiframe") == "Not set"


def test_surrounding_whitespace_from_a_paste_is_trimmed(alice, alice_client):
    save(alice_client, useapi_token=f"  {USEAPI}\n")
    assert credentials.get_secret(alice, "useapi") == USEAPI


BAD_INPUTS = [
    "has space inside",
    "Bearer af_live_3c9f1e2d7b6a5c4d",
    "line\nbreak-in-the-middle",
    "tab\tinside-the-token",
    "nul\x00character-here",
    "bell\x07character-here",
    "escape\x1b[31m-red",
    "del\x7fcharacter-here",
    "carriage\rreturn-inside",
    "nonbreaking\u00a0space-here",
    "zero\u200bwidth-space-here",
    "right-to-left\u202eoverride",
    "accentué-token-value",
    "emoji-token-🔑-value",
    "“smart-quoted-token”",
    "cyrillic-tоken-value",  # the o is Cyrillic
    "fullwidth-ｔｏｋｅｎ-value",
    "short",
    "a",
    "x" * 513,
    "line-separator\u2028inside",
    "vertical\x0btab-inside",
    "form\x0cfeed-inside",
]


@pytest.mark.parametrize("bad", BAD_INPUTS, ids=range(len(BAD_INPUTS)))
def test_a_bad_token_gets_a_form_error_and_nothing_is_stored(alice, alice_client, bad):
    save(alice_client, apiframe_key=APIFRAME)
    response = alice_client.post("/settings/", {"useapi_token": bad, "apiframe_key": ""})
    assert response.status_code == 200
    errors = response.context["form"].errors["useapi_token"]
    assert errors
    assert field_errors(response, "useapi_token") == errors
    assert field_errors(response, "apiframe_key") == []
    assert not ApiCredential.objects.filter(user=alice, service="useapi").exists()
    # The other field is unaffected.
    assert credentials.get_secret(alice, "apiframe") == APIFRAME


def test_a_bad_value_in_one_field_does_not_save_the_other_and_says_so(alice, alice_client):
    response = alice_client.post(
        "/settings/", {"useapi_token": "bad token", "apiframe_key": APIFRAME}
    )
    errors = response.context["form"].errors["useapi_token"]
    assert errors
    assert field_errors(response, "useapi_token") == errors
    assert text(notice(response)).startswith("Nothing was saved.")
    assert not ApiCredential.objects.filter(user=alice).exists()


def test_a_new_value_and_remove_together_is_refused(alice, alice_client):
    response = alice_client.post(
        "/settings/", {"useapi_token": USEAPI, "remove_useapi_token": "on", "apiframe_key": ""}
    )
    assert field_errors(response, "useapi_token") == [
        "Either enter a new value or tick remove, not both."
    ]
    assert not ApiCredential.objects.filter(user=alice).exists()


def test_a_user_sees_and_changes_only_their_own_keys(alice, bob, alice_client, bob_client):
    save(alice_client, useapi_token=USEAPI, apiframe_key=APIFRAME)
    response = bob_client.get("/settings/")
    page = whole_page(response)
    assert "9876" not in page and "5c4d" not in page
    assert saved(response, "useapi") == "Not set"
    assert saved(response, "apiframe") == "Not set"
    save(bob_client, useapi_token="user:1-BobsOwnToken0000", remove_apiframe_key="on")
    assert credentials.get_secret(alice, "useapi") == USEAPI
    assert credentials.get_secret(alice, "apiframe") == APIFRAME
    assert credentials.get_secret(bob, "useapi") == "user:1-BobsOwnToken0000"


OTHER_KEY = "Qm9vbVpkSlN2aWVrdDM0eGJ1TXl1bmZxV3JqbVJDdDE="


def test_a_value_no_configured_key_decrypts_fails_closed(alice, alice_client):
    save(alice_client, useapi_token=USEAPI, apiframe_key=APIFRAME)
    with override_settings(FIELD_ENCRYPTION_KEYS=[OTHER_KEY]):
        response = alice_client.get("/settings/")
        assert response.status_code == 200
        for service in ("useapi", "apiframe"):
            shown = saved(response, service)
            assert shown.startswith("Unreadable")
            assert "Re-enter this token" in shown
        assert "gAAAA" not in whole_page(response)
        with pytest.raises(credentials.CredentialProblem, match="Re-enter this token"):
            credentials.get_secret(alice, "useapi")
        # Re-entering it under the new key works.
        save(alice_client, useapi_token=USEAPI)
        assert credentials.get_secret(alice, "useapi") == USEAPI


def test_secrets_stay_out_of_the_session(alice_client):
    save(alice_client, useapi_token=USEAPI, apiframe_key=APIFRAME)
    session = alice_client.session
    dumped = repr(dict(session.items()))
    assert USEAPI not in dumped and APIFRAME not in dumped
