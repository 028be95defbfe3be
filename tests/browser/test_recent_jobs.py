"""Recent jobs and a key's credits in a real Chromium: a teammate with a v2 key sees the key's
figures filled in beside the paste form, opens Recent jobs from there, filters it and looks a
page up; a teammate with a v1 key is told why there is no list. Every page axe-clean, with no
console error or CSP violation (the app fixture checks)."""

import re

from django.core.cache import cache

from mjadmin.keys import credentials
from tasks.models import Lookup
from tests.browser.conftest import RESULTS_URL, audit, make_user, sign_in
from tests.fakes.fake_vendors import DEMO_APIFRAME_V2_KEY


def figures(page) -> dict[str, str]:
    rows = page.locator("#key-account .key-row")
    return {
        rows.nth(n).locator("dt").inner_text(): rows.nth(n).locator("dd").inner_text()
        for n in range(rows.count())
    }


def listed(page) -> list[str]:
    return page.locator("#jobs tbody th code").all_inner_texts()


def test_a_v2_teammate_filters_recent_jobs_and_looks_a_page_up(app, fake):
    vera = make_user("vera", keys=False)
    credentials.save_secret(vera, "apiframe", DEMO_APIFRAME_V2_KEY, api="v2")
    page = app.new_page()
    sign_in(page, "vera")

    # Signing in landed on Tasks, whose script asked for the figures: once they are in (and
    # cached), forget them, so the next visit is served without them.
    page.wait_for_selector("#key-account .key-account-figures")
    cache.clear()
    served = page.goto("/tasks/").text()
    # Filled in by the page's script after the page itself was served without them.
    assert 'data-src="/tasks/key-account/?partial=1"' in served
    assert "48,250" not in served
    page.wait_for_selector("#key-account .key-account-figures")
    assert figures(page)["Plan"] == "Pro"
    assert figures(page)["Credits"] == "48,250"
    audit(page)

    page.click("#recent-jobs-link")
    page.wait_for_url("**/tasks/jobs/")
    assert len(listed(page)) == 18
    audit(page)

    page.select_option("#id_status", "finished")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url(re.compile(r".*/tasks/jobs/\?status=finished.*"))
    shown = listed(page)
    badges = page.locator("#jobs tbody td[data-label=Status] .badge:first-child")
    assert set(badges.all_inner_texts()) == {"✓ finished"}
    audit(page)

    page.locator("#jobs tbody th a").first.click()
    page.wait_for_url(f"**/tasks/jobs/{shown[0]}/")
    assert page.locator("article.task .task-id code").inner_text() == shown[0]
    audit(page)
    page.go_back()

    page.click("form#look-up-jobs button")
    page.wait_for_url(RESULTS_URL)
    cards = page.locator("#live-results article.task .task-id code").all_inner_texts()
    assert cards == shown
    lookup = Lookup.objects.get()
    assert lookup.name == "Recent jobs: finished"
    assert list(lookup.results.values_list("task_id", flat=True)) == shown
    audit(page)


def test_a_v1_teammate_is_told_recent_jobs_needs_a_v2_key(app, fake):
    make_user("walt")
    page = app.new_page()
    sign_in(page, "walt")
    page.goto("/tasks/")
    page.wait_for_selector("#key-account .key-account-figures")
    assert page.locator("#recent-jobs-link").count() == 0
    page.goto("/tasks/jobs/")
    said = page.locator("#needs-v2").inner_text()
    assert said.startswith("Recent jobs lists the jobs of an Apiframe v2 key")
    audit(page)
