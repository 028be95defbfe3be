"""Which Apiframe API a teammate's key is for: chosen on the Settings page, kept beside the key,
changed without pasting the key again."""

import pytest
from django.test import override_settings

from mjadmin.audit.models import Action, AuditEvent
from mjadmin.keys import credentials
from tests.html import all_of, definition, field_errors, messages, one, text, text_of, texts
from tests.mjadmin.keys.test_settings_page import OTHER_KEY, masked, save, whole_page

V2_KEY = "afk_live_8d2e4f6a1b3c5d7e"
V1_KEY = "af_live_3c9f1e2d7b6a5c4d"
# The question's own fieldset, inside the Apiframe one.
CHOICE = "fieldset fieldset:has(input[name=apiframe_api])"


def choice(page) -> dict[str, bool]:
    """The radio buttons of the Apiframe API question: label -> checked."""
    return {
        text(label): one(label, "input[name=apiframe_api]").has_attr("checked")
        for label in all_of(page, f"{CHOICE} label")
    }


def test_the_original_api_is_the_default_and_says_so(alice_client):
    page = alice_client.get("/settings/")
    assert text_of(page, f"{CHOICE} > legend") == ("Which Apiframe API this key is for")
    assert choice(page) == {
        "The original API (v1)": True,
        "The v2 API (its keys start with afk_)": False,
    }


def test_a_key_saved_with_v2_is_for_v2(alice, alice_client):
    response = save(alice_client, apiframe_key=V2_KEY, apiframe_api="v2")
    assert messages(response) == [
        "Saved: Apiframe API key; Apiframe API: The v2 API (its keys start with afk_)."
    ]
    assert credentials.get_secret_and_api(alice, "apiframe") == (V2_KEY, "v2")
    assert choice(response)["The v2 API (its keys start with afk_)"] is True
    row = definition(response, "Apiframe API key")
    saved_at, for_api = texts(row, ".muted")
    assert saved_at.startswith("saved ")
    assert for_api == "for the v2 API (its keys start with afk_)"
    assert text(row).endswith(f"{saved_at} {for_api}")  # one phrase, no stray comma
    assert masked(response, "apiframe") == "••••5d7e"


def test_changing_the_api_keeps_the_key_without_typing_it_again(alice, alice_client):
    save(alice_client, apiframe_key=V1_KEY)
    assert credentials.get_secret_and_api(alice, "apiframe") == (V1_KEY, "v1")
    response = save(alice_client, apiframe_api="v2")
    assert messages(response) == [
        "Saved: Apiframe API: The v2 API (its keys start with afk_).",
        LOOKS_V1,
    ]
    assert credentials.get_secret_and_api(alice, "apiframe") == (V1_KEY, "v2")
    assert whole_page(response).count(V1_KEY) == 0
    event = AuditEvent.objects.filter(action=Action.KEY_SAVED).latest("at")
    assert event.detail == "Apiframe API: The v2 API (its keys start with afk_)"
    response = save(alice_client, apiframe_api="v1")
    assert credentials.get_secret_and_api(alice, "apiframe") == (V1_KEY, "v1")
    assert messages(response) == ["Saved: Apiframe API: The original API (v1)."]


# A warning, not an error: afk_ is Apiframe's habit for v2 keys, not a documented rule.
LOOKS_V2 = (
    "Your Apiframe key starts with afk_, like a key for the v2 API, but is saved for the "
    "original API (v1). If Apiframe rejects it, choose the v2 API below and save: the key is "
    "kept."
)
LOOKS_V1 = (
    "Your Apiframe key does not start with afk_, like a key for the original API (v1), but is "
    "saved for the v2 API, whose keys do. If Apiframe rejects it, choose the original API below "
    "and save: the key is kept."
)


def warnings(response) -> list[str]:
    return [text(li) for li in all_of(response, ".messages li.message-warning")]


def test_a_v2_looking_key_saved_for_v1_is_saved_with_a_warning(alice, alice_client):
    response = save(alice_client, apiframe_key=V2_KEY, apiframe_api="v1")
    assert messages(response)[0] == "Saved: Apiframe API key."
    assert warnings(response) == [LOOKS_V2]
    assert credentials.get_secret_and_api(alice, "apiframe") == (V2_KEY, "v1")
    assert V2_KEY not in whole_page(response)


def test_a_v1_looking_key_saved_for_v2_is_saved_with_a_warning(alice, alice_client):
    response = save(alice_client, apiframe_key=V1_KEY, apiframe_api="v2")
    assert warnings(response) == [LOOKS_V1]
    assert credentials.get_secret_and_api(alice, "apiframe") == (V1_KEY, "v2")


def test_a_kept_key_is_warned_about_when_saved_again_for_the_api_it_does_not_look_like(
    alice_client,
):
    save(alice_client, apiframe_key=V2_KEY, apiframe_api="v2")
    response = save(alice_client, apiframe_api="v1")
    assert warnings(response) == [LOOKS_V2]
    # Still said while it stays so, even when nothing else changed.
    assert warnings(save(alice_client, apiframe_api="v1")) == [LOOKS_V2]


@pytest.mark.parametrize(("key", "api"), [(V2_KEY, "v2"), (V1_KEY, "v1"), (V1_KEY, "")])
def test_a_key_that_looks_like_its_apis_is_not_warned_about(alice_client, key, api):
    assert warnings(save(alice_client, apiframe_key=key, apiframe_api=api)) == []


def test_the_same_choice_again_changes_nothing(alice, alice_client):
    save(alice_client, apiframe_key=V2_KEY, apiframe_api="v2")
    response = save(alice_client, apiframe_api="v2")
    assert messages(response) == ["Nothing changed: every field was left blank."]


def test_a_new_key_without_a_choice_keeps_the_saved_choice(alice, alice_client):
    # An older form (or a script) that posts only the key.
    save(alice_client, apiframe_key=V2_KEY, apiframe_api="v2")
    save(alice_client, apiframe_key="afk_live_another_key_0042")
    assert credentials.get_secret_and_api(alice, "apiframe") == (
        "afk_live_another_key_0042",
        "v2",
    )


def test_a_key_that_can_no_longer_be_decrypted_keeps_its_api_chosen(alice, alice_client):
    save(alice_client, apiframe_key=V2_KEY, apiframe_api="v2")
    with override_settings(FIELD_ENCRYPTION_KEYS=[OTHER_KEY]):
        page = alice_client.get("/settings/")
    assert text(definition(page, "Apiframe API key")).startswith("Unreadable")
    assert choice(page) == {
        "The original API (v1)": False,
        "The v2 API (its keys start with afk_)": True,
    }


def test_choosing_v2_without_any_key_says_the_key_is_needed(alice, alice_client):
    response = save(alice_client, apiframe_api="v2")
    assert messages(response) == [
        "The Apiframe API was not saved: it is kept with your Apiframe key, and none is saved "
        "yet. Paste the key, choose its API, then save."
    ]
    assert not credentials.has_secret(alice, "apiframe")


def test_removing_the_key_with_a_choice_removes_it(alice, alice_client):
    save(alice_client, apiframe_key=V2_KEY, apiframe_api="v2")
    response = save(alice_client, remove_apiframe_key="on", apiframe_api="v1")
    assert messages(response) == ["Saved: Apiframe API key removed."]
    assert not credentials.has_secret(alice, "apiframe")


@pytest.mark.parametrize("value", ["v3", "V2", "<script>", "v2\x00"])
def test_an_unknown_api_is_refused_and_nothing_is_saved(alice, alice_client, value):
    response = save(alice_client, apiframe_key=V2_KEY, apiframe_api=value)
    errors = texts_of_choice_errors(response)
    assert errors and errors[0].startswith("Select a valid choice.")
    assert not credentials.has_secret(alice, "apiframe")
    assert V2_KEY not in whole_page(response)


def texts_of_choice_errors(response) -> list[str]:
    return [text(p) for p in all_of(response, f"{CHOICE} p.error")]


def test_the_other_fields_errors_are_unchanged(alice_client):
    response = save(alice_client, apiframe_key="short", apiframe_api="v2")
    assert field_errors(response, "apiframe_key")
    assert texts_of_choice_errors(response) == []
