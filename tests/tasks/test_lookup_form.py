"""The paste form on /tasks/: what is asked of Apiframe, and what the user gets back."""

import uuid

import pytest

from tasks.models import Lookup
from tasks.views import RESULTS_PAGE_SIZE
from tests.fakes.fake_vendors import DEMO_APIFRAME_KEY, SEEDED_TASK_IDS, UNKNOWN_TASK_ID
from tests.html import all_of, notice, one, text, texts
from tests.tasks.pages import (
    badge,
    card,
    card_ids,
    field_error,
    filled,
    look_up,
    new_ids,
    pasted_text,
)

FINISHED_ID = SEEDED_TASK_IDS[0]


def calls(fake) -> list[tuple[str, int]]:
    seen = []
    for request in fake.requests:
        body = request.json()
        if request.path == "/fetch-many":
            seen.append(("/fetch-many", len(body["task_ids"])))
        elif request.path == "/fetch":
            seen.append(("/fetch", 1))
    return sorted(seen)


GALLERY_PAGE = RESULTS_PAGE_SIZE["gallery"]


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
@pytest.mark.django_db(transaction=True)  # past the first page, a filler asks from its thread
def test_the_call_pattern_the_upstream_sees(alice_client, alice_keys, fake, count, pattern):
    ids = new_ids(fake, count)
    response = look_up(alice_client, "\n".join(ids))
    filled()
    assert calls(fake) == pattern
    asked = [i for r in fake.requests for i in (r.json().get("task_ids") or [r.json()["task_id"]])]
    assert sorted(asked) == sorted(ids)
    assert card_ids(response) == ids[:GALLERY_PAGE]  # the first page of tiles


def test_the_raw_key_is_sent_without_bearer(alice_client, alice_keys, fake):
    look_up(alice_client, " ".join(SEEDED_TASK_IDS[:2]))
    assert fake.requests[0].headers["authorization"] == DEMO_APIFRAME_KEY


def test_results_come_in_the_users_order_whatever_order_the_upstream_uses(
    alice_client, alice_keys, fake
):
    fake.result_order = "shuffled"
    order = SEEDED_TASK_IDS[::-1]
    assert card_ids(look_up(alice_client, "\n".join(order))) == order


@pytest.mark.parametrize("count", [1, 3])
def test_ids_the_vendor_echoes_in_upper_case_are_still_found(alice_client, alice_keys, fake, count):
    fake.ids_in_upper_case = True
    ids = new_ids(fake, count)
    response = look_up(alice_client, "\n".join(ids))
    assert [badge(response, task_id) for task_id in ids] == ["✓ finished"] * count


@pytest.mark.parametrize(("mode", "said"), [("omit", "not found"), ("failed", "Task not found")])
def test_an_id_the_upstream_does_not_return_is_shown_not_dropped(
    alice_client, alice_keys, fake, mode, said
):
    fake.unknown_task_mode = mode
    response = look_up(alice_client, f"{FINISHED_ID} {UNKNOWN_TASK_ID}")
    assert card_ids(response) == [FINISHED_ID, UNKNOWN_TASK_ID]
    assert said in text(card(response, UNKNOWN_TASK_ID))


def test_messy_pasted_text_with_duplicates_and_noise(alice_client, alice_keys, fake):
    a, b = SEEDED_TASK_IDS[0], SEEDED_TASK_IDS[6]
    pasted = f'log: task {a} done\n{{"task_id": "{b}"}}\nsee https://x.test/t/{a}, banana'
    response = look_up(alice_client, pasted)
    assert card_ids(response) == [a, b]
    report = one(response, ".found-report")
    assert "Found 2 task IDs; 1 duplicate dropped." in text(report)
    noise = texts(report, "details li code")
    assert "banana" in noise
    assert "log" in noise


def test_an_empty_submission_keeps_the_form_with_an_error(alice_client, alice_keys, fake):
    response = alice_client.post("/tasks/", {"ids": ""})
    assert response.status_code == 200
    assert field_error(response) == "Paste at least one task ID."


def test_text_without_ids_keeps_the_text_and_says_so(alice_client, alice_keys, fake):
    pasted = "no ids here, just <b>words</b> & 2026-11-22"
    response = alice_client.post("/tasks/", {"ids": pasted})
    assert field_error(response).startswith("No task ID found in that text.")
    assert pasted_text(response) == pasted
    assert fake.requests == []


def test_more_than_the_cap_is_refused_and_nothing_is_lost(alice_client, alice_keys, fake, settings):
    settings.TASKS_MAX_IDS = 5
    pasted = "\n".join(str(uuid.uuid4()) for _ in range(6))
    response = alice_client.post("/tasks/", {"ids": pasted})
    assert field_error(response).startswith(
        "Found 6 different task IDs; one lookup takes at most 5."
    )
    assert pasted_text(response) == pasted
    assert fake.requests == []
    assert not Lookup.objects.exists()


def test_the_default_cap_is_2000(alice_client, alice_keys, fake):
    ids = [str(uuid.uuid4()) for _ in range(2001)]
    response = alice_client.post("/tasks/", {"ids": " ".join(ids)})
    assert field_error(response).startswith(
        "Found 2,001 different task IDs; one lookup takes at most 2,000."
    )
    assert fake.requests == []


def test_no_key_saved_links_to_settings_and_keeps_the_text(alice_client, fake):
    response = alice_client.post("/tasks/", {"ids": FINISHED_ID})
    shown = notice(response)
    assert "You have not saved a key that looks up tasks yet." in text(shown)
    (link,) = all_of(shown, "a")
    assert (text(link), link["href"]) == ("Open Settings", "/settings/")
    assert pasted_text(response) == FINISHED_ID


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
    pasted = f"{SEEDED_TASK_IDS[0]}\n{SEEDED_TASK_IDS[1]}"
    response = alice_client.post("/tasks/", {"ids": pasted})
    assert response.status_code == 200
    assert message in text(notice(response))
    assert pasted_text(response) == pasted
    assert not Lookup.objects.exists()


def test_a_rejected_key_links_to_settings(alice_client, alice_keys, fake):
    fake.set_fault("401")
    shown = notice(alice_client.post("/tasks/", {"ids": FINISHED_ID}))
    (link,) = all_of(shown, "a")
    assert (text(link), link["href"]) == ("Open Settings", "/settings/")


def test_a_400_shows_every_message(alice_client, alice_keys, fake):
    fake.set_fault("400")
    response = alice_client.post("/tasks/", {"ids": " ".join(SEEDED_TASK_IDS[:2])})
    assert texts(notice(response), "li") == ["Invalid request", "task_ids must be an array"]


def test_a_timeout_and_a_refused_connection(alice_client, alice_keys, fake, settings):
    settings.UPSTREAM_TIMEOUT = 0.3
    fake.slow_seconds = 2
    fake.set_fault("slow")
    response = alice_client.post("/tasks/", {"ids": FINISHED_ID})
    assert "Apiframe is unavailable right now (no answer within 0.3 s)" in text(notice(response))
    settings.APIFRAME_BASE_URL = "http://127.0.0.1:9"
    response = alice_client.post("/tasks/", {"ids": FINISHED_ID})
    assert "Apiframe could not be reached (could not connect to 127.0.0.1)" in text(
        notice(response)
    )


def test_a_failed_batch_does_not_hide_the_others(alice_client, alice_keys, fake):
    ids = new_ids(fake, 21)  # one call of 20 and a lone /fetch
    fake.set_fault("500", path="/fetch")
    response = look_up(alice_client, "\n".join(ids))
    assert card_ids(response) == ids
    assert [badge(response, task_id) for task_id in ids[:20]] == ["✓ finished"] * 20
    lone = card(response, ids[-1])
    assert text(one(lone, ".badge")) == "⚠ could not fetch"
    assert "Apiframe is unavailable right now (HTTP 500)" in text_of_error(lone)


def text_of_error(element) -> str:
    return text(one(element, ".error"))


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
    response = look_up(alice_client, task_id)
    shown = card(response, task_id)
    assert all_of(shown, "script") == []
    assert [img["src"] for img in all_of(shown, "img")] == [
        'https://cdn.example/1.png"onerror="alert(4)'
    ]
    assert all(not a["href"].startswith(("javascript", "data")) for a in all_of(shown, "a[href]"))
    assert all(not img.get("onerror") for img in all_of(response, "img"))
    assert evil in text_of_error(shown)  # shown as text, not markup


def test_a_long_paste_is_never_cut_by_the_browser_and_too_long_is_refused_whole(
    alice_client, alice_keys, fake, settings
):
    box = one(alice_client.get("/tasks/"), "textarea[name=ids]")
    assert not box.has_attr("maxlength")
    assert box["data-max-chars"] == "2000000"  # the page's script checks before sending
    pasted = FINISHED_ID + " " + "x" * 2_000_001
    response = alice_client.post("/tasks/", {"ids": pasted})
    assert field_error(response) == (
        "That text is 2,000,038 characters long; one lookup reads at most 2,000,000. "
        "Paste it in parts."
    )
    assert pasted_text(response) == pasted
    assert fake.requests == []


def test_pasted_keys_among_the_noise_are_not_shown_back_in_full(alice_client, alice_keys, fake):
    pasted = f"curl -H 'Authorization: af_live_3c9f1e2d7b6a5c4d' {FINISHED_ID}"
    response = look_up(alice_client, pasted)
    assert "af_…4d" in texts(response, ".found-report details li code")
    assert "3c9f1e2d7b6a5c4d" not in response.content.decode()
    assert "3c9f1e2d7b6a5c4d" not in str(Lookup.objects.get().not_ids)


def test_a_lone_unknown_id_answered_with_400_is_not_found(alice_client, alice_keys, fake):
    fake.fetch_unknown_status = 400
    response = look_up(alice_client, UNKNOWN_TASK_ID)
    assert card_ids(response) == [UNKNOWN_TASK_ID]
    assert badge(response, UNKNOWN_TASK_ID) == "? not found"


def test_odd_task_data_is_shown_not_a_500(alice_client, alice_keys, fake):
    task_id = str(uuid.uuid4())
    fake.add_task(
        {"task_id": task_id, "status": "processing", "percentage": "nan", "image_urls": 5}
    )
    response = look_up(alice_client, task_id)
    assert response.status_code == 200
    assert card_ids(response) == [task_id]


def test_a_nul_character_anywhere_in_vendor_json_is_dropped_not_a_500(
    alice_client, alice_keys, fake
):
    task_id = str(uuid.uuid4())
    fake.add_task(
        {"task_id": task_id, "status": "finished", "prompt": "cat\x00dog", "x\x00": ["a\x00"]}
    )
    response = look_up(alice_client, task_id)  # PostgreSQL refuses NUL in JSON and text
    assert badge(response, task_id) == "✓ finished"
    saved = Lookup.objects.get().results.get().data
    assert (saved["prompt"], saved["x"]) == ("catdog", ["a"])


def test_a_whole_log_of_a_megabyte_holding_one_id_is_looked_up(alice_client, alice_keys, fake):
    noise = "2026-11-30 09:30:15 INFO worker heartbeat ok queue=images depth=0\n"
    pasted = noise * 8_000 + f"imagine done task={FINISHED_ID}\n" + noise * 8_000
    assert len(pasted) > 1_000_000
    response = alice_client.post("/tasks/", {"ids": pasted}, follow=True)
    assert card_ids(response) == [FINISHED_ID]
