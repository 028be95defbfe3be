"""The Tasks page against the local fake over real HTTP."""

import csv
import io
import json
import uuid
from collections import Counter

import pytest

from mjadmin.demo.fake_vendors import (
    DEMO_APIFRAME_KEY,
    PROGRESSING_TASK_IDS,
    SEEDED_TASK_IDS,
    UNKNOWN_TASK_ID,
)
from mjadmin.keys import credentials
from mjadmin.keys.models import Service
from tasks.fetching import NOT_FOUND_TEXT
from tasks.models import Lookup, TaskResult

FINISHED_ID = SEEDED_TASK_IDS[0]
PROCESSING_ID = "c4e2a7d9-1f35-4b86-8a0c-7d9e3f51b624"


def new_ids(fake, count: int) -> list[str]:
    ids = [str(uuid.uuid4()) for _ in range(count)]
    for task_id in ids:
        fake.add_task({"task_id": task_id, "task_type": "imagine", "status": "finished"})
    return ids


def look_up(client, text: str):
    return client.post("/tasks/", {"ids": text}, follow=True)


def calls(fake) -> list[tuple[str, int]]:
    seen = []
    for request in fake.requests:
        body = request.json()
        if request.path == "/fetch-many":
            seen.append(("/fetch-many", len(body["task_ids"])))
        elif request.path == "/fetch":
            seen.append(("/fetch", 1))
    return sorted(seen)


def card_ids(html: str) -> list[str]:
    return [part.split("</code>")[0].split(">")[-1] for part in html.split('<code id="task-')[1:]]


@pytest.mark.parametrize(
    ("count", "pattern"),
    [
        (1, [("/fetch", 1)]),
        (2, [("/fetch-many", 2)]),
        (3, [("/fetch-many", 3)]),
        (20, [("/fetch-many", 20)]),
        (21, [("/fetch", 1), ("/fetch-many", 20)]),
        (40, [("/fetch-many", 20), ("/fetch-many", 20)]),
        (45, [("/fetch-many", 5), ("/fetch-many", 20), ("/fetch-many", 20)]),
    ],
)
def test_the_call_pattern_the_upstream_sees(alice_client, alice_keys, fake, count, pattern):
    ids = new_ids(fake, count)
    response = look_up(alice_client, "\n".join(ids))
    assert calls(fake) == pattern
    asked = [i for r in fake.requests for i in (r.json().get("task_ids") or [r.json()["task_id"]])]
    assert sorted(asked) == sorted(ids)
    assert card_ids(response.content.decode()) == ids


def test_the_raw_key_is_sent_without_bearer(alice_client, alice_keys, fake):
    look_up(alice_client, " ".join(SEEDED_TASK_IDS[:2]))
    assert fake.requests[0].headers["authorization"] == DEMO_APIFRAME_KEY


def test_results_come_in_the_users_order_whatever_order_the_upstream_uses(
    alice_client, alice_keys, fake
):
    fake.result_order = "shuffled"
    order = SEEDED_TASK_IDS[::-1]
    html = look_up(alice_client, "\n".join(order)).content.decode()
    assert card_ids(html) == order


@pytest.mark.parametrize("mode", ["omit", "failed"])
def test_an_id_the_upstream_does_not_return_is_shown_not_dropped(
    alice_client, alice_keys, fake, mode
):
    fake.unknown_task_mode = mode
    html = look_up(alice_client, f"{FINISHED_ID} {UNKNOWN_TASK_ID}").content.decode()
    assert card_ids(html) == [FINISHED_ID, UNKNOWN_TASK_ID]
    unknown_card = html.split(f">{UNKNOWN_TASK_ID}</code>")[1].split("</article>")[0]
    assert ("not found" if mode == "omit" else "Task not found") in unknown_card


def test_every_seeded_status_and_type_is_shown(alice_client, alice_keys, fake):
    html = look_up(alice_client, "\n".join(SEEDED_TASK_IDS)).content.decode()
    result = Lookup.objects.get()
    states = Counter(result.results.values_list("state", flat=True))
    assert states["finished"] == 9  # eight with a status, one the vendor's way without
    assert states["failed"] == 2
    # The fake moves "pending" and "starting" tasks on to processing when they are fetched.
    assert states["pending"] == 1  # staged
    assert states["running"] == 4  # processing, retrying, and the two that moved on
    for text in [
        "✓ finished",
        "✕ failed",
        "⟳ running",
        "… pending",
        "(retrying)",
        "· upscale#1",
        "· describe",
        "3620198521",  # seed
        "Banned prompt detected",  # message
        "Midjourney job timed out",  # error
        "video 1",
        "1234578888888",  # sref of the finished task without a status
    ]:
        assert text in html, text
    grid = f"https://cdn.apiframe-fake.example/images/{FINISHED_ID}/grid.png"
    assert f'<img src="{grid}"' in html
    assert 'loading="lazy"' in html


def test_percentage_as_string_number_or_absent_on_the_page(alice_client, alice_keys, fake):
    ids = [str(uuid.uuid4()) for _ in range(3)]
    fake.add_task({"task_id": ids[0], "status": "processing", "percentage": "37"})
    fake.add_task({"task_id": ids[1], "status": "processing", "percentage": 64})
    fake.add_task({"task_id": ids[2], "status": "processing"})
    html = look_up(alice_client, " ".join(ids)).content.decode()
    assert 'value="37"' in html and "37%" in html
    assert 'value="64"' in html and "64%" in html
    assert "in progress" in html


def test_messy_pasted_text_with_duplicates_and_noise(alice_client, alice_keys, fake):
    a, b = SEEDED_TASK_IDS[0], SEEDED_TASK_IDS[6]
    text = f'log: task {a} done\n{{"task_id": "{b}"}}\nsee https://x.test/t/{a}, banana'
    html = look_up(alice_client, text).content.decode()
    assert card_ids(html) == [a, b]
    assert "<strong>1</strong> duplicate dropped" in html
    assert "<code>banana</code>" in html
    assert "<code>log</code>" in html


def test_an_empty_submission_keeps_the_form_with_an_error(alice_client, alice_keys, fake):
    response = alice_client.post("/tasks/", {"ids": ""})
    assert response.status_code == 200
    assert "Paste at least one task ID." in response.content.decode()


def test_text_without_ids_keeps_the_text_and_says_so(alice_client, alice_keys, fake):
    text = "no ids here, just <b>words</b> & 2026-11-22"
    response = alice_client.post("/tasks/", {"ids": text})
    html = response.content.decode()
    assert "No task ID found in that text." in html
    assert "no ids here, just &lt;b&gt;words&lt;/b&gt; &amp; 2026-11-22</textarea>" in html
    assert fake.requests == []


def test_more_than_the_cap_is_refused_and_nothing_is_lost(alice_client, alice_keys, fake, settings):
    settings.TASKS_MAX_IDS = 5
    ids = [str(uuid.uuid4()) for _ in range(6)]
    text = "\n".join(ids)
    html = alice_client.post("/tasks/", {"ids": text}).content.decode()
    assert "Found 6 different task IDs; one lookup takes at most 5." in html
    assert f"{text}</textarea>" in html
    assert fake.requests == []
    assert not Lookup.objects.exists()


def test_the_default_cap_is_500(alice_client, alice_keys, fake):
    ids = [str(uuid.uuid4()) for _ in range(501)]
    html = alice_client.post("/tasks/", {"ids": " ".join(ids)}).content.decode()
    assert "Found 501 different task IDs; one lookup takes at most 500." in html


def test_no_key_saved_links_to_settings_and_keeps_the_text(alice_client, fake):
    html = alice_client.post("/tasks/", {"ids": FINISHED_ID}).content.decode()
    assert "You have not saved your Apiframe API key yet." in html
    assert 'href="/settings/"' in html
    assert f"{FINISHED_ID}</textarea>" in html


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("401", "Apiframe rejected your API key"),
        ("500", "Apiframe is unavailable right now (HTTP 500). Try again"),
        ("502", "Apiframe is unavailable right now (HTTP 502). Try again"),
        ("non-json", "Apiframe is unavailable right now (it answered with something other"),
        ("bad-shape", "answered in a shape mjadmin does not understand"),
    ],
)
def test_each_failure_is_a_clear_message_with_the_input_kept(
    alice_client, alice_keys, fake, kind, message
):
    fake.set_fault(kind)
    text = f"{SEEDED_TASK_IDS[0]}\n{SEEDED_TASK_IDS[1]}"
    response = alice_client.post("/tasks/", {"ids": text})
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert f"{text}</textarea>" in html
    assert not Lookup.objects.exists()


def test_a_400_shows_every_message(alice_client, alice_keys, fake):
    fake.set_fault("400")
    html = alice_client.post("/tasks/", {"ids": " ".join(SEEDED_TASK_IDS[:2])}).content.decode()
    assert "<li>Invalid request</li>" in html
    assert "<li>task_ids must be an array</li>" in html


def test_a_timeout_and_a_refused_connection(alice_client, alice_keys, fake, settings):
    settings.UPSTREAM_TIMEOUT = 0.3
    fake.slow_seconds = 2
    fake.set_fault("slow")
    html = alice_client.post("/tasks/", {"ids": FINISHED_ID}).content.decode()
    assert "Apiframe is unavailable right now (no answer within 0.3 s)" in html
    settings.APIFRAME_BASE_URL = "http://127.0.0.1:9"
    html = alice_client.post("/tasks/", {"ids": FINISHED_ID}).content.decode()
    assert "Apiframe could not be reached (could not connect to 127.0.0.1)" in html


def test_a_failed_batch_does_not_hide_the_others(alice_client, alice_keys, fake):
    ids = new_ids(fake, 21)  # one call of 20 and a lone /fetch
    fake.set_fault("500", path="/fetch")
    fake.requests.clear()
    html = look_up(alice_client, "\n".join(ids)).content.decode()
    assert card_ids(html) == ids
    assert html.count('<span class="badge badge-ok">✓ finished</span>') == 20
    lone = html.split(f">{ids[-1]}</code>")[1].split("</article>")[0]
    assert "⚠ could not fetch" in lone
    assert "Apiframe is unavailable right now (HTTP 500)" in lone


def test_hostile_values_are_escaped(alice_client, alice_keys, fake):
    task_id = str(uuid.uuid4())
    evil = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    fake.add_task(
        {
            "task_id": task_id,
            "task_type": evil,
            "status": evil,
            "message": evil,
            "seed": evil,
            "content": evil,
            "original_image_url": "javascript:alert(3)",
            "image_urls": ['https://cdn.example/1.png"onerror="alert(4)', "data:text/html,x"],
            "video_url": "javascript:alert(5)",
        }
    )
    html = look_up(alice_client, task_id).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "javascript:" not in html.split("Raw JSON")[0]
    assert 'href="javascript' not in html and 'src="javascript' not in html
    assert 'src="data:' not in html
    assert '"onerror="' not in html
    assert "&lt;script&gt;" in html


def test_history_lists_each_lookup_with_status_counts(alice_client, alice_keys, fake):
    look_up(alice_client, " ".join(SEEDED_TASK_IDS[:3]))
    look_up(alice_client, FINISHED_ID)
    html = alice_client.get("/tasks/").content.decode()
    assert html.count("Open<span") == 2
    history = html.split("Team lookups")[1]
    assert '<td data-label="IDs">3</td>' in history
    assert '<td data-label="IDs">1</td>' in history


def test_a_teammate_finds_a_lookup_in_the_team_history(alice_client, alice_keys, bob_client, fake):
    look_up(alice_client, FINISHED_ID)
    lookup = Lookup.objects.get()
    html = bob_client.get("/tasks/").content.decode()
    assert f'href="/tasks/{lookup.id}/"' in html
    assert '<td data-label="By">alice</td>' in html


def test_a_new_user_sees_an_empty_history_that_says_what_to_do(alice_client, fake):
    html = alice_client.get("/tasks/").content.decode()
    assert "No lookups yet." in html
    assert "No Apiframe API key saved yet" in html


def test_reopening_does_not_fetch_finished_or_failed_tasks_again(alice_client, alice_keys, fake):
    terminal = [SEEDED_TASK_IDS[0], SEEDED_TASK_IDS[6], SEEDED_TASK_IDS[13]]
    look_up(alice_client, " ".join(terminal))
    lookup = Lookup.objects.get()
    fake.requests.clear()
    html = alice_client.post(f"/tasks/{lookup.id}/", follow=True).content.decode()
    assert fake.requests == []
    assert card_ids(html) == terminal


def test_refreshing_asks_only_for_unfinished_tasks_until_they_finish(
    alice_client, alice_keys, fake
):
    ids = [FINISHED_ID, PROCESSING_ID]
    look_up(alice_client, " ".join(ids))
    lookup = Lookup.objects.get()
    for _ in range(5):
        fake.requests.clear()
        html = alice_client.post(f"/tasks/{lookup.id}/", follow=True).content.decode()
        asked = [r.json() for r in fake.requests]
        assert asked in ([], [{"task_id": PROCESSING_ID}])
        if 'data-polling="false"' in html:
            break
    assert PROCESSING_ID in PROGRESSING_TASK_IDS
    assert TaskResult.objects.get(task_id=PROCESSING_ID).state == "finished"
    assert 'data-polling="false"' in html
    fake.requests.clear()
    alice_client.post(f"/tasks/{lookup.id}/", follow=True)
    assert fake.requests == []


def test_the_page_polls_itself_while_tasks_run_and_offers_a_refresh_link(
    alice_client, alice_keys, fake
):
    html = look_up(alice_client, PROCESSING_ID).content.decode()
    assert 'data-polling="true"' in html
    assert "updates itself every few seconds" in html
    assert "Refresh now</button>" in html
    assert "js/tasks" in html
    lookup = Lookup.objects.get()
    partial = alice_client.get(f"/tasks/{lookup.id}/?partial=1").content.decode()
    assert partial.lstrip().startswith('<div id="live"')
    assert "<html" not in partial


def test_the_summary_filters_the_grid(alice_client, alice_keys, fake):
    look_up(alice_client, "\n".join(SEEDED_TASK_IDS))
    lookup = Lookup.objects.get()
    html = alice_client.get(f"/tasks/{lookup.id}/?status=failed").content.decode()
    assert len(card_ids(html)) == 2
    assert 'href="?status=failed" aria-current="true"' in html
    everything = alice_client.get(f"/tasks/{lookup.id}/?status=bogus").content.decode()
    assert len(card_ids(everything)) == len(SEEDED_TASK_IDS)


def test_csv_export(alice_client, alice_keys, fake):
    look_up(alice_client, f"{FINISHED_ID} {UNKNOWN_TASK_ID} {SEEDED_TASK_IDS[13]}")
    lookup = Lookup.objects.get()
    response = alice_client.get(f"/tasks/{lookup.id}/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["task_id"] for r in rows] == [FINISHED_ID, UNKNOWN_TASK_ID, SEEDED_TASK_IDS[13]]
    assert [r["mjadmin_status"] for r in rows] == ["finished", "not found", "failed"]
    assert rows[0]["grid_image_url"].endswith(f"{FINISHED_ID}/grid.png")
    assert len(rows[0]["image_urls"].split()) == 4
    assert "Banned prompt" in rows[2]["message"]


def test_csv_cells_never_start_a_spreadsheet_formula(alice_client, alice_keys, fake):
    task_id = str(uuid.uuid4())
    fake.add_task({"task_id": task_id, "status": "failed", "message": "=HYPERLINK(1)"})
    look_up(alice_client, task_id)
    lookup = Lookup.objects.get()
    body = alice_client.get(f"/tasks/{lookup.id}/export.csv").content.decode()
    assert "'=HYPERLINK(1)" in body


def test_json_export(alice_client, alice_keys, fake):
    look_up(alice_client, f"{FINISHED_ID} {UNKNOWN_TASK_ID}")
    lookup = Lookup.objects.get()
    response = alice_client.get(f"/tasks/{lookup.id}/export.json")
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


BOBS_KEY = "bob-apiframe-key-000000000001"


def alices_lookup_and_bobs_own_key(alice_client, bob, fake) -> Lookup:
    look_up(alice_client, f"{FINISHED_ID} {PROCESSING_ID}")
    fake.apiframe_keys.add(BOBS_KEY)
    credentials.save_secret(bob, Service.APIFRAME, BOBS_KEY)
    return Lookup.objects.get()


def test_a_teammate_opens_a_lookup_with_their_own_key(
    alice_client, alice_keys, bob, bob_client, fake
):
    lookup = alices_lookup_and_bobs_own_key(alice_client, bob, fake)
    fake.requests.clear()
    html = bob_client.post(f"/tasks/{lookup.id}/", follow=True).content.decode()
    assert card_ids(html) == [FINISHED_ID, PROCESSING_ID]
    assert "by alice" in html
    assert [r.headers["authorization"] for r in fake.requests] == [BOBS_KEY]
    assert fake.requests[0].json() == {"task_id": PROCESSING_ID}


def test_a_teammate_without_a_key_still_sees_the_saved_results(
    alice_client, alice_keys, bob_client, fake
):
    look_up(alice_client, f"{FINISHED_ID} {PROCESSING_ID}")
    lookup = Lookup.objects.get()
    fake.requests.clear()
    html = bob_client.post(f"/tasks/{lookup.id}/", follow=True).content.decode()
    assert card_ids(html) == [FINISHED_ID, PROCESSING_ID]
    assert "You have not saved your Apiframe API key yet." in html
    assert fake.requests == []


def test_a_finished_lookup_needs_no_key_to_be_read(alice_client, alice_keys, bob_client, fake):
    look_up(alice_client, f"{FINISHED_ID} {UNKNOWN_TASK_ID}")
    lookup = Lookup.objects.get()
    html = bob_client.get(f"/tasks/{lookup.id}/").content.decode()
    assert card_ids(html) == [FINISHED_ID, UNKNOWN_TASK_ID]
    assert "API key" not in html.split('<div id="live-problem">')[1].split("</div>")[0]


def test_an_outage_does_not_turn_a_not_found_task_into_an_error(alice_client, alice_keys, fake):
    look_up(alice_client, f"{PROCESSING_ID} {UNKNOWN_TASK_ID}")
    lookup = Lookup.objects.get()
    fake.set_fault("502")
    alice_client.post(f"/tasks/{lookup.id}/", follow=True)
    states = dict(TaskResult.objects.values_list("task_id", "state"))
    assert states == {PROCESSING_ID: "running", UNKNOWN_TASK_ID: "not_found"}


def test_exports_follow_the_status_filter(alice_client, alice_keys, fake):
    look_up(alice_client, " ".join(SEEDED_TASK_IDS))
    lookup = Lookup.objects.get()
    html = alice_client.get(f"/tasks/{lookup.id}/?status=failed").content.decode()
    assert f"/tasks/{lookup.id}/export.csv?status=failed" in html
    rows = list(
        csv.DictReader(
            io.StringIO(
                alice_client.get(f"/tasks/{lookup.id}/export.csv?status=failed").content.decode()
            )
        )
    )
    assert [r["mjadmin_status"] for r in rows] == ["failed", "failed"]
    data = json.loads(alice_client.get(f"/tasks/{lookup.id}/export.json?status=failed").content)
    assert len(data["tasks"]) == 2


def test_an_unknown_lookup_is_a_404(alice_client):
    assert alice_client.get(f"/tasks/{uuid.uuid4()}/").status_code == 404


def test_a_long_paste_is_never_cut_by_the_browser_and_too_long_is_refused_whole(
    alice_client, alice_keys, fake, settings
):
    html = alice_client.get("/tasks/").content.decode()
    assert "maxlength" not in html.split('name="ids"')[1].split(">")[0]
    settings.TASKS_MAX_IDS = 1  # the character limit scales with it, but never below 200,000
    text = FINISHED_ID + " " + "x" * 200_001
    html = alice_client.post("/tasks/", {"ids": text}).content.decode()
    assert "That text is 200,038 characters long; one lookup reads at most 200,000." in html
    assert f"{text}</textarea>" in html
    assert fake.requests == []


def test_pasted_keys_among_the_noise_are_not_shown_back_in_full(alice_client, alice_keys, fake):
    text = f"curl -H 'Authorization: af_live_3c9f1e2d7b6a5c4d' {FINISHED_ID}"
    html = look_up(alice_client, text).content.decode()
    assert "<code>af_…4d</code>" in html
    assert "3c9f1e2d7b6a5c4d" not in html
    assert "3c9f1e2d7b6a5c4d" not in str(Lookup.objects.get().not_ids)


def test_a_lone_unknown_id_answered_with_400_is_not_found(alice_client, alice_keys, fake):
    fake.fetch_unknown_status = 400
    html = look_up(alice_client, UNKNOWN_TASK_ID).content.decode()
    assert card_ids(html) == [UNKNOWN_TASK_ID]
    assert "? not found" in html


def test_odd_task_data_is_shown_not_a_500(alice_client, alice_keys, fake):
    task_id = str(uuid.uuid4())
    fake.add_task(
        {"task_id": task_id, "status": "processing", "percentage": "nan", "image_urls": 5}
    )
    response = look_up(alice_client, task_id)
    assert response.status_code == 200
    assert card_ids(response.content.decode()) == [task_id]


def test_polling_goes_on_after_a_passing_upstream_failure(alice_client, alice_keys, fake):
    look_up(alice_client, PROCESSING_ID)
    lookup = Lookup.objects.get()
    fake.set_fault("502")
    html = alice_client.post(f"/tasks/{lookup.id}/", follow=True).content.decode()
    assert "Apiframe is unavailable right now (HTTP 502)" in html
    assert 'data-polling="true"' in html
    assert "⟳ running" in html  # the last known state is kept
    fake.clear_faults()
    fake.set_fault("401")
    html = alice_client.post(f"/tasks/{lookup.id}/", follow=True).content.decode()
    assert "Apiframe rejected your API key" in html
    assert 'data-polling="false"' in html  # waiting cannot fix a refused key


def test_a_teammate_whose_key_cannot_see_a_task_does_not_wipe_it(
    alice_client, alice_keys, bob, bob_client, fake
):
    lookup = alices_lookup_and_bobs_own_key(alice_client, bob, fake)
    fake.set_fault("404", token=BOBS_KEY)  # another Apiframe account: the task is unknown there
    bob_client.post(f"/tasks/{lookup.id}/", follow=True)
    result = TaskResult.objects.get(task_id=PROCESSING_ID)
    assert result.state == "running"
    assert result.data["task_id"] == PROCESSING_ID
    html = alice_client.get(f"/tasks/{lookup.id}/").content.decode()
    assert "⟳ running" in html
