"""What the results page gives its large image preview: one dialog outside the polled part, and
thumbnails that still open the original without JavaScript and say what the preview shows."""

from tests.fakes.fake_vendors import SEEDED_TASK_IDS
from tests.html import all_of, one, text
from tests.tasks.pages import card, look_up

IMAGINE, UPSCALE = SEEDED_TASK_IDS[0], SEEDED_TASK_IDS[6]
IMAGES = "https://cdn.apiframe-fake.example/images"


def preview_links(source) -> list[tuple[str, str, str]]:
    """Each thumbnail that opens the preview: its label, its task (the first <code> of its card
    or row, where preview.js reads it) and the image it shows."""
    shown = []
    for link in all_of(source, "a[data-preview]"):
        holder = link.find_parent(["article", "tr"])
        shown.append((link["data-preview"], text(one(holder, "code")), link["href"]))
    return shown


def test_the_page_holds_one_closed_preview_outside_the_polled_part(alice_client, alice_keys, fake):
    response = look_up(alice_client, IMAGINE)
    dialog = one(response, "dialog")
    assert dialog["id"] == "preview"
    assert not dialog.has_attr("open")
    assert not one(response, "#live").select("dialog")
    buttons = [text(b) for b in all_of(dialog, "button")]
    assert buttons == ["Close", "← Previous", "Next →", "Copy URL"]
    original = one(dialog, "a#preview-open")
    assert text(original) == "Open original"
    assert original["target"] == "_blank"
    assert original["rel"] == ["noopener", "noreferrer"]
    saved = one(dialog, "a#preview-download")
    assert text(saved) == "Download"
    assert saved.has_attr("download")
    assert saved["rel"] == ["noopener", "noreferrer"]
    image = one(dialog, "img")
    assert image["referrerpolicy"] == "no-referrer"
    assert not image.has_attr("src")  # no image is fetched before one is chosen


def test_the_preview_script_is_loaded_from_a_file(alice_client, alice_keys, fake):
    response = look_up(alice_client, IMAGINE)
    script = one(response, "script[src$='/js/preview.js']")
    assert script.has_attr("defer")
    assert not script.get_text().strip()


def test_a_polled_update_brings_no_second_dialog(alice_client, alice_keys, fake):
    response = look_up(alice_client, IMAGINE)
    part = alice_client.get(response.request["PATH_INFO"], {"partial": "1"})
    assert all_of(part, "dialog") == []
    assert preview_links(part) == preview_links(response)


def test_every_gallery_thumbnail_names_its_image_for_the_preview(alice_client, alice_keys, fake):
    response = look_up(alice_client, f"{IMAGINE} {UPSCALE}")
    base = f"{IMAGES}/{IMAGINE}"
    assert preview_links(card(response, IMAGINE)) == [
        ("Grid", IMAGINE, f"{base}/grid.png"),
        ("U1", IMAGINE, f"{base}/1.png"),
        ("U2", IMAGINE, f"{base}/2.png"),
        ("U3", IMAGINE, f"{base}/3.png"),
        ("U4", IMAGINE, f"{base}/4.png"),
    ]
    assert preview_links(card(response, UPSCALE)) == [
        ("Upscaled", UPSCALE, f"{IMAGES}/{UPSCALE}/1.png")
    ]


def test_without_javascript_a_thumbnail_still_opens_its_original(alice_client, alice_keys, fake):
    response = look_up(alice_client, IMAGINE)
    link = all_of(card(response, IMAGINE), "a[data-preview]")[1]
    assert link["target"] == "_blank"
    assert link["rel"] == ["noopener", "noreferrer"]
    assert one(link, "img")["src"] == link["href"] == f"{IMAGES}/{IMAGINE}/1.png"
    assert one(link, "img")["referrerpolicy"] == "no-referrer"


def test_each_thumbnail_sits_in_a_card_whose_id_outlasts_a_poll(alice_client, alice_keys, fake):
    # The preview finds its thumbnail again, after polling replaced it, by its card's id.
    response = look_up(alice_client, f"{IMAGINE} {UPSCALE}")
    part = alice_client.get(response.request["PATH_INFO"], {"partial": "1"})
    for page in (response, part):
        holders = [a.find_parent("article") for a in all_of(page, "a[data-preview]")]
        assert [h["id"] for h in holders] == [holders[0]["id"]] * 5 + [holders[5]["id"]]
        assert holders[0]["id"] != holders[5]["id"]


def test_the_table_thumbnail_opens_the_preview_too(alice_client, alice_keys, fake):
    response = look_up(alice_client, f"{IMAGINE} {UPSCALE}")
    table = alice_client.get(response.request["PATH_INFO"], {"view": "table"})
    cells = all_of(table, "table.results-table td[data-label=Image]")
    assert [preview_links(cell) for cell in cells] == [
        [("Grid", IMAGINE, f"{IMAGES}/{IMAGINE}/grid.png")],
        [("Upscaled", UPSCALE, f"{IMAGES}/{UPSCALE}/1.png")],
    ]
    rows = [a.find_parent("tr")["id"] for a in all_of(table, "a[data-preview]")]
    assert len(set(rows)) == 2  # focus finds its way back to each by its row's id
    assert len(all_of(table, "dialog#preview")) == 1
