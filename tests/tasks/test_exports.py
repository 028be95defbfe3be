"""A lookup downloaded as CSV and JSON."""

import csv
import io
import json
import uuid

from tasks.fetching import not_found_text
from tasks.models import Lookup
from tests.fakes.fake_vendors import SEEDED_TASK_IDS, UNKNOWN_TASK_ID
from tests.html import one
from tests.tasks.pages import look_up

NOT_FOUND_TEXT = not_found_text("Apiframe")
FINISHED_ID = SEEDED_TASK_IDS[0]


def csv_rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_csv_export(alice_client, alice_keys, fake):
    look_up(alice_client, f"{FINISHED_ID} {UNKNOWN_TASK_ID} {SEEDED_TASK_IDS[13]}")
    lookup = Lookup.objects.get()
    response = alice_client.get(f"/tasks/{lookup.id}/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="lookup-{lookup.id}.csv"'
    rows = csv_rows(response)
    assert [r["task_id"] for r in rows] == [FINISHED_ID, UNKNOWN_TASK_ID, SEEDED_TASK_IDS[13]]
    assert [r["position"] for r in rows] == ["1", "2", "3"]
    assert [r["mjadmin_status"] for r in rows] == ["finished", "not found", "failed"]
    assert rows[0]["grid_image_url"].endswith(f"{FINISHED_ID}/grid.png")
    assert len(rows[0]["image_urls"].split()) == 4
    assert rows[1]["message"] == NOT_FOUND_TEXT
    assert "Banned prompt" in rows[2]["message"]


def test_csv_cells_never_start_a_spreadsheet_formula(alice_client, alice_keys, fake):
    task_id = str(uuid.uuid4())
    fake.add_task({"task_id": task_id, "status": "failed", "message": "=HYPERLINK(1)"})
    look_up(alice_client, task_id)
    lookup = Lookup.objects.get()
    (row,) = csv_rows(alice_client.get(f"/tasks/{lookup.id}/export.csv"))
    assert row["message"] == "'=HYPERLINK(1)"


def test_json_export(alice_client, alice_keys, fake):
    look_up(alice_client, f"{FINISHED_ID} {UNKNOWN_TASK_ID}")
    lookup = Lookup.objects.get()
    response = alice_client.get(f"/tasks/{lookup.id}/export.json")
    assert response["Content-Disposition"] == f'attachment; filename="lookup-{lookup.id}.json"'
    data = json.loads(response.content)
    assert data["lookup"] == str(lookup.id)
    assert [t["task_id"] for t in data["tasks"]] == [FINISHED_ID, UNKNOWN_TASK_ID]
    assert data["tasks"][0]["task"]["image_urls"]
    assert data["tasks"][1] | {"fetched_at": None} == {
        "task_id": UNKNOWN_TASK_ID,
        "state": "not_found",
        "error": NOT_FOUND_TEXT,
        "fetched_at": None,
        "task": None,
    }


def test_exports_follow_the_status_filter(alice_client, alice_keys, fake):
    look_up(alice_client, " ".join(SEEDED_TASK_IDS))
    lookup = Lookup.objects.get()
    page = alice_client.get(f"/tasks/{lookup.id}/?status=failed")
    link = one(page, "a[href*='export.csv']")
    assert link["href"] == f"/tasks/{lookup.id}/export.csv?status=failed"
    rows = csv_rows(alice_client.get(f"/tasks/{lookup.id}/export.csv?status=failed"))
    assert [r["mjadmin_status"] for r in rows] == ["failed", "failed"]
    data = json.loads(alice_client.get(f"/tasks/{lookup.id}/export.json?status=failed").content)
    assert [t["state"] for t in data["tasks"]] == ["failed", "failed"]
