"""Recent jobs: a v2 key's jobs listed from `GET /v2/jobs` over loopback HTTP, page by page with
Apiframe's cursor, by status or by a job's ID; each job opened on a page of its own, and a listed
page saved as a lookup like any paste. A v1 key is told why there is no list."""

import logging
import uuid
from urllib.parse import parse_qs

import pytest

from mjadmin.keys import credentials
from tasks import jobs_views
from tasks.models import Lookup
from tests.fakes.fake_apiframe_v2 import CANCELLED_JOB_ID, EXPIRED_JOB_ID, TEAMMATE_JOB_ID
from tests.fakes.fake_vendors import DEMO_APIFRAME_V2_KEY, UNKNOWN_TASK_ID
from tests.html import all_of, messages, notice, one, text, text_of, texts
from tests.tasks.pages import card_ids
from tests.test_vendor_faults import message_shown

LIST = "/apiframe-v2/v2/jobs"
BADGES = {
    "COMPLETED": "✓ finished",
    "PROCESSING": "⟳ running",
    "QUEUED": "… pending",
    "FAILED": "✕ failed",
    "CANCELLED": "⊘ cancelled",
}


@pytest.fixture
def alice_v2(alice) -> None:
    credentials.save_secret(alice, "apiframe", DEMO_APIFRAME_V2_KEY, api="v2")


def own_jobs(fake, status: str | None = None) -> list[str]:
    """The demo v2 key's job ids, newest first, as Apiframe lists them."""
    jobs = [
        job
        for job_id, job in fake.apiframe_v2.jobs.items()
        if fake.apiframe_v2.owners[job_id] == DEMO_APIFRAME_V2_KEY
        and (status is None or job["status"] == status)
    ]
    jobs.sort(key=lambda job: (job["createdAt"], job["id"]), reverse=True)
    return [job["id"] for job in jobs]


def listed(response) -> list[str]:
    return texts(response, "#jobs tbody th code")


def badges(response) -> list[str]:
    # The status badge; an "expired" one may follow it.
    return texts(response, "#jobs tbody td[data-label=Status] > .badge:first-child")


def asked(fake) -> list[dict[str, list[str]]]:
    """The query of each call that listed jobs."""
    return [parse_qs(r.query) for r in fake.requests_to(LIST)]


def look_up_form(response) -> dict[str, list[str]]:
    """What the page's "Look these up" button posts."""
    form = one(response, "form#look-up-jobs")
    sent: dict[str, list[str]] = {}
    for field in all_of(form, "input[type=hidden]"):
        sent.setdefault(field["name"], []).append(field["value"])
    return sent


# -- the list -----------------------------------------------------------------------------------


def test_it_lists_the_keys_own_jobs_newest_first_each_a_link_to_its_page(
    alice_client, alice_v2, fake
):
    response = alice_client.get("/tasks/jobs/")
    assert response.status_code == 200
    expected = own_jobs(fake)
    assert listed(response) == expected
    assert TEAMMATE_JOB_ID not in expected  # another key's job is never listed
    statuses = [fake.apiframe_v2.jobs[job_id]["status"] for job_id in expected]
    assert badges(response) == [BADGES[status] for status in statuses]
    links = [a["href"] for a in all_of(response, "#jobs tbody th a")]
    assert links == [f"/tasks/jobs/{job_id}/" for job_id in expected]
    (sent,) = fake.requests
    assert sent.headers["x-api-key"] == DEMO_APIFRAME_V2_KEY
    assert parse_qs(sent.query) == {"limit": ["36"]}
    assert text_of(response, "#jobs-heading") == "Newest jobs"


def test_the_expired_and_cancelled_jobs_show_as_their_lookup_rows_do(alice_client, alice_v2, fake):
    response = alice_client.get("/tasks/jobs/")
    rows = {text_of(row, "th code"): row for row in all_of(response, "#jobs tbody tr")}
    assert text_of(rows[EXPIRED_JOB_ID], "td[data-label=Status]") == "✓ finished expired"
    assert text_of(rows[CANCELLED_JOB_ID], "td[data-label=Status]") == "⊘ cancelled"
    assert text_of(rows[CANCELLED_JOB_ID], "td[data-label=Prompt]") == (
        "a paper boat on a stormy sea --ar 16:9"
    )


def test_older_jobs_are_paged_through_with_apiframes_cursor(
    alice_client, alice_v2, fake, monkeypatch
):
    monkeypatch.setattr(jobs_views, "PAGE_SIZE", 5)
    expected = own_jobs(fake)
    seen: list[str] = []
    response = alice_client.get("/tasks/jobs/")
    assert all_of(response, "a[rel=next]") and not texts(response, ".pagination a:not([rel])")
    for _ in range(10):  # 4 pages; a list that never ends fails instead of hanging
        seen += listed(response)
        following = all_of(response, "a[rel=next]")
        if not following:
            break
        assert text(following[0]) == "Older jobs →"
        response = alice_client.get(following[0]["href"])
        assert text_of(response, "#jobs-heading") == "Older jobs"
        newest = one(response, ".pagination a:not([rel])")
        assert (text(newest), newest["href"]) == ("← Newest jobs", "/tasks/jobs/")
    assert seen == expected
    cursors = [query.get("cursor") for query in asked(fake)]
    assert cursors[0] is None and all(cursors[1:])
    assert len(cursors) == 4  # 18 jobs, 5 a page


@pytest.mark.parametrize(
    ("status", "v2"),
    [
        ("finished", "COMPLETED"),
        ("running", "PROCESSING"),
        ("pending", "QUEUED"),
        ("failed", "FAILED"),
        ("cancelled", "CANCELLED"),
    ],
)
def test_a_status_filter_asks_apiframe_for_its_own_name_of_it(
    alice_client, alice_v2, fake, status, v2
):
    response = alice_client.get("/tasks/jobs/", {"status": status})
    assert listed(response) == own_jobs(fake, v2)
    assert set(badges(response)) == {BADGES[v2]}
    assert asked(fake) == [{"limit": ["36"], "status": [v2]}]
    assert one(response, "#id_status option[selected]")["value"] == status


def test_the_status_list_offers_the_apps_own_labels(alice_client, alice_v2, fake):
    options = texts(alice_client.get("/tasks/jobs/"), "#id_status option")
    assert options == [
        "every status",
        "✓ finished",
        "⟳ running",
        "… pending",
        "✕ failed",
        "⊘ cancelled",
    ]


def test_a_status_that_is_not_on_the_list_is_a_form_error_and_asks_nothing(
    alice_client, alice_v2, fake
):
    response = alice_client.get("/tasks/jobs/", {"status": "COMPLETED"})
    assert text_of(response, "#id_status_error") == "Choose a status from the list."
    assert one(response, "#id_status")["aria-describedby"] == "id_status_error"
    assert fake.requests == []


def test_a_job_is_found_by_its_id_however_it_was_pasted(alice_client, alice_v2, fake):
    response = alice_client.get("/tasks/jobs/", {"job": f"  {EXPIRED_JOB_ID.upper()}\n"})
    assert listed(response) == [EXPIRED_JOB_ID]
    assert asked(fake) == [{"limit": ["36"], "search": [EXPIRED_JOB_ID]}]
    assert text_of(response, "#jobs-heading") == f"Job {EXPIRED_JOB_ID}"


def test_a_job_id_apiframe_does_not_know_for_this_key_is_said_so(alice_client, alice_v2, fake):
    for job_id in (UNKNOWN_TASK_ID, TEAMMATE_JOB_ID):
        response = alice_client.get("/tasks/jobs/", {"job": job_id})
        assert listed(response) == []
        assert text_of(response, "#jobs-none") == f"Apiframe has no job {job_id} for your key."


@pytest.mark.parametrize(
    "pasted",
    [
        f"https://app.example.com/jobs/{EXPIRED_JOB_ID}?tab=images",
        f'2025-06-01 10:00:02 INFO job finished {{"jobId": "{EXPIRED_JOB_ID}"}}',
        f"{EXPIRED_JOB_ID} retried as {EXPIRED_JOB_ID.upper()}",  # one job, said twice
    ],
    ids=["address", "log line", "the same id twice"],
)
def test_a_job_is_found_in_any_text_holding_its_id(alice_client, alice_v2, fake, pasted):
    response = alice_client.get("/tasks/jobs/", {"job": pasted})
    assert listed(response) == [EXPIRED_JOB_ID]
    assert asked(fake) == [{"limit": ["36"], "search": [EXPIRED_JOB_ID]}]
    assert text_of(response, "#jobs-heading") == f"Job {EXPIRED_JOB_ID}"


def test_a_text_holding_several_job_ids_asks_for_one_and_keeps_the_text(
    alice_client, alice_v2, fake
):
    pasted = f"{EXPIRED_JOB_ID}, {CANCELLED_JOB_ID}"
    response = alice_client.get("/tasks/jobs/", {"job": pasted})
    assert text_of(response, "#id_job_error") == (
        "That text holds 2 different job IDs; search for one at a time. To see them all "
        "together, paste the text on the Tasks page instead."
    )
    assert one(response, "input[name=job]")["value"] == pasted
    assert all_of(response, "#jobs") == []
    assert fake.requests == []


@pytest.mark.parametrize(
    "typed", ["not-a-uuid", "29e983ca-7e86-4017-a9e3", "1732262415123", "job 1732262415123"]
)
def test_a_search_that_is_not_a_job_id_is_a_form_error_with_the_text_kept(
    alice_client, alice_v2, fake, typed
):
    response = alice_client.get("/tasks/jobs/", {"job": typed})
    assert text_of(response, "#id_job_error") == (
        "No job ID in that text: a job ID is a UUID, like 29e983ca-7e86-4017-a9e3-ef6fe9cd5f2a. "
        "Paste one whole (alone, or in an address or a log line), or leave this blank to list "
        "every job."
    )
    assert one(response, "#id_job")["aria-invalid"] == "true"
    assert one(response, "input[name=job]")["value"] == typed
    assert all_of(response, "#jobs") == []
    assert fake.requests == []


def test_a_cursor_apiframe_refuses_leads_back_to_the_first_page(alice_client, alice_v2, fake):
    response = alice_client.get(
        "/tasks/jobs/", {"status": "finished", "cursor": "bm90LWEtY3Vyc29y"}
    )
    assert response.status_code == 200
    assert message_shown(response) == (
        "That page of jobs is gone",
        "Apiframe no longer knows that page of jobs: its link is too old, or was never one of its "
        "own. Start again from the newest jobs.",
    )
    back = one(notice(response), "a")
    assert (text(back), back["href"]) == ("Back to the newest jobs", "/tasks/jobs/?status=finished")
    assert asked(fake)[0]["cursor"] == ["bm90LWEtY3Vyc29y"]


@pytest.mark.parametrize("cursor", ["x" * 1001, "line\nbreak", "nul\x00"])
def test_a_cursor_apiframe_never_gave_is_not_sent(alice_client, alice_v2, fake, cursor):
    response = alice_client.get("/tasks/jobs/", {"cursor": cursor})
    assert message_shown(response)[0] == "That page of jobs is gone"
    assert one(notice(response), "a")["href"] == "/tasks/jobs/"
    assert fake.requests == []


def test_a_rate_limited_list_says_so(alice_client, alice_v2, fake):
    fake.set_fault("429", path=LIST)
    response = alice_client.get("/tasks/jobs/")
    assert response.status_code == 200
    assert message_shown(response) == (
        "Service unavailable",
        "Apiframe is limiting how often it is asked (HTTP 429): Too many requests, please slow "
        "down. Wait a minute, then try again.",
    )
    assert all_of(response, "#jobs") == []


def test_a_short_retry_after_is_waited_out(alice_client, alice_v2, fake):
    fake.set_fault("429-retry", path=LIST, times=1)
    response = alice_client.get("/tasks/jobs/")
    assert listed(response) == own_jobs(fake)
    assert all_of(response, "[role=alert]") == []


def test_a_list_at_a_wrong_address_says_which_setting_to_check(alice_client, alice_v2, fake):
    fake.set_fault("404-empty", path=LIST)
    assert message_shown(alice_client.get("/tasks/jobs/")) == (
        "Service unavailable",
        f"Apiframe has no /v2/jobs at {fake.apiframe_v2_base_url}. Check APIFRAME_V2_BASE_URL, "
        "or try again later.",
    )


def test_an_answer_of_the_wrong_shape_is_a_notice(alice_client, alice_v2, fake):
    fake.set_fault("bad-shape", path=LIST)
    assert message_shown(alice_client.get("/tasks/jobs/")) == (
        "Service unavailable",
        "Apiframe answered in a shape mjadmin does not understand. Try again in a minute.",
    )


def test_odd_entries_in_a_list_are_skipped_and_an_odd_id_gets_no_link(
    alice_client, alice_v2, fake, monkeypatch
):
    job = fake.apiframe_v2.jobs[CANCELLED_JOB_ID] | {"id": "job-42"}
    payload = {
        "jobs": [None, "x", {"task_id": "v1"}, {"id": 7}, job, {"id": EXPIRED_JOB_ID}],
        "hasMore": True,
        "nextCursor": "bad\ncursor",
    }
    monkeypatch.setattr(fake.apiframe_v2, "_list", lambda known, query: (200, payload, {}))
    response = alice_client.get("/tasks/jobs/")
    assert listed(response) == ["job-42", EXPIRED_JOB_ID]
    assert [a["href"] for a in all_of(response, "#jobs tbody th a")] == [
        f"/tasks/jobs/{EXPIRED_JOB_ID}/"
    ]
    assert look_up_form(response)["id"] == [EXPIRED_JOB_ID]
    assert all_of(response, "a[rel=next]") == []  # a cursor that cannot go in a link


def test_job_fields_are_shown_as_text_never_as_markup(alice_client, alice_v2, fake):
    job_id = str(uuid.uuid4())
    fake.add_job(
        {
            "id": job_id,
            "status": "FAILED",
            "model": "<img src=x onerror=alert(1)>",
            "progress": None,
            "error": "<b>broken</b>",
            "createdAt": "2099-01-01T00:00:00Z",
            "input": {"prompt": "<script>alert(1)</script>"},
        }
    )
    for address in ("/tasks/jobs/", f"/tasks/jobs/{job_id}/"):
        response = alice_client.get(address)
        assert all_of(response, "main script, main b, main img[onerror]") == []
        assert "<script>alert(1)</script>" in text(one(response, "main"))


def test_the_key_is_in_no_page_link_or_log_even_when_apiframe_echoes_it(
    alice_client, alice_v2, fake, monkeypatch, caplog
):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setattr(jobs_views, "PAGE_SIZE", 5)
    first = alice_client.get("/tasks/jobs/")
    pages = [first, alice_client.get(one(first, "a[rel=next]")["href"])]
    pages.append(alice_client.get(f"/tasks/jobs/{EXPIRED_JOB_ID}/"))
    pages.append(alice_client.get("/tasks/key-account/"))
    fake.set_fault("echo-key")
    pages.append(alice_client.get("/tasks/jobs/"))
    assert "Invalid request for key ••••cdef" in text(notice(pages[-1]))
    pages.append(alice_client.get(f"/tasks/jobs/{EXPIRED_JOB_ID}/"))
    pages.append(alice_client.post("/tasks/jobs/look-up/", look_up_form(first), follow=True))
    assert {r.headers["x-api-key"] for r in fake.requests} == {DEMO_APIFRAME_V2_KEY}
    for response in pages:
        assert response.status_code == 200
        assert "mjadmin_0123456789" not in response.content.decode()
    assert "mjadmin_0123456789" not in caplog.text


# -- who may list -------------------------------------------------------------------------------


def test_a_v1_key_is_told_the_list_needs_a_v2_key(alice_client, alice_keys, fake):
    for address in ("/tasks/jobs/", f"/tasks/jobs/{EXPIRED_JOB_ID}/"):
        response = alice_client.get(address)
        assert response.status_code == 200
        shown = one(response, "#needs-v2")
        said = text(shown)
        assert said.startswith("Recent jobs lists the jobs of an Apiframe v2 key (keys starting")
        assert "Your saved key is for the original API (v1), which keeps no list of jobs" in said
        assert one(shown, "a[href='/settings/']") is not None
    assert fake.requests == []


def test_with_no_key_the_page_says_to_save_one(alice_client, fake):
    response = alice_client.get("/tasks/jobs/")
    title, said = message_shown(response)
    assert title == "API key needed"
    assert said.startswith("You have not saved a key that looks up tasks yet. Save one for ")
    assert fake.requests == []


# -- one job ------------------------------------------------------------------------------------


def test_a_job_opens_as_the_card_a_lookup_shows(alice_client, alice_v2, fake):
    response = alice_client.get(f"/tasks/jobs/{EXPIRED_JOB_ID}/")
    assert response.status_code == 200
    assert card_ids(response) == [EXPIRED_JOB_ID]
    card = one(response, "article.task")
    assert text_of(card, ".task-head > div > .badge") == "✓ finished"
    assert text_of(card, ".expired").startswith("expired Apiframe has purged this job's files")
    assert text_of(card, ".prompt") == "Prompt: a fox in fresh snow, morning light"
    assert len(all_of(card, ".thumbs img")) == 4
    assert '"expired": true' in text_of(card, "details pre")
    assert text_of(card, ".task-age").endswith("· took 51 seconds")


def test_a_job_apiframe_does_not_know_for_this_key_is_a_404_that_says_so(
    alice_client, alice_v2, fake
):
    response = alice_client.get(f"/tasks/jobs/{TEAMMATE_JOB_ID}/")
    assert response.status_code == 404
    assert text_of(response, "#job-not-found").startswith(
        f"Apiframe has no job {TEAMMATE_JOB_ID} for your key."
    )


def test_a_job_page_shows_a_notice_when_apiframe_fails(alice_client, alice_v2, fake):
    fake.set_fault("500")
    response = alice_client.get(f"/tasks/jobs/{EXPIRED_JOB_ID}/")
    assert message_shown(response) == (
        "Service unavailable",
        "Apiframe is unavailable right now (HTTP 500). Try again in a minute.",
    )


# -- "Look these up" ----------------------------------------------------------------------------


def test_look_these_up_saves_the_listed_jobs_in_order_and_opens_the_lookup(
    alice_client, alice_v2, fake
):
    page = alice_client.get("/tasks/jobs/")
    button = one(page, "form#look-up-jobs button")
    assert text(button) == "Look these 18 jobs up"
    response = alice_client.post("/tasks/jobs/look-up/", look_up_form(page))
    lookup = Lookup.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/tasks/{lookup.id}/"
    ids = list(lookup.results.order_by("position").values_list("task_id", flat=True))
    assert ids == listed(page) == own_jobs(fake)
    assert (lookup.owner.username, lookup.name) == ("alice", "Recent jobs")
    opened = alice_client.get(response["Location"])
    assert card_ids(opened) == ids


def test_looking_up_a_filtered_page_names_the_lookup_after_the_filter(alice_client, alice_v2, fake):
    page = alice_client.get("/tasks/jobs/", {"status": "failed"})
    alice_client.post("/tasks/jobs/look-up/", look_up_form(page))
    lookup = Lookup.objects.get()
    assert lookup.name == "Recent jobs: failed"
    assert list(lookup.results.values_list("task_id", flat=True)) == own_jobs(fake, "FAILED")


def test_a_job_is_looked_up_from_its_own_page(alice_client, alice_v2, fake):
    page = alice_client.get(f"/tasks/jobs/{CANCELLED_JOB_ID}/")
    form = one(page, "main form")
    sent = {field["name"]: field["value"] for field in all_of(form, "input[type=hidden]")}
    response = alice_client.post(form["action"], sent)
    lookup = Lookup.objects.get()
    assert response["Location"] == f"/tasks/{lookup.id}/"
    assert list(lookup.results.values_list("task_id", "state")) == [(CANCELLED_JOB_ID, "cancelled")]


@pytest.mark.parametrize(
    ("ids", "said"),
    [
        ([], "No jobs to look up: list some first."),
        (["not-an-id"], "Those are not the listed job IDs."),
        ([UNKNOWN_TASK_ID, "<script>"], "Those are not the listed job IDs."),
        ([UNKNOWN_TASK_ID] * 101, "At most 100 jobs at once."),
    ],
)
def test_a_post_that_is_not_a_listed_page_saves_nothing(alice_client, alice_v2, fake, ids, said):
    response = alice_client.post(
        "/tasks/jobs/look-up/", {"id": ids, "status": "failed"}, follow=True
    )
    assert messages(response) == [said]
    assert response.redirect_chain[0][0] == "/tasks/jobs/?status=failed"
    assert not Lookup.objects.exists()
    assert fake.requests_to(LIST) == [fake.requests[-1]]  # only the page it went back to


def test_when_apiframe_fails_every_call_nothing_is_saved_and_the_list_says_why(
    alice_client, alice_v2, fake
):
    page = alice_client.get("/tasks/jobs/")
    fake.set_fault("401")
    response = alice_client.post("/tasks/jobs/look-up/", look_up_form(page), follow=True)
    assert messages(response) == [
        "Nothing was saved: Apiframe rejected your API key. Check it on the Settings page."
    ]
    assert not Lookup.objects.exists()
