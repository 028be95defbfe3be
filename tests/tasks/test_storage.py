"""tasks/storage.py keeps what pages read beside the vendor's JSON: the answer is parsed once, when
it arrives, by its vendor's room; a row stored before that was kept is still read, by its
lookup's vendor."""

from tasks.models import Lookup, TaskResult
from tests.fakes.fake_vendors import SEEDED_TASK_IDS
from tests.html import all_of
from tests.tasks.pages import card, look_up

FINISHED = SEEDED_TASK_IDS[0]


def images(response, task_id):
    return [img["src"] for img in all_of(card(response, task_id), ".thumbs img")]


def test_an_answer_is_parsed_once_when_it_arrives(alice_client, alice_keys, fake):
    opened = look_up(alice_client, FINISHED)
    row = TaskResult.objects.get(task_id=FINISHED)
    assert row.shown["group"] == "finished"
    assert row.shown["grid_url"].endswith("/grid.png")
    assert "raw" not in row.shown  # the vendor's JSON is kept once, in `data`
    # The page reads the record: the vendor's JSON is not parsed again on the way.
    row.data = {**row.data, "original_image_url": "https://elsewhere.example/other.png"}
    row.save(update_fields=["data"])
    again = alice_client.get(opened.request["PATH_INFO"])
    assert images(again, FINISHED) == images(opened, FINISHED)
    assert images(again, FINISHED)[0].endswith("/grid.png")


def test_a_row_stored_before_the_record_was_kept_is_read_by_its_vendor(alice, alice_client, fake):
    lookup = Lookup.objects.create(owner=alice, api="legnext", total=1, counts={"finished": 1})
    job = {
        "job_id": FINISHED,
        "status": "completed",
        "output": {"image_url": "https://cdn.legnext.ai/mj/x_grid.png", "image_urls": []},
    }
    lookup.results.create(position=0, task_id=FINISHED, state="finished", data=job)
    page = alice_client.get(f"/tasks/{lookup.pk}/")
    assert images(page, FINISHED) == ["https://cdn.legnext.ai/mj/x_grid.png"]
