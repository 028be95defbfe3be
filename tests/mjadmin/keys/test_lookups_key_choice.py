"""A teammate with keys of several vendors that look up tasks chooses, on Settings, which one
serves their lookups; with one such key, it simply does."""

from mjadmin.audit.models import AuditEvent
from mjadmin.vendors import registry
from tests.fakes.fake_legnext import DEMO_LEGNEXT_KEY
from tests.fakes.fake_vendors import DEMO_APIFRAME_KEY
from tests.html import all_of, one, text, texts


def choice_shown(page) -> dict[str, bool]:
    radios = all_of(page, "input[name=lookups_vendor]")
    return {text(one(page, f"label[for={r['id']}]")): r.has_attr("checked") for r in radios}


def test_the_first_key_that_looks_up_tasks_serves_lookups(alice, alice_client):
    alice_client.post("/settings/", {"legnext_key": DEMO_LEGNEXT_KEY})
    key = registry.lookup_key_of(alice)
    assert (key.secret, key.api.vendor_name) == (DEMO_LEGNEXT_KEY, "Legnext")
    page = alice_client.get("/settings/")
    # One such key: nothing to choose, nothing said.
    assert choice_shown(page) == {}
    assert "serves your lookups" not in page.content.decode()


def test_with_two_keys_the_teammate_chooses_which_serves_lookups(alice, alice_client):
    alice_client.post("/settings/", {"apiframe_key": DEMO_APIFRAME_KEY})
    alice_client.post("/settings/", {"legnext_key": DEMO_LEGNEXT_KEY})
    page = alice_client.get("/settings/")
    assert choice_shown(page) == {"Apiframe": True, "Legnext": False}
    assert registry.lookup_key_of(alice).api.vendor_name == "Apiframe"

    chosen = alice_client.post("/settings/", {"lookups_vendor": "legnext"}, follow=True)

    assert texts(chosen, ".messages li") == ["Saved: lookups use Legnext."]
    assert choice_shown(chosen) == {"Apiframe": False, "Legnext": True}
    assert registry.lookup_key_of(alice).api.vendor_name == "Legnext"
    saved = AuditEvent.objects.filter(action="key_saved").values_list("detail", flat=True)
    assert sorted(saved) == ["Apiframe API key", "Legnext API key"]


def test_choosing_a_vendor_without_a_saved_key_is_refused_and_changes_nothing(alice, alice_client):
    alice_client.post("/settings/", {"apiframe_key": DEMO_APIFRAME_KEY}, follow=True)
    page = alice_client.post("/settings/", {"lookups_vendor": "legnext"}, follow=True)
    assert "Nothing was saved" in text(one(page, ".alert-error, .form-errors, [role=alert]"))
    assert registry.lookup_key_of(alice).api.vendor_name == "Apiframe"


def test_removing_the_key_that_serves_lookups_hands_them_to_the_next_one(alice, alice_client):
    alice_client.post("/settings/", {"apiframe_key": DEMO_APIFRAME_KEY}, follow=True)
    alice_client.post("/settings/", {"legnext_key": DEMO_LEGNEXT_KEY}, follow=True)
    alice_client.post("/settings/", {"remove_apiframe_key": "on"}, follow=True)
    assert registry.lookup_key_of(alice).api.vendor_name == "Legnext"
    # Said on Settings, and a key saved later does not take lookups over.
    alice_client.post("/settings/", {"midjourney_proxy_token": "mjp-demo-mjadmin-0123456789abcdef"})
    assert registry.lookup_key_of(alice).api.vendor_name == "Legnext"
    page = alice_client.get("/settings/")
    assert choice_shown(page) == {"Legnext": True, "midjourney-proxy": False}
