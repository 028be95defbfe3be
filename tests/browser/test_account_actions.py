"""Resetting the demo's held account from the Accounts page, by keyboard, with its
confirmation, at desktop and phone width; then the audit log says who did it."""

import pytest

from tests.browser.conftest import audit, make_user, sign_in, tab_to
from tests.fakes.fake_vendors import CHANNEL_HELD, DEMO_USEAPI_TOKEN, HELD_MESSAGE


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)], ids=["desktop", "phone"])
def test_a_teammate_resets_the_held_account_after_reading_its_message(app, fake, width, height):
    make_user("sam", admin=True)
    page = app.new_page(width=width, height=height)
    sign_in(page, "sam")

    page.goto("/accounts/")
    held = page.locator("tbody tr.held")
    assert held.locator(".badge").inner_text() == "⚠ Held"
    audit(page)
    tab_to(page, f"a[href='/accounts/{CHANNEL_HELD}/reset/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/accounts/{CHANNEL_HELD}/reset/")

    assert page.locator("h1").inner_text() == f"Reset account {CHANNEL_HELD}?"
    message = page.locator("blockquote.mod-message")
    assert message.inner_text() == HELD_MESSAGE
    discord = message.locator("a")
    assert discord.get_attribute("href") == (
        f"https://discord.com/channels/1191564822501396530/{CHANNEL_HELD}/1573983255944900635"
    )
    audit(page)
    assert fake.useapi_accounts[DEMO_USEAPI_TOKEN][CHANNEL_HELD]["pendingModMessage"]
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")

    page.wait_for_url("**/accounts/")
    assert page.locator(".messages").inner_text() == (
        f"Account {CHANNEL_HELD} is reset: useapi.net puts it back in rotation."
    )
    assert page.locator("tbody tr.held").count() == 0
    row = page.locator("tbody tr", has_text=CHANNEL_HELD)
    assert row.locator(".badge").inner_text() == "✓ OK"
    assert "pendingModMessage" not in fake.useapi_accounts[DEMO_USEAPI_TOKEN][CHANNEL_HELD]
    audit(page)

    page.goto("/audit/?action=account_reset")
    event = page.locator("table.audit tbody tr")
    assert event.count() == 1
    assert event.locator("td[data-label=Who]").inner_text() == "sam"
    assert event.locator("td[data-label=About]").inner_text() == CHANNEL_HELD
    assert event.locator("td[data-label=Detail]").inner_text() == (
        "done: the moderation hold is cleared"
    )
    audit(page)


def test_cancelling_the_confirmation_resets_nothing(app, fake):
    make_user("tia")
    page = app.new_page()
    sign_in(page, "tia")
    page.goto(f"/accounts/{CHANNEL_HELD}/reset/")
    page.locator("main a", has_text="Cancel").click()
    page.wait_for_url("**/accounts/")
    assert page.locator("tbody tr.held").count() == 1
    assert [r.method for r in fake.requests if "/reset" in r.path] == []
