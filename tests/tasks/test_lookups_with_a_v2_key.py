"""A teammate whose Apiframe key is for the v2 API pastes, looks and downloads exactly as one with
a v1 key does: the same cards from the same tasks, its calls one job at a time."""

import csv
import io
import json
import uuid

import pytest
from bs4 import Tag

from mjadmin.keys import credentials
from tasks.models import Lookup, TaskResult
from tests.fakes.fake_apiframe_v2 import CANCELLED_JOB_ID, EXPIRED_JOB_ID, TEAMMATE_JOB_ID
from tests.fakes.fake_vendors import (
    DEMO_APIFRAME_KEY,
    DEMO_APIFRAME_V2_KEY,
    PROGRESSING_TASK_IDS,
    SEEDED_TASK_IDS,
    UNKNOWN_TASK_ID,
)
from tests.html import all_of, one, text, text_of, texts
from tests.tasks.pages import (
    SAMPLE,
    SAMPLE_IDS,
    badge,
    card,
    card_ids,
    cards,
    look_up,
    pasted_text,
    polling,
    refresh,
    tiles,
)
from tests.test_vendor_faults import message_shown

V2_JOBS = "/apiframe-v2/v2/jobs"


@pytest.fixture
def alice_v2(alice) -> None:
    credentials.save_secret(alice, "useapi", "user:1234-mjadminDemoUseapiToken0001")
    credentials.save_secret(alice, "apiframe", DEMO_APIFRAME_V2_KEY, api="v2")


def shown_as(article: Tag) -> dict[str, object]:
    """What a card shows a teammate: everything but its age line."""
    return {
        "id": text_of(article, ".task-id code"),
        "badge": text_of(article, ".badge"),
        "type": texts(article, ".task-head > div:nth-of-type(2) .muted"),
        "progress": [p.get("value") for p in all_of(article, "progress")],
        "images": [(img["src"], img["alt"]) for img in all_of(article, ".thumbs img")],
        "videos": [a["href"] for a in all_of(article, ".task-media p a")],
        "prompt": texts(article, ".prompt"),
        "meta": texts(article, ".task-meta"),
        "error": texts(article, ".error"),
    }


def gallery(response) -> list[dict[str, object]]:
    return [shown_as(article) for article in cards(response)]


def test_the_demo_sample_looks_the_same_with_a_v2_key_as_with_a_v1_key(
    alice_client, alice_v2, bob_client, bob_keys, fake
):
    with_v1 = look_up(bob_client, SAMPLE)
    # The fake's tasks and jobs are two stores: each progresses on its own API's calls.
    with_v2 = look_up(alice_client, SAMPLE)
    assert card_ids(with_v2) == SAMPLE_IDS
    v1_cards, v2_cards = gallery(with_v1), gallery(with_v2)
    assert [c["id"] for c in v2_cards] == [c["id"] for c in v1_cards]
    assert len(v2_cards) == 9
    for v1_card, v2_card in zip(v1_cards, v2_cards, strict=True):
        # v1 notes its own word for a running status ("processing"); v2's says no more than
        # the badge, so it adds none.
        v1_card["type"] = [t for t in v1_card["type"] if not t.startswith("(")]
        assert v2_card == v1_card
    assert tiles(with_v2) == tiles(with_v1)
    # Equal, and not because both are empty: the first is a finished grid and its 4 images.
    assert v2_cards[0]["badge"] == "✓ finished" and len(v2_cards[0]["images"]) == 5


def test_a_v2_lookup_asks_each_job_once_with_the_x_api_key_and_never_v1(
    alice_client, alice_v2, fake
):
    response = look_up(alice_client, f"{SAMPLE}\n1732262415123")
    assert response.status_code == 200
    asked = [r.path.removeprefix(f"{V2_JOBS}/") for r in fake.requests]
    assert sorted(asked) == sorted(SAMPLE_IDS)  # the duplicate once
    assert {r.headers["x-api-key"] for r in fake.requests} == {DEMO_APIFRAME_V2_KEY}
    assert not any("authorization" in r.headers for r in fake.requests)
    # An old numeric id is no v2 job: not asked, shown as not found.
    assert badge(response, "1732262415123") == "? not found"


def test_cancelled_jobs_have_their_own_badge_and_tile_and_are_never_asked_again(
    alice_client, alice_v2, fake
):
    response = look_up(alice_client, f"{CANCELLED_JOB_ID} {SEEDED_TASK_IDS[0]}")
    assert badge(response, CANCELLED_JOB_ID) == "⊘ cancelled"
    assert tiles(response) == {
        "all": 2,
        "✓ finished": 1,
        "⟳ running": 0,
        "… pending": 0,
        "✕ failed": 0,
        "? not found": 0,
        "⊘ cancelled": 1,
    }
    lookup = Lookup.objects.get()
    filtered = alice_client.get(f"/tasks/{lookup.id}/?status=cancelled")
    assert card_ids(filtered) == [CANCELLED_JOB_ID]
    assert not polling(response)
    fake.requests.clear()
    refresh(alice_client, f"/tasks/{lookup.id}/")
    assert fake.requests == []  # both are over: nothing is asked again


def test_a_v1_lookup_shows_no_cancelled_tile(alice_client, alice_keys, fake):
    response = look_up(alice_client, SEEDED_TASK_IDS[0])
    assert "⊘ cancelled" not in tiles(response)


def test_an_expired_job_says_its_links_may_be_gone_on_its_card_and_row(
    alice_client, alice_v2, fake
):
    response = look_up(alice_client, f"{EXPIRED_JOB_ID} {SEEDED_TASK_IDS[0]}")
    expired = card(response, EXPIRED_JOB_ID)
    assert text_of(expired, ".expired") == (
        "expired Apiframe has purged this job's files: its links may no longer open."
    )
    assert len(all_of(expired, ".thumbs img")) == 4  # still shown: they may still open
    assert all_of(card(response, SEEDED_TASK_IDS[0]), ".expired") == []
    lookup = Lookup.objects.get()
    table = alice_client.get(f"/tasks/{lookup.id}/", {"view": "table"})
    statuses = texts(table, "table.results-table tbody td[data-label=Status]")
    assert statuses == ["✓ finished expired", "✓ finished"]


def test_a_finished_job_says_how_long_it_took_and_a_running_one_for_how_long(
    alice_client, alice_v2, fake
):
    running = str(uuid.uuid4())
    fake.add_job(
        {"id": running, "status": "PROCESSING", "progress": 50, "createdAt": "2026-11-30T09:00Z"}
    )
    response = look_up(alice_client, f"{SEEDED_TASK_IDS[0]} {running}")
    assert text_of(card(response, SEEDED_TASK_IDS[0]), ".task-age").endswith(" · took 42 seconds")
    ran = one(card(response, SEEDED_TASK_IDS[0]), ".task-age time:nth-of-type(2)")
    assert ran["datetime"] == "PT42S"
    # createdAt is when it began: over the stuck threshold here.
    age = text_of(card(response, running), ".task-age")
    assert age.startswith("⚠ running for ") and age.endswith("it may be stuck")


def test_running_jobs_are_polled_until_they_finish(alice_client, alice_v2, fake):
    fake.steps_to_finish = 2
    pending = PROGRESSING_TASK_IDS[0]
    response = look_up(alice_client, pending)
    assert badge(response, pending) == "⟳ running" and polling(response)
    lookup = Lookup.objects.get()
    response = refresh(alice_client, f"/tasks/{lookup.id}/")
    assert badge(response, pending) == "✓ finished"
    assert len(all_of(card(response, pending), ".thumbs img")) == 5
    assert not polling(response)
    assert TaskResult.objects.get().state == "finished"


def test_a_teammate_with_a_v1_key_sees_a_v2_lookup_as_its_owner_does(
    alice_client, alice_v2, bob_client, bob_keys, fake
):
    look_up(alice_client, f"{SEEDED_TASK_IDS[0]} {SEEDED_TASK_IDS[13]} {CANCELLED_JOB_ID}")
    lookup = Lookup.objects.get()
    fake.requests.clear()
    as_bob = bob_client.get(f"/tasks/{lookup.id}/")
    assert gallery(as_bob) == gallery(alice_client.get(f"/tasks/{lookup.id}/"))
    assert fake.requests == []  # all three are over: bob's key is not even used


def test_exports_hold_the_jobs_as_the_vendor_sent_them(alice_client, alice_v2, fake):
    look_up(alice_client, f"{SEEDED_TASK_IDS[0]} {CANCELLED_JOB_ID} {UNKNOWN_TASK_ID}")
    lookup = Lookup.objects.get()
    rows = list(
        csv.DictReader(io.StringIO(alice_client.get(f"/tasks/{lookup.id}/export.csv").text))
    )
    assert [(r["mjadmin_status"], r["apiframe_status"]) for r in rows] == [
        ("finished", "COMPLETED"),
        ("cancelled", "CANCELLED"),
        ("not found", ""),
    ]
    assert rows[0]["grid_image_url"].endswith(f"{SEEDED_TASK_IDS[0]}/grid.png")
    assert len(rows[0]["image_urls"].split()) == 4
    data = json.loads(alice_client.get(f"/tasks/{lookup.id}/export.json").content)
    assert data["tasks"][0]["task"]["id"] == SEEDED_TASK_IDS[0]
    assert data["tasks"][0]["task"]["input"] == {"action": "imagine", "sref": "2961418376"}
    urls = alice_client.get(f"/tasks/{lookup.id}/images.txt").text.split()
    assert len(urls) == 5


def test_the_history_finds_a_v2_lookup_by_its_prompt_words(alice_client, alice_v2, fake):
    look_up(alice_client, CANCELLED_JOB_ID)  # "a paper boat on a stormy sea --ar 16:9"
    lookup = Lookup.objects.get()
    found = alice_client.get("/tasks/history/", {"q": "stormy boat"})
    assert [a["href"] for a in all_of(found, "table.history tbody a")] == [f"/tasks/{lookup.id}/"]
    row = one(found, "table.history tbody tr")
    assert text_of(row, "td[data-label=Failed]") == "0 + 1 cancelled"


def test_the_table_sorts_v2_jobs_by_age_and_type(alice_client, alice_v2, fake):
    ids = []
    for action, created in (("upscale", "09:00"), ("blend", "11:00"), ("imagine", "10:00")):
        ids.append(str(uuid.uuid4()))
        fake.add_job(
            {
                "id": ids[-1],
                "status": "COMPLETED",
                "input": {"action": action},
                "createdAt": f"2026-11-30T{created}:00Z",
            }
        )
    look_up(alice_client, " ".join(ids))
    lookup = Lookup.objects.get()

    def column(sort: str, label: str) -> list[str]:
        shown = alice_client.get(f"/tasks/{lookup.id}/", {"view": "table", "sort": sort})
        return texts(shown, f"table.results-table tbody td[data-label={label}]")

    assert column("type", "Type") == ["blend", "imagine", "upscale"]
    assert column("age", "Type") == ["blend", "imagine", "upscale"]  # youngest first
    assert column("", "Type") == ["upscale", "blend", "imagine"]  # the user's order


def test_a_rejected_v2_key_keeps_the_paste_and_saves_nothing(alice_client, alice, fake):
    credentials.save_secret(alice, "apiframe", "afk_not_known_to_apiframe_01", api="v2")
    response = alice_client.post("/tasks/", {"ids": SAMPLE})
    assert message_shown(response) == (
        "Key rejected",
        "Apiframe rejected your API key. Check it on the Settings page.",
    )
    assert pasted_text(response) == SAMPLE
    assert not Lookup.objects.exists()


def test_a_v1_key_marked_for_v2_is_refused_by_v2_and_works_once_switched_back(
    alice_client, alice, fake
):
    credentials.save_secret(alice, "apiframe", DEMO_APIFRAME_KEY, api="v2")
    response = alice_client.post("/tasks/", {"ids": SEEDED_TASK_IDS[0]})
    assert message_shown(response)[0] == "Key rejected"
    assert credentials.set_api(alice, "apiframe", "v1")
    response = look_up(alice_client, SEEDED_TASK_IDS[0])
    assert badge(response, SEEDED_TASK_IDS[0]) == "✓ finished"


def test_another_users_job_is_not_found_for_this_key(alice_client, alice_v2, fake):
    response = look_up(alice_client, TEAMMATE_JOB_ID)
    assert badge(response, TEAMMATE_JOB_ID) == "? not found"
    assert text(one(response, ".group-note")).startswith("? 1 ID was not found")


def test_a_lookup_keeps_the_api_it_was_asked_of(alice_client, alice_v2, bob_client, bob_keys, fake):
    look_up(alice_client, SAMPLE)
    look_up(bob_client, SAMPLE)
    assert sorted(Lookup.objects.values_list("owner__username", "api")) == [
        ("alice", "apiframe-v2"),
        ("bob", "apiframe-v1"),
    ]


def test_a_key_for_the_other_api_does_not_ask_and_says_why(
    alice_client, alice_v2, bob_client, bob_keys, fake
):
    running = PROGRESSING_TASK_IDS[0]
    opened = look_up(bob_client, running)
    lookup = Lookup.objects.get()
    before = list(lookup.results.values_list("state", "data"))
    asked = len(fake.requests)
    # Alice's key is for v2: asked of it, Bob's v1 task would be "not found" for the team.
    url = opened.request["PATH_INFO"]
    page = refresh(alice_client, url)
    assert len(fake.requests) == asked
    assert "This lookup is for the other Apiframe API" in text_of(page, ".alert-error h2")
    assert list(lookup.results.values_list("state", "data")) == before
    assert not polling(page)
    # Bob, whose key is for its API, still brings it up to date.
    refresh(bob_client, url)
    assert len(fake.requests) > asked


def test_a_finished_lookup_of_the_other_api_says_so_and_offers_no_refresh(
    alice_client, alice_v2, bob_client, bob_keys, fake
):
    finished = SEEDED_TASK_IDS[0]
    url = look_up(bob_client, finished).request["PATH_INFO"]
    asked = len(fake.requests)
    for page in (alice_client.get(url), alice_client.get(url, {"partial": "1"})):
        shown = one(page, "#live-problem .alert-error")
        assert text_of(shown, "h2") == "This lookup is for the other Apiframe API"
        # A Refresh would ask nothing of Apiframe: none is offered, nor said to exist.
        assert all_of(page, "#live-status form") == []
        assert "Refresh" not in text(one(page, "#live-status"))
        assert badge(page, finished) == "✓ finished"
    assert len(fake.requests) == asked
    # Its owner, whose key is for its API, is offered one and told nothing is wrong.
    own = bob_client.get(url)
    assert text(one(own, "#live-problem")) == ""
    assert text_of(own, "#live-status form button") == "Refresh now"


@pytest.mark.django_db(transaction=True)  # a filler closes its thread's connection when done
def test_a_filler_asks_nothing_once_its_owner_switched_api(alice, alice_v2, fake):
    from datetime import timedelta

    from django.utils import timezone

    from tasks import filling

    lookup = Lookup.objects.create(
        owner=alice, filling_until=timezone.now() + timedelta(minutes=1), api="apiframe-v1"
    )
    lookup.results.create(position=0, task_id=SEEDED_TASK_IDS[0])
    fill = filling.Fill(alice, [SEEDED_TASK_IDS[0]], lookup.filling_until, "apiframe-v1")
    fill.attach(lookup)
    fill.run()
    assert fake.requests == []
    assert Lookup.objects.get().filling_until is None
