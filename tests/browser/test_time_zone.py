"""A browser in Tokyo sees times in Tokyo time from its first page on, with UTC on hover."""

from datetime import UTC
from zoneinfo import ZoneInfo

from tasks.models import Lookup
from tests.browser.conftest import audit, make_user, paste, sign_in
from tests.fakes.fake_vendors import SEEDED_TASK_IDS


def test_a_browser_in_tokyo_sees_tokyo_time_and_utc_on_hover(app):
    make_user("kenji")
    page = app.new_page(timezone_id="Asia/Tokyo")
    # The sign-in page is the first this browser loads; nothing else tells the server its zone.
    sign_in(page, "kenji")
    paste(page, SEEDED_TASK_IDS[0])
    made = Lookup.objects.get().created_at

    page.goto("/tasks/history/")
    shown = page.locator("table.history tbody tr td[data-label=When] time")
    tokyo = made.astimezone(ZoneInfo("Asia/Tokyo"))
    assert shown.inner_text().strip() == tokyo.strftime("%Y-%m-%d %H:%M JST")
    assert shown.get_attribute("datetime").endswith("+09:00")
    assert shown.get_attribute("title") == made.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")

    page.goto("/profile/")
    in_use = page.locator("#zone-in-use").inner_text()
    assert in_use == "Times are shown in Asia/Tokyo, from this browser."
    audit(page)
