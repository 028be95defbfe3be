"""Issue 12's promise in a real Chromium: a teammate whose Apiframe key is for the v2 API and one
whose key is for the original API look up the demo's sample and see the same gallery."""

from mjadmin.keys import credentials
from tests.browser.conftest import audit, make_user, paste, sign_in
from tests.fakes.fake_vendors import (
    DEMO_APIFRAME_V2_KEY,
)
from tests.tasks.pages import SAMPLE, SAMPLE_IDS

# What a teammate sees of each card once every task is over, read in the page itself: its ID,
# badge, kind, images (where each points and what it says it is), videos, prompt, seed/sref and
# error.
CARDS = """() => [...document.querySelectorAll("#live-results article.task")].map(card => ({
  id: card.querySelector(".task-id code").textContent.trim(),
  badge: card.querySelector(".badge").textContent.trim().replace(/\\s+/g, " "),
  kind: [...card.querySelectorAll(".task-head .muted")]
    .map(e => e.textContent.trim()).filter(t => t.startsWith("·")),
  images: [...card.querySelectorAll(".thumbs img")].map(i => [i.getAttribute("src"), i.alt]),
  videos: [...card.querySelectorAll(".task-media p a")].map(a => a.getAttribute("href")),
  prompt: [...card.querySelectorAll(".prompt")].map(e => e.textContent.trim()),
  meta: [...card.querySelectorAll(".task-meta")].map(e => e.textContent.trim()),
  error: [...card.querySelectorAll(".error")].map(e => e.textContent.trim()),
}))"""


def looked_up(app, username: str) -> list[dict]:
    page = app.new_page()
    sign_in(page, username)
    paste(page, SAMPLE)
    # The running ones finish on screen, polled by the page itself.
    page.wait_for_selector('#live[data-polling="false"]', timeout=45_000)
    audit(page)
    return page.evaluate(CARDS)


def test_a_v2_teammate_and_a_v1_teammate_see_the_same_gallery_of_the_demo_sample(app, fake):
    make_user("ann")  # the fake's v1 key
    ben = make_user("ben")
    credentials.save_secret(ben, "apiframe", DEMO_APIFRAME_V2_KEY, api="v2")

    with_v1 = looked_up(app, "ann")
    with_v2 = looked_up(app, "ben")

    assert [card["id"] for card in with_v2] == SAMPLE_IDS
    assert with_v2 == with_v1
    badges = [card["badge"] for card in with_v2]
    assert badges == ["✓ finished"] * 4 + ["✕ failed"] + ["✓ finished"] * 3 + ["? not found"]
    assert len(with_v2[0]["images"]) == 5  # the grid and its four images
    # Each teammate's calls went to their own API.
    v2_calls = [r for r in fake.requests if r.path.startswith("/apiframe-v2/v2/jobs/")]
    assert {r.headers["x-api-key"] for r in v2_calls} == {DEMO_APIFRAME_V2_KEY}
    assert {r.path.rsplit("/", 1)[1] for r in v2_calls} == set(SAMPLE_IDS)
