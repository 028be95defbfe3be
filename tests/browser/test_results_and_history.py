"""The Tasks pages at volume in a real browser: a gallery and a table of a 60-ID lookup, status
filters across pages, the history searched by task ID, prompt word and name, and a phone's first
screen of a 100-ID lookup."""

import re
import uuid
from datetime import UTC, datetime, timedelta

from tests.browser.conftest import audit, paste, signed_in_page, tab_to
from tests.fakes.fake_vendors import FakeUpstream

NOT_FOUND_SENTENCE = "Apiframe has no task with these IDs"
# What the fake is told for each kind of task, and the status a user then reads on its badge.
KINDS = {
    "finished": ({"status": "finished", "percentage": 100}, "✓ finished"),
    "running": ({"status": "processing", "percentage": "40"}, "⟳ running"),
    "failed": ({"status": "failed", "message": "Banned prompt detected."}, "✕ failed"),
    "not_found": (None, "? not found"),
}
TYPES = ("imagine", "upscale#1", "variation-1", "reroll")


def type_of(n: int) -> str:
    return TYPES[n % len(TYPES)]


def minutes_old(n: int) -> int:
    """Ages that do not follow the pasted order: 60 distinct ones (7 is coprime with 60)."""
    return (n * 7) % 60 + 1


def prompt_of(n: int) -> str:
    return f"a lighthouse in fog, take {n}: storm clouds over a granite coast, gulls in the rain"


def add_tasks(fake: FakeUpstream, kinds: list[str], *, prompt: str = "") -> list[str]:
    """One new task ID per kind; a not-found one stays unknown to the fake."""
    ids = []
    now = datetime.now(UTC)
    for n, kind in enumerate(kinds):
        task_id = str(uuid.uuid4())
        ids.append(task_id)
        fields, _ = KINDS[kind]
        if fields is None:
            continue
        task = {
            "task_id": task_id,
            "task_type": type_of(n),
            "created_at": (now - timedelta(minutes=minutes_old(n))).isoformat(),
            "prompt": prompt or prompt_of(n),
            **fields,
        }
        if kind == "finished":
            base = f"{fake.image_base}/{task_id}"
            task["original_image_url"] = f"{base}/grid.png"
            task["image_urls"] = [f"{base}/{i}.png" for i in range(1, 5)]
        fake.add_task(task)
    return ids


def look_up(page, ids: list[str], name: str = "") -> str:
    """Paste the IDs on /tasks/ and land on the results page; returns the lookup's path."""
    path = paste(page, "\n".join(ids), name)
    # A lookup bigger than its first page fills in on screen: wait for every answer.
    page.wait_for_selector('#live[data-filling="false"]')
    return path


def tile_count(page, label: str) -> int:
    return int(page.locator("#live-summary a.tile", has_text=label).locator(".value").inner_text())


def card_ids(page) -> list[str]:
    return page.locator("#live-results article.task .task-id code").all_inner_texts()


def row_ids(page) -> list[str]:
    return page.locator("table.results-table tbody th[data-label='Task ID'] code").all_inner_texts()


def column(page, label: str) -> list[str]:
    cells = page.locator(f"table.results-table tbody td[data-label='{label}']")
    return [" ".join(cell.split()) for cell in cells.all_inner_texts()]  # timesince: nbsp


def sorted_column(page) -> str:
    """The header marked as sorted, for the eye (an arrow after it) and for a screen reader."""
    marked = page.locator("table.results-table thead a").evaluate_all(
        "links => links.filter(a => getComputedStyle(a, '::after').content !== 'none')"
        ".map(a => a.textContent.trim().toLowerCase())"
    )
    announced = page.locator("table.results-table th[aria-sort=ascending]").all_text_contents()
    assert [label.strip().lower() for label in announced] == marked
    return ",".join(marked)


def sort_by(page, label: str) -> None:
    page.locator("table.results-table thead a", has_text=label).click()
    page.wait_for_url(re.compile(rf".*[?&]sort={label.lower()}\b.*"))


MIX = (["finished"] * 5 + ["running", "failed", "not_found"]) * 7 + ["finished"] * 4


def test_a_60_id_lookup_as_a_gallery_then_a_table_sorted_and_remembered(app, fake):
    kinds = MIX
    ids = add_tasks(fake, kinds)
    state = dict(zip(ids, kinds, strict=True))
    page = signed_in_page(app, "nora")
    lookup_path = look_up(page, ids)

    # The gallery: tiles side by side in rows, images first.
    assert page.locator(".view-switch [aria-current]").inner_text() == "Gallery"
    assert card_ids(page) == ids[:36]
    boxes = [page.locator("#live-results article.task").nth(n).bounding_box() for n in range(4)]
    first_row = [box for box in boxes if box["y"] == boxes[0]["y"]]
    assert len(first_row) >= 3, f"tiles are not laid out in a grid: {boxes}"
    assert len({box["x"] for box in first_row}) == len(first_row)
    # Not found is said once, for the group, not on each of its tiles.
    assert tile_count(page, "not found") == kinds.count("not_found")
    assert page.get_by_text(NOT_FOUND_SENTENCE).count() == 1
    group = page.locator("#live-groups .group-note").inner_text()
    assert "7 IDs were not found" in group and NOT_FOUND_SENTENCE in group
    not_found_tile = page.locator("#live-results article.task[data-group=not_found]").first
    assert NOT_FOUND_SENTENCE not in not_found_tile.inner_text()
    running = page.locator(f"article.task:has-text('{ids[5]}')")
    assert running.locator(".badge").inner_text() == "⟳ running"
    assert running.locator(".capacity").inner_text() == "40%"
    audit(page)

    # The table, chosen with the keyboard: every task of the lookup on one page.
    tab_to(page, ".view-switch a[href*='view=table']")
    page.keyboard.press("Enter")
    page.wait_for_selector("table.results-table")
    assert page.locator(".view-switch [aria-current]").inner_text() == "Table"
    headers = page.locator("table.results-table thead th").all_inner_texts()
    assert [h.strip().lower() for h in headers[:7]] == [
        "task id",
        "status",
        "type",
        "progress",
        "prompt",
        "age",
        "image",
    ]
    assert row_ids(page) == ids
    assert sorted_column(page) == ""
    assert column(page, "Status") == [KINDS[state[i]][1] for i in ids]
    assert column(page, "Type")[:4] == list(TYPES)
    assert column(page, "Progress")[:6] == ["100%"] * 5 + ["40%"]
    assert column(page, "Prompt")[0] == prompt_of(0)[:79] + "…"
    assert column(page, "Prompt")[7] == "—"  # not found: nothing is known of it
    assert column(page, "Age")[0] == "1 minute"
    first_row_image = page.locator("table.results-table tbody tr").first.locator("img")
    assert first_row_image.get_attribute("alt") == f"Grid image of task {ids[0]}"
    audit(page)

    position = {task_id: n for n, task_id in enumerate(ids)}
    known = [i for i in ids if state[i] != "not_found"]
    unknown = [i for i in ids if state[i] == "not_found"]

    sort_by(page, "Status")
    assert sorted_column(page) == "status"
    by_status = sorted(ids, key=lambda i: (state[i], position[i]))
    assert row_ids(page) == by_status
    assert column(page, "Status") == [KINDS[state[i]][1] for i in by_status]

    sort_by(page, "Type")
    by_type = sorted(known, key=lambda i: (type_of(position[i]), position[i])) + unknown
    assert sorted_column(page) == "type"
    assert row_ids(page) == by_type
    assert column(page, "Type")[:15] == ["imagine"] * 15

    sort_by(page, "Age")
    by_age = sorted(known, key=lambda i: minutes_old(position[i])) + unknown
    assert sorted_column(page) == "age"
    assert row_ids(page) == by_age, "the youngest task is not first"
    assert column(page, "Age")[:2] == ["1 minute", "2 minutes"]

    # The next visit, with no choice in the address, is a table again.
    page.goto(lookup_path)
    assert page.locator("table.results-table").count() == 1
    assert page.locator(".view-switch [aria-current]").inner_text() == "Table"
    assert row_ids(page) == ids

    page.locator(".view-switch a", has_text="Gallery").click()
    page.wait_for_selector("#live-results article.task")
    assert card_ids(page) == ids[:36]
    page.goto(lookup_path)
    assert page.locator("table.results-table").count() == 0
    assert card_ids(page) == ids[:36]


def test_a_status_filter_counts_and_pages_through_every_matching_task(app, fake):
    kinds = ["failed", "finished"] * 5 + ["failed"] * 35  # 40 failed: more than one page
    ids = add_tasks(fake, kinds)
    failed = [i for i, kind in zip(ids, kinds, strict=True) if kind == "failed"]
    page = signed_in_page(app, "olga")
    look_up(page, ids)
    assert tile_count(page, "failed") == 40

    page.locator("#live-summary a.tile", has_text="failed").click()
    page.wait_for_url(re.compile(r".*\?status=failed$"))
    chosen = page.locator("#live-summary a.tile[aria-current=true] .label")
    assert chosen.inner_text() == "✕ failed"
    assert page.locator("nav.pagination span").inner_text() == "Page 1 of 2"
    shown = card_ids(page)
    page.locator("nav.pagination a", has_text="Next").click()
    page.wait_for_url(re.compile(r".*page=2.*"))
    shown += card_ids(page)
    assert shown == failed
    badges = page.locator("#live-results article.task .badge").all_inner_texts()
    assert badges == ["✕ failed"] * 4
    audit(page)


def history_rows(page) -> list[str]:
    """The lookups the history lists, by the path their Open link leads to."""
    links = page.locator("table.history tbody tr td[data-label=Open] a")
    return [links.nth(n).get_attribute("href") for n in range(links.count())]


def search_history(page, query: str) -> None:
    page.goto("/tasks/history/")
    page.locator("#id_q").focus()
    page.keyboard.type(query)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/tasks/history/\?q=.*"))


def test_the_history_finds_lookups_by_task_id_prompt_word_and_name(app, fake):
    wanted = add_tasks(fake, ["finished"], prompt="a copper kettle on a stove")[0]
    dogs = add_tasks(fake, ["finished"] * 3, prompt="three dogs asleep")
    birds = add_tasks(fake, ["running", "failed"], prompt="a heron over marshland")
    page = signed_in_page(app, "pia")
    with_it = look_up(page, [dogs[0], wanted, dogs[1]])
    without_it = look_up(page, [*birds, dogs[2]])
    named = look_up(page, [birds[0], wanted], name="Autumn campaign")

    search_history(page, wanted)
    assert sorted(history_rows(page)) == sorted([with_it, named])
    assert "2 lookups match" in page.locator("main [role=status]").inner_text()
    assert page.input_value("#id_q") == wanted
    audit(page)

    search_history(page, "marshland")
    assert sorted(history_rows(page)) == sorted([without_it, named])

    search_history(page, "kettle stove")
    assert sorted(history_rows(page)) == sorted([with_it, named])

    search_history(page, "autumn")
    assert history_rows(page) == [named]
    names = page.locator("table.history tbody td[data-label=Name]").all_inner_texts()
    assert names == ["Autumn campaign"]


def test_a_phone_shows_a_result_image_on_the_first_screen(app, fake):
    ids = add_tasks(fake, ["finished"] * 100)
    page = signed_in_page(app, "quinn", width=390, height=844)
    look_up(page, ids)
    viewport = page.viewport_size
    first = page.locator("#live-results article.task").first
    image = first.locator("img").first
    box = image.bounding_box()
    assert box is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], (
        f"the first tile's image is at {box}, below the first screen of {viewport}"
    )
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    audit(page)
