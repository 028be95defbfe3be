import pytest
from django.db import connection
from django.test import override_settings

from mjadmin.keys import credentials
from mjadmin.keys.models import ApiCredential, Service

USEAPI = "user:4242-ZyXwVuTsRqPoNmLk9876"
APIFRAME = "af_live_3c9f1e2d7b6a5c4d"


def save(client, **fields):
    data = {"useapi_token": "", "apiframe_key": "", **fields}
    return client.post("/settings/", data, follow=True)


def raw_ciphertexts() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT ciphertext FROM keys_apicredential")
        return [row[0] for row in cursor.fetchall()]


def test_saved_keys_are_shown_masked_with_their_last_four_characters(alice, alice_client):
    response = save(alice_client, useapi_token=USEAPI, apiframe_key=APIFRAME)
    page = response.content.decode()
    assert "Saved: useapi.net API token; Apiframe API key." in page
    assert "••••9876" in page
    assert "••••5c4d" in page
    assert USEAPI not in page and APIFRAME not in page
    assert credentials.get_secret(alice, Service.USEAPI) == USEAPI
    assert credentials.get_secret(alice, Service.APIFRAME) == APIFRAME


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
    assert b"Nothing changed" in response.content
    assert credentials.get_secret(alice, Service.USEAPI) == USEAPI
    assert credentials.get_secret(alice, Service.APIFRAME) == APIFRAME


def test_removing_a_key_that_is_not_set_does_not_claim_it_was_removed(alice_client):
    response = save(alice_client, remove_apiframe_key="on")
    assert b"removed" not in response.content
    assert b"Nothing changed" in response.content


def test_remove_clears_one_key_and_leaves_the_other(alice, alice_client):
    save(alice_client, useapi_token=USEAPI, apiframe_key=APIFRAME)
    response = save(alice_client, remove_apiframe_key="on")
    assert b"Apiframe API key removed" in response.content
    assert not ApiCredential.objects.filter(user=alice, service=Service.APIFRAME).exists()
    assert credentials.get_secret(alice, Service.USEAPI) == USEAPI


def test_the_form_never_renders_a_stored_secret_back(alice_client):
    save(alice_client, useapi_token=USEAPI, apiframe_key=APIFRAME)
    page = alice_client.get("/settings/").content.decode()
    assert 'name="useapi_token"' in page and 'name="apiframe_key"' in page
    assert 'type="password"' in page
    assert "value=" not in page.split('name="useapi_token"')[1].split(">")[0]
    assert USEAPI not in page and APIFRAME not in page


def test_saved_at_is_shown(alice_client):
    save(alice_client, useapi_token=USEAPI)
    page = alice_client.get("/settings/").content.decode()
    assert "saved <time" in page
    assert "Not set" in page  # the Apiframe key


def test_surrounding_whitespace_from_a_paste_is_trimmed(alice, alice_client):
    save(alice_client, useapi_token=f"  {USEAPI}\n")
    assert credentials.get_secret(alice, Service.USEAPI) == USEAPI


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
    assert response.context["form"].errors["useapi_token"]
    assert 'class="error"' in response.content.decode()
    assert not ApiCredential.objects.filter(user=alice, service=Service.USEAPI).exists()
    # The other field is unaffected.
    assert credentials.get_secret(alice, Service.APIFRAME) == APIFRAME


def test_a_bad_value_in_one_field_does_not_save_the_other_and_says_so(alice, alice_client):
    response = alice_client.post(
        "/settings/", {"useapi_token": "bad token", "apiframe_key": APIFRAME}
    )
    assert response.context["form"].errors["useapi_token"]
    assert "Nothing was saved." in response.content.decode()
    assert not ApiCredential.objects.filter(user=alice).exists()


def test_a_new_value_and_remove_together_is_refused(alice, alice_client):
    response = alice_client.post(
        "/settings/", {"useapi_token": USEAPI, "remove_useapi_token": "on", "apiframe_key": ""}
    )
    assert b"not both" in response.content
    assert not ApiCredential.objects.filter(user=alice).exists()


def test_a_user_sees_and_changes_only_their_own_keys(alice, bob, alice_client, bob_client):
    save(alice_client, useapi_token=USEAPI, apiframe_key=APIFRAME)
    page = bob_client.get("/settings/").content.decode()
    assert "9876" not in page and "5c4d" not in page
    assert page.count("Not set") == 2
    save(bob_client, useapi_token="user:1-BobsOwnToken0000", remove_apiframe_key="on")
    assert credentials.get_secret(alice, Service.USEAPI) == USEAPI
    assert credentials.get_secret(alice, Service.APIFRAME) == APIFRAME
    assert credentials.get_secret(bob, Service.USEAPI) == "user:1-BobsOwnToken0000"


OTHER_KEY = "Qm9vbVpkSlN2aWVrdDM0eGJ1TXl1bmZxV3JqbVJDdDE="


def test_a_value_no_configured_key_decrypts_fails_closed(alice, alice_client):
    save(alice_client, useapi_token=USEAPI, apiframe_key=APIFRAME)
    with override_settings(FIELD_ENCRYPTION_KEYS=[OTHER_KEY]):
        response = alice_client.get("/settings/")
        page = response.content.decode()
        assert response.status_code == 200
        assert page.count("Re-enter this token") == 2
        assert "gAAAA" not in page
        with pytest.raises(credentials.CredentialProblem, match="Re-enter this token"):
            credentials.get_secret(alice, Service.USEAPI)
        # Re-entering it under the new key works.
        save(alice_client, useapi_token=USEAPI)
        assert credentials.get_secret(alice, Service.USEAPI) == USEAPI


def test_secrets_stay_out_of_the_session(alice_client):
    save(alice_client, useapi_token=USEAPI, apiframe_key=APIFRAME)
    session = alice_client.session
    dumped = repr(dict(session.items()))
    assert USEAPI not in dumped and APIFRAME not in dumped
