"""APIFRAME_AUTH_SCHEME: the original (v1) API sent the raw key, as its docs and first client do,
or "Bearer <key>", as its newer SDK does; end to end through the paste form, against a fake that
takes only one of them."""

import pytest

from tasks.models import Lookup
from tests.fakes.fake_vendors import DEMO_APIFRAME_KEY, SEEDED_TASK_IDS
from tests.tasks.pages import badge, card_ids, look_up, new_ids, pasted_text
from tests.test_vendor_faults import message_shown

REJECTED = ("Key rejected", "Apiframe rejected your API key. Check it on the Settings page.")


def test_bearer_sends_every_call_as_bearer_and_the_lookup_works(
    alice_client, alice_keys, fake, settings
):
    settings.APIFRAME_AUTH_SCHEME = fake.apiframe_auth_scheme = "bearer"
    ids = [*new_ids(fake, 20), SEEDED_TASK_IDS[13]]  # one fetch-many of 20, one fetch of 1
    response = look_up(alice_client, "\n".join(ids))
    assert card_ids(response) == ids
    assert [badge(response, i) for i in ids] == ["✓ finished"] * 20 + ["✕ failed"]
    assert {r.path for r in fake.requests} == {"/fetch-many", "/fetch"}
    assert {r.headers["authorization"] for r in fake.requests} == {f"Bearer {DEMO_APIFRAME_KEY}"}


def test_raw_is_the_default_and_sends_the_key_alone(alice_client, alice_keys, fake, settings):
    assert settings.APIFRAME_AUTH_SCHEME == "raw"
    look_up(alice_client, SEEDED_TASK_IDS[0])
    assert [r.headers["authorization"] for r in fake.requests] == [DEMO_APIFRAME_KEY]


@pytest.mark.parametrize(("app", "vendor"), [("raw", "bearer"), ("bearer", "raw")])
def test_the_other_scheme_is_a_rejected_key_and_the_paste_stays(
    alice_client, alice_keys, fake, settings, app, vendor
):
    settings.APIFRAME_AUTH_SCHEME, fake.apiframe_auth_scheme = app, vendor
    pasted = " ".join(SEEDED_TASK_IDS[:3])
    response = alice_client.post("/tasks/", {"ids": pasted})
    assert message_shown(response) == REJECTED
    assert pasted_text(response) == pasted
    assert not Lookup.objects.exists()


def test_a_vendor_echoing_a_bearer_key_shows_neither_the_key_nor_the_scheme_with_it(
    alice_client, alice_keys, fake, settings
):
    settings.APIFRAME_AUTH_SCHEME = fake.apiframe_auth_scheme = "bearer"
    fake.set_fault("echo-key")
    response = alice_client.post("/tasks/", {"ids": " ".join(SEEDED_TASK_IDS[:2])})
    assert message_shown(response)[0] == "Request refused"
    assert DEMO_APIFRAME_KEY not in response.content.decode()
    # The fake matched the fault by the key itself, not by "Bearer <key>".
    assert fake.requests[0].fault == "echo-key"
