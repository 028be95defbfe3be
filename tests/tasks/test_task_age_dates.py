"""A task's age is dated in the viewer's zone, with the exact UTC time on hover, on its card and in
its table row alike."""

import uuid

from tests.html import one, text
from tests.tasks.pages import card, look_up


def test_a_tasks_age_is_dated_in_the_viewers_zone_in_both_views(alice_client, alice_keys, fake):
    done = str(uuid.uuid4())
    fake.add_task({"task_id": done, "status": "finished", "created_at": "2026-11-30T09:00:00Z"})
    alice_client.cookies["tz"] = "Asia/Tokyo"
    gallery = look_up(alice_client, done)
    on_card = one(card(gallery, done), ".task-age time")
    assert on_card["datetime"] == "2026-11-30T18:00:00+09:00"
    assert on_card["title"] == "2026-11-30 09:00:00 UTC"
    page = gallery.redirect_chain[-1][0]
    table = alice_client.get(page, {"view": "table"})
    in_row = one(table, "#row-0 td[data-label=Age] time")
    assert in_row["datetime"] == "2026-11-30T18:00:00+09:00"
    assert in_row["title"] == "2026-11-30 09:00:00 UTC"
    assert text(in_row) == text(on_card).removesuffix(" ago")
