"""In a real Chromium: a teammate on each of the four vendors' APIs (Apiframe v1 and v2, Legnext,
midjourney-proxy) looks up the demo's sample and sees the same gallery, card for card; and a
midjourney-proxy account is disabled and enabled again from the Accounts pages, two audit rows."""

from mjadmin.audit.models import AuditEvent
from mjadmin.keys import credentials
from tests.browser.conftest import audit, make_user, paste, sign_in
from tests.fakes.fake_legnext import DEMO_LEGNEXT_KEY
from tests.fakes.fake_midjourney_proxy import (
    ACCOUNT_ENABLED_ID,
    ADMIN_MJ_PROXY_TOKEN,
    DEMO_MJ_PROXY_TOKEN,
)
from tests.fakes.fake_vendors import DEMO_APIFRAME_V2_KEY
from tests.tasks.pages import SAMPLE
from tests.tasks.test_every_vendor_looks_the_same import PROXY_SAMPLE

# Each card as a teammate sees it once every task is over: its badge, images (where each points
# and what it says it is, the vendor's own id aside), videos and error.
CARDS = """() => [...document.querySelectorAll("#live-results article.task")].map(card => {
  const id = card.querySelector(".task-id code").textContent.trim();
  return {
    badge: card.querySelector(".badge").textContent.trim().replace(/\\s+/g, " "),
    images: [...card.querySelectorAll(".thumbs img")]
      .map(i => [i.getAttribute("src"), i.alt.replace(id, "<id>")]),
    videos: [...card.querySelectorAll(".task-media p a")].map(a => a.getAttribute("href")),
    error: [...card.querySelectorAll(".error")].map(e => e.textContent.trim()),
  };
})"""


def looked_up(app, username: str, pasted: str) -> list[dict]:
    page = app.new_page()
    sign_in(page, username)
    paste(page, pasted)
    page.wait_for_selector('#live[data-polling="false"]', timeout=45_000)
    audit(page)
    return page.evaluate(CARDS)


def test_a_teammate_on_each_vendor_sees_the_same_gallery_of_the_demo_sample(app, fake):
    make_user("ann")  # Apiframe's original API
    teammates = {
        "ben": ("apiframe", DEMO_APIFRAME_V2_KEY, "v2"),
        "cat": ("legnext", DEMO_LEGNEXT_KEY, None),
        "dan": ("midjourney_proxy", DEMO_MJ_PROXY_TOKEN, None),
    }
    for username, (vendor, key, api) in teammates.items():
        user = make_user(username, keys=False)
        credentials.save_secret(user, vendor, key, api=api)

    on_v1 = looked_up(app, "ann", SAMPLE)
    assert [card["badge"] for card in on_v1] == (
        ["✓ finished"] * 4 + ["✕ failed"] + ["✓ finished"] * 3 + ["? not found"]
    )
    assert len(on_v1[0]["images"]) == 5  # the grid and its four images
    assert looked_up(app, "ben", SAMPLE) == on_v1
    assert looked_up(app, "cat", SAMPLE) == on_v1
    assert looked_up(app, "dan", PROXY_SAMPLE) == on_v1
    # Each vendor was asked by its own teammate.
    assert any(r.path.startswith("/legnext/api/v1/job/") for r in fake.requests)
    assert any(r.path == "/mjproxy/mj/task/list-by-condition" for r in fake.requests)


def test_a_proxy_account_is_disabled_and_enabled_again_from_the_accounts_page(app, fake):
    user = make_user("eve")
    credentials.save_secret(user, "midjourney_proxy", ADMIN_MJ_PROXY_TOKEN)
    page = app.new_page()
    sign_in(page, "eve")
    page.goto("/accounts/")
    page.click("text=midjourney-proxy accounts")
    row = page.locator(f"#account-{ACCOUNT_ENABLED_ID}")
    audit(page)

    row.get_by_role("link", name="Disable 1170809721663422494").click()
    page.get_by_role("button", name="Disable account").click()
    page.wait_for_selector(".messages li")
    assert row.locator(".account-status").inner_text().strip() == "disabled"
    assert fake.mj_proxy.accounts[ACCOUNT_ENABLED_ID]["enable"] is False

    row.get_by_role("link", name="Enable 1170809721663422494").click()
    page.get_by_role("button", name="Enable account").click()
    page.wait_for_selector(".messages li")
    assert row.locator(".account-status").inner_text().strip() == "enabled"

    events = AuditEvent.objects.order_by("at", "id").values_list("action", flat=True)
    assert [e for e in events if e.startswith("proxy_account")] == [
        "proxy_account_disabled",
        "proxy_account_enabled",
    ]
