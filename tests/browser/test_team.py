"""Bringing a teammate in through /team/, by keyboard alone, at desktop and phone width."""

import pytest

from tests.browser.conftest import audit, make_user, sign_in, tab_to
from tests.fakes.fake_vendors import DEMO_APIFRAME_KEY

JOINER_PASSWORD = "a-Teammates-own-passphrase-58"


def press_enter_on(page, selector: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Enter")


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)], ids=["desktop", "phone"])
def test_an_admin_invites_a_teammate_who_joins_and_saves_a_key(app, width, height):
    make_user("olga", keys=False, admin=True)
    admin = app.new_page(width=width, height=height)
    sign_in(admin, "olga")

    admin.goto("/team/")
    audit(admin)
    press_enter_on(admin, "a[href='/team/invite/']")
    admin.wait_for_url("**/team/invite/")
    audit(admin)
    tab_to(admin, "#id_username")
    admin.keyboard.type("pavel")
    tab_to(admin, "main button[type=submit]")
    admin.keyboard.press("Enter")
    admin.wait_for_selector("#one-time-link")
    audit(admin)
    link = admin.input_value("#one-time-link")

    joiner = app.new_page(width=width, height=height)
    joiner.goto(link)
    assert "Your username is pavel" in joiner.locator("main").inner_text()
    audit(joiner)
    tab_to(joiner, "#id_password1")
    joiner.keyboard.type(JOINER_PASSWORD)
    tab_to(joiner, "#id_password2")
    joiner.keyboard.type(JOINER_PASSWORD)
    joiner.keyboard.press("Enter")
    joiner.wait_for_url("**/settings/")
    assert "Welcome to the team, pavel" in joiner.locator(".messages").inner_text()
    tab_to(joiner, "#id_apiframe_key")
    joiner.keyboard.type(DEMO_APIFRAME_KEY)
    tab_to(joiner, "main button[type=submit]")
    joiner.keyboard.press("Enter")
    joiner.wait_for_selector(".messages")
    audit(joiner)

    admin.goto("/team/")
    row = admin.locator("table.members tbody tr", has_text="pavel")
    assert row.locator("td[data-label='Apiframe API key']").inner_text().strip() == "saved"
    assert row.locator("td[data-label='useapi.net API token']").inner_text().strip() == (
        "not saved"
    )
    assert row.locator("td[data-label=Role]").inner_text().strip() == "member"
    audit(admin)

    # The same link a second time says plainly that it was used.
    again = app.new_page(width=width, height=height)
    again.goto(link)
    assert "already been used" in again.locator(".notice-text").inner_text()


def test_an_admin_makes_a_teammate_admin_after_a_confirmation(app):
    make_user("quinn", admin=True)
    make_user("rosa")
    admin = app.new_page()
    sign_in(admin, "quinn")
    admin.goto("/team/")
    row = admin.locator("table.members tbody tr", has_text="rosa")
    row.locator("a", has_text="Make admin").focus()
    admin.keyboard.press("Enter")
    assert admin.locator("h1").inner_text() == "Make rosa an admin?"
    audit(admin)
    press_enter_on(admin, "main form button[type=submit]")
    admin.wait_for_selector(".messages")
    assert "rosa is now an admin." in admin.locator(".messages").inner_text()
    assert row.locator("td[data-label=Role]").inner_text().strip() == "admin"
