"""The team's daily flows in a real Chromium against the live app and the local fake."""

import re
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command

from tasks.models import Lookup
from tests.browser.conftest import audit, make_user, paste, sign_in, signed_in_page, tab_to
from tests.conftest import PASSWORD
from tests.fakes.fake_vendors import (
    CHANNEL_HELD,
    DEMO_USEAPI_TOKEN,
    SEEDED_TASK_IDS,
    UNKNOWN_TASK_ID,
)

FINISHED, PENDING_PROGRESSING, PROCESSING = (
    SEEDED_TASK_IDS[0],
    SEEDED_TASK_IDS[1],
    SEEDED_TASK_IDS[4],
)
UPSCALE, FAILED = SEEDED_TASK_IDS[6], SEEDED_TASK_IDS[13]
MESSY = f"""2026-11-22 09:30:15 INFO imagine done task={FINISHED}
{PENDING_PROGRESSING}, {PROCESSING}
{{"task_id": "{UPSCALE}"}} {{"task_id": "{FAILED}"}}
{UNKNOWN_TASK_ID}
{FINISHED}  <- again
"""
EXPECTED_ORDER = [FINISHED, PENDING_PROGRESSING, PROCESSING, UPSCALE, FAILED, UNKNOWN_TASK_ID]


def card_ids(page) -> list[str]:
    return page.locator("article.task .task-id code").all_inner_texts()


def test_first_run_setup_link_creates_the_admin_and_lands_in_the_app(app):
    out = StringIO()
    call_command("first_run_link", "--base-url", app.url, stdout=out)
    link = re.search(r"(http://\S+/setup/\S+/)", out.getvalue()).group(1)
    page = app.new_page()
    page.goto(link)
    audit(page)
    page.fill("#id_username", "founder")
    page.fill("#id_email", "founder@example.com")
    page.fill("#id_password1", "a-Long-enough-passphrase-42")
    page.fill("#id_password2", "a-Long-enough-passphrase-42")
    page.click("main button[type=submit]")
    page.wait_for_url("**/settings/")
    assert "first admin" in page.locator(".messages").inner_text()
    assert page.locator(".nav-user").inner_text().startswith("founder")
    assert get_user_model().objects.get(username="founder").is_superuser
    # The link is dead now, even in another browser.
    other = app.new_page()
    other.goto(link)
    assert other.locator("h1").inner_text() == "This setup link is not valid"


def test_team_login_wrong_password_and_logout(app):
    make_user("bob")
    page = app.new_page()
    page.goto("/settings/")
    page.wait_for_url("**/login/?next=/settings/")
    audit(page)
    page.fill("#id_username", "bob")
    page.fill("#id_password", "not-the-password")
    page.click("main button[type=submit]")
    assert "Wrong username or password" in page.locator("[role=alert]").inner_text()
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/settings/")
    page.click("text=Log out")
    page.wait_for_url("**/login/")
    page.goto("/tasks/")
    assert "/login/" in page.url


def test_settings_save_both_keys_see_them_masked_remove_one(app):
    page = signed_in_page(app, "carol", keys=False)
    page.goto("/settings/")
    audit(page)
    page.fill("#id_useapi_token", "user:55-BrowserUseapiToken7781")
    page.fill("#id_apiframe_key", "af_browser_apiframe_key_4412")
    page.click("main button[type=submit]")
    status = page.locator(".key-status").inner_text()
    assert "••••7781" in status and "••••4412" in status
    assert "BrowserUseapiToken" not in page.content()
    assert page.input_value("#id_useapi_token") == ""
    page.check("#id_remove_apiframe_key")
    page.click("main button[type=submit]")
    assert "Apiframe API key removed" in page.locator(".messages").inner_text()
    assert "Not set" in page.locator(".key-status").inner_text()
    assert "••••7781" in page.locator(".key-status").inner_text()


def test_accounts_dashboard_held_account_stands_out_and_refresh_works(app, fake):
    page = signed_in_page(app, "dave")
    page.goto("/accounts/")
    audit(page)
    rows = page.locator("tbody tr")
    assert rows.count() == len(fake.useapi_accounts[DEMO_USEAPI_TOKEN])
    held = page.locator("tr.held")
    assert held.count() == 1
    assert CHANNEL_HELD in held.inner_text()
    assert "Held" in held.inner_text()
    held_bg = held.locator("td").first.evaluate("el => getComputedStyle(el).backgroundColor")
    ok_row = page.locator("tbody tr:not(.held)").first
    ok_bg = ok_row.locator("td").first.evaluate("el => getComputedStyle(el).backgroundColor")
    assert held_bg != ok_bg
    # Accounts that need attention come first.
    assert "held" in (rows.first.get_attribute("class") or "")
    calls = len(fake.requests_to("/v2/account/midjourney"))
    page.reload()
    assert len(fake.requests_to("/v2/account/midjourney")) == calls  # cached
    page.click("main button:has-text('Refresh')")
    page.wait_for_load_state()
    assert len(fake.requests_to("/v2/account/midjourney")) == calls + 1
    assert "Fetched at" in page.locator("main").inner_text()


def test_tasks_messy_paste_live_grid_filter_and_csv(app, fake):
    page = signed_in_page(app, "erin")
    page.goto("/tasks/")
    audit(page)
    page.fill("#id_ids", MESSY)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/tasks/[0-9a-f-]{36}/$"))
    assert card_ids(page) == EXPECTED_ORDER
    assert "1 duplicate dropped" in page.locator(".found-report").inner_text()
    audit(page)
    # Thumbnails really load (served by the fake) and are lazy.
    first = page.locator("article.task").first.locator("img").first
    first.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=first.element_handle()
    )
    assert first.get_attribute("loading") == "lazy"
    # Running tasks finish on screen without a reload, and what the reader opened stays open.
    page.evaluate("window.__sameDocument = true")
    running = page.locator("article.task[data-group=running], article.task[data-group=pending]")
    assert running.count() >= 1
    processing_card = page.locator(f"article.task:has-text('{PROCESSING}')")
    finished_card = page.locator(f"article.task:has-text('{FINISHED}')")
    processing_card.locator("summary").click()
    finished_card.locator("summary").click()
    page.wait_for_selector('#live[data-polling="false"]', timeout=45_000)
    assert page.evaluate("window.__sameDocument") is True
    assert processing_card.locator(".badge").inner_text() == "✓ finished"
    assert processing_card.locator("details").evaluate("d => d.open") is True
    assert '"percentage": 100' in processing_card.locator("pre").inner_text()
    assert finished_card.locator("details").evaluate("d => d.open") is True
    # Filter by status.
    page.click("a.tile:has-text('failed')")
    assert card_ids(page) == [FAILED]
    page.click("a.tile:has-text('all')")
    assert card_ids(page) == EXPECTED_ORDER
    # Download CSV.
    with page.expect_download() as download:
        page.click("text=Download CSV")
    body = download.value.path().read_text(encoding="utf-8")
    assert body.splitlines()[0].startswith("position,task_id,mjadmin_status")
    assert [line.split(",")[1] for line in body.splitlines()[1:]] == EXPECTED_ORDER


def test_a_teammate_opens_the_same_lookup_from_the_history(app, fake):
    page = signed_in_page(app, "frank")
    paste(page, f"{FINISHED}\n{FAILED}")
    lookup_url = page.url

    teammate = signed_in_page(app, "grace")
    teammate.goto("/tasks/history/")
    audit(teammate)
    row = teammate.locator("table.history tbody tr").first
    assert "frank" in row.inner_text()
    row.locator("a", has_text="Open").click()
    teammate.wait_for_url(lookup_url)
    assert card_ids(teammate) == [FINISHED, FAILED]
    assert "by frank" in teammate.locator("main").inner_text()


def test_keyboard_only_sign_in_and_lookup(app, fake):
    make_user("heidi")
    page = app.new_page()
    page.goto("/login/")
    tab_to(page, "#id_username")
    page.keyboard.type("heidi")
    tab_to(page, "#id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login/" not in url)
    page.goto("/tasks/")
    tab_to(page, "#id_ids")
    page.keyboard.type(f"{FINISHED} {UPSCALE}")
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/tasks/[0-9a-f-]{36}/$"))
    assert card_ids(page) == [FINISHED, UPSCALE]
    assert Lookup.objects.count() == 1


def test_a_locked_out_teammate_is_let_back_in_by_an_admin(app, fake):
    make_user("kim")
    guesser = app.new_page()
    for _ in range(5):
        guesser.goto("/login/")
        guesser.fill("#id_username", "kim")
        guesser.fill("#id_password", "not-the-password")
        guesser.click("main button[type=submit]")
    assert guesser.locator("h1").inner_text() == "Too many failed sign-ins"
    audit(guesser)

    admin = app.new_page()
    make_user("lena", admin=True)
    sign_in(admin, "lena")
    admin.click("nav >> text=Team")
    admin.locator("table.members tbody tr", has_text="kim").locator("text=locked out").click()
    row = admin.locator("tbody tr", has_text="kim")
    row.locator("button", has_text="Unlock").focus()
    admin.keyboard.press("Enter")
    admin.wait_for_selector(".messages")
    assert "kim can sign in again" in admin.locator(".messages").inner_text()
    audit(admin)

    sign_in(guesser, "kim")
    admin.goto("/audit/?who=kim")
    events = admin.locator("table.audit tbody td[data-label=Event]").all_inner_texts()
    assert {"signed in", "unlocked", "locked out", "sign-in failed"} <= set(events)
