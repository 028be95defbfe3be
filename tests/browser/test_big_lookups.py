"""A 2,000-ID paste in a real browser: the page opens with the first answers, the rest fill in
on screen without a reload, page by page."""

import re
import time
import uuid

import pytest

from tasks.models import Lookup
from tests.browser.conftest import audit, signed_in_page


@pytest.fixture
def fillers_done(transactional_db):
    """However the test ends, its lookup's filler finishes before the database is emptied."""
    yield
    until = time.monotonic() + 60
    while Lookup.objects.filter(filling_until__isnull=False).exists():
        assert time.monotonic() < until, "a lookup was still filling a minute later"
        time.sleep(0.1)


def test_a_2000_id_paste_fills_in_progressively(app, fake, settings, fillers_done):
    ids = [str(uuid.uuid4()) for _ in range(2000)]
    for task_id in ids:
        fake.add_task({"task_id": task_id, "task_type": "imagine", "status": "finished"})
    fake.latency = 0.3
    settings.TASKS_LOOKUP_CALLS = 10  # the first page, then 98 calls, 10 at a time, filling in
    page = signed_in_page(app, "uma")
    page.goto("/tasks/")
    # Pasted in one go, as a paste does (typing 74 KB key by key would take minutes).
    page.eval_on_selector("#id_ids", "(box, text) => { box.value = text; }", "\n".join(ids))
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/tasks/[0-9a-f-]{36}/$"))
    page.evaluate("window.__sameDocument = true")
    status = page.locator("#live-status")
    # The page opens once the first page is in; the rest take ten rounds of 0.3 s.
    still = re.search(r"Still asking Apiframe for (\d+) of 2000 IDs", status.inner_text())
    assert still is not None and 0 < int(still[1]) <= 1960
    cards = page.locator("article.task")
    assert cards.count() == 36  # one page of tiles, whatever the lookup's size
    badges = cards.locator(".badge").all_inner_texts()
    assert badges == ["✓ finished"] * 36
    audit(page)
    page.wait_for_selector('#live[data-filling="false"]', timeout=60_000)
    assert page.evaluate("window.__sameDocument") is True
    assert "Still asking" not in status.inner_text()
    finished = page.locator("a.tile:has-text('finished') .value")
    assert finished.inner_text() == "2000"
    page.click("nav.pagination >> text=Next")
    assert page.locator("article.task").first.locator("code").first.inner_text() == ids[36]
