"""The results page's large image preview in a real browser: by keyboard alone, through polling
updates, and on a phone."""

import re

from tests.browser.conftest import audit, paste, signed_in_page, tab_to
from tests.fakes.fake_vendors import SEEDED_TASK_IDS

IMAGINE, PROCESSING, UPSCALE = SEEDED_TASK_IDS[0], SEEDED_TASK_IDS[4], SEEDED_TASK_IDS[6]
# CSS only (the page's own matches() checks focus with it): tasks are shown in the pasted order.
FIRST_CARD_U1 = "#live-results article.task:nth-of-type(1) a[data-preview='U1']"


def look_up_by_keyboard(page, pasted: str) -> None:
    page.goto("/tasks/")
    tab_to(page, "#id_ids")
    page.keyboard.type(pasted)
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/tasks/[0-9a-f-]{36}/$"))


def shown(page) -> tuple[str, str, str, str]:
    """What the open preview says and shows: label, task, position, and the image's address."""
    dialog = page.locator("dialog#preview")
    assert dialog.evaluate("d => d.open") is True
    image = dialog.locator("img")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    return (
        dialog.locator("#preview-label").inner_text(),
        dialog.locator("#preview-task").inner_text(),
        dialog.locator("#preview-position").inner_text(),
        image.get_attribute("src") or "",
    )


def focused(page) -> str:
    return page.evaluate("document.activeElement.textContent").strip()


def focus_returns_to(page, selector: str) -> None:
    # The dialog's "close" event, which puts focus back, comes a moment after Escape.
    page.wait_for_function("s => document.activeElement.matches(s)", arg=selector)


def test_the_preview_by_keyboard_alone(app, fake):
    page = signed_in_page(app, "ivan")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app.url)
    look_up_by_keyboard(page, f"{IMAGINE} {UPSCALE}")
    images = f"{fake.base_url}/images"
    tab_to(page, FIRST_CARD_U1, limit=60)
    page.keyboard.press("Enter")
    assert shown(page) == ("U1", IMAGINE, "2 of 6", f"{images}/{IMAGINE}/1.png")
    assert page.locator("#preview-image").get_attribute("alt") == f"U1 of task {IMAGINE}"
    assert len(page.context.pages) == 1  # the preview, not the original in a new tab
    assert focused(page) == "Next →"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "no visible focus in the preview"
    page.keyboard.press("ArrowRight")
    assert shown(page) == ("U2", IMAGINE, "3 of 6", f"{images}/{IMAGINE}/2.png")
    page.keyboard.press("Enter")  # on the Next button
    page.keyboard.press("Enter")
    assert shown(page)[:3] == ("U4", IMAGINE, "5 of 6")
    page.keyboard.press("ArrowRight")  # on to the next task's image
    assert shown(page) == ("Upscaled", UPSCALE, "6 of 6", f"{images}/{UPSCALE}/1.png")
    page.keyboard.press("ArrowRight")  # and round to the first
    assert shown(page)[:3] == ("Grid", IMAGINE, "1 of 6")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert shown(page)[:3] == ("U4", IMAGINE, "5 of 6")
    url = f"{images}/{IMAGINE}/4.png"
    dialog = page.locator("dialog#preview")
    assert dialog.locator("a", has_text="Open original").get_attribute("href") == url
    assert dialog.locator("a", has_text="Download").get_attribute("href") == url
    page.keyboard.press("Tab")
    assert focused(page) == "Copy URL"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('preview-copied').textContent")
    assert dialog.locator("[role=status]").inner_text() == "Copied"
    assert page.evaluate("navigator.clipboard.readText()") == url
    audit(page)
    page.keyboard.press("Escape")
    assert dialog.evaluate("d => d.open") is False
    assert dialog.is_hidden()
    focus_returns_to(page, FIRST_CARD_U1)


def test_polling_neither_closes_the_preview_nor_loses_its_way(app, fake):
    page = signed_in_page(app, "judy")
    fake.steps_to_finish = 1000  # still running whatever the polls, until the test lets it finish
    paste(page, f"{PROCESSING} {IMAGINE}")
    assert page.locator('#live[data-polling="true"]').count() == 1
    page.evaluate("window.__sameDocument = true")
    grid = "#live-results article.task:nth-of-type(2) a[data-preview='Grid']"
    page.locator(grid).click()
    assert shown(page)[:3] == ("Grid", IMAGINE, "1 of 5")
    # The running task finishes on screen, its card replaced, while the preview stays open.
    fake.steps_to_finish = 1
    page.wait_for_selector('#live[data-polling="false"]', state="attached", timeout=45_000)
    assert page.evaluate("window.__sameDocument") is True
    assert page.locator("dialog#preview").evaluate("d => d.open") is True
    assert page.evaluate("document.getElementById('preview').contains(document.activeElement)")
    page.keyboard.press("ArrowLeft")  # the finished task's images have joined, before this one
    assert shown(page)[:3] == ("U4", PROCESSING, "5 of 10")
    # Polling replaces a card whole; the thumbnail that opened the preview may be a new element.
    page.eval_on_selector(grid, "a => a.replaceWith(a.cloneNode(true))")
    page.keyboard.press("Escape")
    focus_returns_to(page, grid)
    assert page.evaluate("document.activeElement.isConnected") is True


def test_in_the_table_a_thumbnail_opens_the_preview_too(app, fake):
    page = signed_in_page(app, "lena")
    paste(page, f"{IMAGINE} {UPSCALE}")
    page.click("nav.view-switch >> text=Table")
    thumb = "#live-results tbody tr:nth-child(2) td[data-label=Image] a"
    page.click(thumb)
    assert shown(page) == ("Upscaled", UPSCALE, "2 of 2", f"{fake.base_url}/images/{UPSCALE}/1.png")
    page.keyboard.press("ArrowRight")
    assert shown(page)[:3] == ("Grid", IMAGINE, "1 of 2")
    page.keyboard.press("Escape")
    focus_returns_to(page, thumb)


def fits(page, width: int, height: int) -> dict[str, float]:
    """The open preview and everything in it lie within the screen; the image's box."""
    for part in ["#preview", "#preview-close", "#preview-next", "#preview-download"]:
        box = page.locator(part).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, part
        assert box["y"] >= 0 and box["y"] + box["height"] <= height, part
    image = page.locator("#preview-image").bounding_box()
    assert image["y"] >= 0 and image["y"] + image["height"] <= height
    return image


def test_on_a_phone_the_preview_fits_the_screen(app, fake):
    page = signed_in_page(app, "kim", width=390, height=844)
    paste(page, IMAGINE)
    page.locator(FIRST_CARD_U1).click()
    assert shown(page)[0] == "U1"
    dialog = page.locator("dialog#preview")
    assert fits(page, 390, 844)["width"] >= 300  # large: most of the screen's width
    audit(page)
    page.set_viewport_size({"width": 844, "height": 390})  # the phone turned sideways
    assert fits(page, 844, 390)["height"] >= 150  # smaller, to leave room for the buttons
    page.locator("#preview-close").click()
    assert dialog.evaluate("d => d.open") is False
