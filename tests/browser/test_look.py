"""Every page at desktop and phone width, light and dark: readable, accessible, no overflow.

Set MJADMIN_SCREENSHOTS=docs/screenshots (`make screenshots`) to refresh the README's pictures.
"""

import os
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from mjadmin.keys import credentials
from tests.browser.conftest import audit, make_user, paste, sign_in, signed_in_page
from tests.fakes.fake_vendors import EMPTY_USEAPI_TOKEN, SEEDED_TASK_IDS, UNKNOWN_TASK_ID

SCREENSHOTS = os.environ.get("MJADMIN_SCREENSHOTS")
SAMPLE = "\n".join([*SEEDED_TASK_IDS[:8], SEEDED_TASK_IDS[13], UNKNOWN_TASK_ID])


def shoot(page, name: str, tmp_path: Path) -> None:
    folder = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=folder / f"{name}.png", full_page=False)


def statuses_are_not_colour_alone(page) -> None:
    for badge in page.locator(".badge").all():
        assert re.search(r"\w", badge.inner_text()), "a status badge with no words"


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_every_page_looks_right(app, fake, tmp_path, width, dark):
    make_user("ivy", admin=True)
    scheme = "dark" if dark else "light"
    size = "" if width == 1280 else "-phone"
    page = app.new_page(width=width, height=800 if width == 1280 else 844, dark=dark)

    page.goto("/login/")
    audit(page)
    if width == 1280:
        shoot(page, f"login-{scheme}", tmp_path)
    sign_in(page, "ivy")

    page.goto("/accounts/")
    page.wait_for_selector("tr.held")
    audit(page)
    statuses_are_not_colour_alone(page)
    shoot(page, f"accounts-{scheme}{size}", tmp_path)
    if width < 640:
        # The table turns into one card per account.
        assert (
            page.locator("table.stack tbody tr").first.evaluate(
                "el => getComputedStyle(el).display"
            )
            == "block"
        )

    page.goto(page.locator("tbody a").first.get_attribute("href"))
    audit(page)

    paste(page, SAMPLE)
    audit(page)
    statuses_are_not_colour_alone(page)
    shoot(page, f"tasks-results-{scheme}{size}", tmp_path)

    page.goto("/tasks/")
    audit(page)

    page.goto("/settings/")
    audit(page)
    if width == 1280:
        shoot(page, f"settings-{scheme}", tmp_path)

    page.goto("/password/")
    audit(page)

    page.goto("/audit/")
    assert page.locator("table.audit tbody tr").count() >= 1
    audit(page)

    page.goto("/team/locks/")
    audit(page)


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_empty_states_say_what_to_do_next(app, fake, width):
    page = signed_in_page(app, "judy", keys=False, width=width)

    page.goto("/accounts/")
    assert "You have not saved your useapi.net API token yet." in page.inner_text("main")
    assert page.locator("main a[href='/settings/']").count() == 1
    audit(page)

    page.goto("/tasks/")
    text = page.inner_text("main")
    assert "No key that looks up tasks saved yet" in text
    assert "No lookups yet." in text
    audit(page)

    page.goto("/settings/")
    assert page.locator(".key-status").inner_text().count("Not set") == 4  # every vendor's
    audit(page)

    judy = get_user_model().objects.get(username="judy")
    credentials.save_secret(judy, "useapi", EMPTY_USEAPI_TOKEN)
    page.goto("/accounts/")
    assert "No Midjourney configuration" in page.inner_text("main")
    assert page.locator("a", has_text="How to add an account at useapi.net").count() == 1
    audit(page)
