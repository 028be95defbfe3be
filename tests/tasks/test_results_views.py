"""A lookup's results as a gallery of tiles or a dense table (the choice kept per teammate), a
page at a time whatever the lookup's size."""

import uuid
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mjadmin.vendors.apiframe.tasks import parse_task
from tasks.models import Lookup, TaskResult
from tests.html import all_of, one, text, texts
from tests.tasks.pages import look_up

IMAGE = "https://cdn.example.com/{}/{}.png"


def big_lookup(owner, count: int) -> Lookup:
    """A lookup of `count` finished tasks with four images each, as stored after fetching."""
    lookup = Lookup.objects.create(owner=owner, total=count, counts={"finished": count})
    TaskResult.objects.bulk_create(
        TaskResult(
            lookup=lookup,
            position=n,
            task_id=(task_id := str(uuid.uuid4())),
            state="finished",
            data={
                "task_id": task_id,
                "task_type": "imagine",
                "status": "finished",
                "content": "a lighthouse at dusk, volumetric light, 35mm --ar 3:2 --v 7 " * 2,
                "original_image_url": IMAGE.format(task_id, "grid"),
                "image_urls": [IMAGE.format(task_id, i) for i in range(1, 5)],
            },
            fetched_at=lookup.created_at,
        )
        for n in range(count)
    )
    return lookup


def test_any_page_of_a_2000_id_lookup_is_at_most_150_kb_in_either_view(alice, alice_client):
    lookup = big_lookup(alice, 2000)
    for view in ("gallery", "table"):
        for page in (1, 20):
            response = alice_client.get(f"/tasks/{lookup.id}/", {"view": view, "page": page})
            assert len(response.content) <= 150 * 1024, (view, page, len(response.content))
            assert texts(response, "a.tile .value")[0] == "2000"  # the tiles count them all
            # A whole page of tasks, not a short or empty one.
            shown = all_of(response, "#live-results article.task, #live-results tbody tr")
            assert len(shown) == {"gallery": 36, "table": 100}[view]


def test_the_gallery_is_a_grid_of_image_tiles_the_grid_image_first(alice, alice_client):
    lookup = big_lookup(alice, 3)
    response = alice_client.get(f"/tasks/{lookup.id}/")
    tiles = all_of(response, ".results.gallery article.task")
    assert len(tiles) == 3
    images = all_of(tiles[0], ".thumbs li img")
    assert [img["alt"].split(" of task")[0] for img in images] == [
        "Grid image",
        "Image 1",
        "Image 2",
        "Image 3",
        "Image 4",
    ]
    assert one(tiles[0], ".thumbs li.grid-image img") is images[0]


def test_the_table_has_one_row_per_task_and_is_remembered(alice, alice_client):
    lookup = big_lookup(alice, 3)
    response = alice_client.get(f"/tasks/{lookup.id}/", {"view": "table"})
    rows = all_of(response, "table.results-table tbody tr")
    assert len(rows) == 3
    cells = {td["data-label"]: text(td) for td in rows[0].select("[data-label]")}
    assert cells["Status"] == "✓ finished"
    assert cells["Type"] == "imagine"
    assert cells["Prompt"].startswith("a lighthouse at dusk")
    assert one(rows[0], "td[data-label=Image] img")["width"] == "48"
    # The next visit, with no choice in the address, shows the table again.
    again = alice_client.get(f"/tasks/{lookup.id}/")
    assert all_of(again, "table.results-table") and not all_of(again, ".results.gallery")
    assert text(one(again, ".view-switch [aria-current]")) == "Table"


def test_the_table_sorts_by_status_and_type(alice_client, alice_keys, fake):
    ids = []
    for task_type, status in (
        ("upscale", "finished"),
        ("imagine", "processing"),
        ("blend", "failed"),
    ):
        ids.append(str(uuid.uuid4()))
        fake.add_task({"task_id": ids[-1], "task_type": task_type, "status": status})
    look_up(alice_client, " ".join(ids))
    lookup = Lookup.objects.get()

    def column(sort: str, label: str) -> list[str]:
        shown = alice_client.get(f"/tasks/{lookup.id}/", {"view": "table", "sort": sort})
        return texts(shown, f"table.results-table tbody td[data-label={label}]")

    assert column("type", "Type") == ["blend", "imagine", "upscale"]
    assert column("status", "Status") == ["✕ failed", "✓ finished", "⟳ running"]
    assert column("nonsense", "Type") == ["upscale", "imagine", "blend"]  # the user's order


def test_a_thumbnail_in_the_table_is_an_https_image_only(alice, alice_client):
    lookup = big_lookup(alice, 1)
    result = lookup.results.get()
    result.data["original_image_url"] = "javascript:alert(1)"
    result.save()
    assert parse_task(result.data).thumbnails[0].label == "Image 1"
    response = alice_client.get(f"/tasks/{lookup.id}/", {"view": "table"})
    assert one(response, "td[data-label=Image] img")["src"].startswith("https://")


def test_links_in_a_polled_part_lead_to_whole_pages(alice, alice_client):
    lookup = big_lookup(alice, 80)
    part = alice_client.get(f"/tasks/{lookup.id}/", {"partial": "1", "page": "2"})
    links = [a["href"] for a in all_of(part, "#live-pages a, .view-switch a")]
    assert links and all("partial" not in href for href in links)


def test_polling_with_the_same_view_writes_no_choice_again(alice, alice_client):
    lookup = big_lookup(alice, 3)
    alice_client.get(f"/tasks/{lookup.id}/", {"view": "table"})
    with CaptureQueriesContext(connection) as run:
        alice_client.get(f"/tasks/{lookup.id}/", {"view": "table", "partial": "1"})
    writes = [
        q["sql"]
        for q in run.captured_queries
        if "tasks_viewerchoice" in q["sql"] and not q["sql"].startswith("SELECT")
    ]
    assert writes == []


def test_a_table_row_shows_progress_a_prompt_excerpt_and_a_stuck_task(alice, alice_client):
    lookup = Lookup.objects.create(owner=alice, total=2, counts={"running": 1, "not_found": 1})
    an_hour_ago = timezone.now() - timedelta(hours=1)
    lookup.results.create(
        position=0,
        task_id=str(uuid.uuid4()),
        state="running",
        fetched_at=timezone.now(),
        data={
            "task_type": "imagine",
            "status": "processing",
            "percentage": 40,
            "content": "x" * 200,
            "created_at": an_hour_ago.isoformat(),
        },
    )
    lookup.results.create(position=1, task_id=str(uuid.uuid4()), state="not_found")
    response = alice_client.get(f"/tasks/{lookup.id}/", {"view": "table"})
    running, unknown = all_of(response, "table.results-table tbody tr")
    cells = {td["data-label"]: text(td) for td in running.select("[data-label]")}
    assert cells["Progress"] == "40%"
    assert cells["Prompt"] == "x" * 79 + "…"
    assert cells["Age"] == "⚠ 1 hour"
    assert one(running, "td[data-label=Age] time")["class"] == ["stuck"]
    blank = {td["data-label"]: text(td) for td in unknown.select("[data-label]")}
    assert [blank[c] for c in ("Type", "Progress", "Prompt", "Image")] == ["—"] * 4
    assert "class" not in one(unknown, "td[data-label=Age] time").attrs
