"""The account forms as a new user sees them: the maxJobs field drawn like every other field, and
an account's actions drawn as buttons, Delete as the dangerous one."""

from tests.browser.conftest import audit, signed_in_page
from tests.fakes.fake_vendors import CHANNEL_PRO

# What makes a field look like the app's own rather than the browser's default.
LOOK = """el => {
  const s = getComputedStyle(el);
  return {padding: s.paddingLeft, radius: s.borderTopLeftRadius, border: s.borderTopColor,
          font: s.fontSize, width: el.getBoundingClientRect().width};
}"""


def test_the_maxjobs_field_looks_like_the_discord_token_field(app, fake):
    page = signed_in_page(app, "una")
    page.goto("/accounts/add/?max_jobs=4")
    token = page.locator("input[name=discord_token]").evaluate(LOOK)
    page.goto("/accounts/add/?max_jobs=16")
    audit(page)
    max_jobs = page.locator("input[name=max_jobs]")
    look = max_jobs.evaluate(LOOK)
    assert {k: look[k] for k in ("padding", "radius", "font")} == {
        k: token[k] for k in ("padding", "radius", "font")
    }
    assert look["width"] >= 100  # room for "15" and the spinner, not the browser's sliver
    # Refused, it is marked the way every other refused field is, its message beside it.
    assert look["border"] != token["border"]
    assert (
        page.locator("#id_max_jobs_error")
        .inner_text()
        .startswith("maxJobs is a whole number from 1 to 15")
    )


def test_an_accounts_actions_are_buttons_and_delete_looks_dangerous(app, fake):
    page = signed_in_page(app, "una")
    page.goto(f"/accounts/{CHANNEL_PRO}/")
    audit(page)
    actions = page.locator(".account-actions a")
    change, delete = actions.nth(0), actions.nth(1)
    background = "el => getComputedStyle(el).backgroundColor"
    page_background = page.locator("main").evaluate(background)
    assert change.evaluate("el => getComputedStyle(el).borderTopStyle") == "solid"
    # The same red as the Delete button of the confirmation it leads to.
    delete_colour = delete.evaluate(background)
    page.goto(f"/accounts/{CHANNEL_PRO}/delete/")
    assert delete_colour == page.locator("main form button.danger").evaluate(background)
    assert delete_colour not in (page_background, "rgba(0, 0, 0, 0)")
