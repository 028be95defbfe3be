"""The fake's Apiframe beyond v1's fetch: v2 jobs and /v2/me (shared/api/apiframe-v2.md), v1's
GET /account, and v1's two auth schemes. If it drifts from the contract, every client test lies."""

from __future__ import annotations

import time
import uuid
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.fakes import fake_apiframe_v2
from tests.fakes.fake_apiframe_v2 import CANCELLED_JOB_ID, EXPIRED_JOB_ID, TEAMMATE_JOB_ID
from tests.fakes.fake_vendors import (
    DEMO_APIFRAME_KEY,
    DEMO_APIFRAME_V2_KEY,
    INACTIVE_APIFRAME_V2_KEY,
    MEMBER_APIFRAME_V2_KEY,
    PROGRESSING_TASK_IDS,
    SEEDED_TASK_IDS,
    UNKNOWN_TASK_ID,
    FakeUpstream,
    main,
)
from tests.fakes.test_fake_vendors import Reply, call

V2 = fake_apiframe_v2.PREFIX
KEY = {"X-API-Key": DEMO_APIFRAME_V2_KEY}
RAW = {"Authorization": DEMO_APIFRAME_KEY}
BEARER = {"Authorization": f"Bearer {DEMO_APIFRAME_KEY}"}
FINISHED_IMAGINE, PENDING = SEEDED_TASK_IDS[0], SEEDED_TASK_IDS[1]
JOB_FIELDS = {
    "id",
    "status",
    "model",
    "progress",
    "error",
    "creditCost",
    "webhookStatus",
    "createdAt",
    "completedAt",
}


def job(fake: FakeUpstream, job_id: str, headers: dict[str, str] = KEY) -> Reply:
    return call(fake, "GET", f"{V2}/v2/jobs/{job_id}", headers=headers)


def jobs(fake: FakeUpstream, query: str = "", headers: dict[str, str] = KEY) -> Reply:
    return call(fake, "GET", f"{V2}/v2/jobs" + (f"?{query}" if query else ""), headers=headers)


def test_the_v2_base_url_is_the_fake_under_its_own_prefix(fake: FakeUpstream) -> None:
    assert fake.apiframe_v2_base_url == fake.base_url + "/apiframe-v2"
    # useapi.net keeps /v2/jobs: the same path without the prefix is its, not Apiframe's.
    assert call(fake, "GET", "/v2/jobs", headers=KEY).json() == {
        "error": "Unauthorized",
        "code": 401,
    }


def test_every_demo_task_is_a_v2_job_with_the_same_images_and_status(fake: FakeUpstream) -> None:
    v1 = {
        t["task_id"]: t
        for t in call(
            fake, "POST", "/fetch-many", headers=RAW, body={"task_ids": SEEDED_TASK_IDS[:20]}
        ).json()["tasks"]
    }
    finished = {task_id for task_id, t in v1.items() if t.get("status", "finished") == "finished"}
    for task_id in SEEDED_TASK_IDS:
        reply = job(fake, task_id)
        assert reply.status == 200, task_id
        got = reply.json()
        assert set(got) >= JOB_FIELDS, task_id
        assert got["id"] == task_id and got["model"] == "midjourney"
        assert got["input"]["action"] == v1[task_id]["task_type"]
        if task_id in finished:
            assert got["status"] == "COMPLETED" and got["completedAt"] is not None
    grid = job(fake, FINISHED_IMAGINE).json()["result"]
    assert grid == {
        "images": v1[FINISHED_IMAGINE]["image_urls"],
        "gridUrl": v1[FINISHED_IMAGINE]["original_image_url"],
    }
    upscale = SEEDED_TASK_IDS[6]
    assert job(fake, upscale).json()["result"] == v1[upscale]["image_url"]  # a bare URL
    failed = job(fake, SEEDED_TASK_IDS[13]).json()
    assert (failed["status"], failed["error"], failed["result"]) == (
        "FAILED",
        v1[SEEDED_TASK_IDS[13]]["message"],
        None,
    )
    assert job(fake, SEEDED_TASK_IDS[2]).json()["status"] == "QUEUED"  # v1's "staged"
    assert job(fake, SEEDED_TASK_IDS[5]).json()["status"] == "PROCESSING"  # v1's "retrying"


def test_a_job_that_progresses_runs_then_completes_with_its_images(fake: FakeUpstream) -> None:
    fake.steps_to_finish = 3
    seen = [job(fake, PENDING).json() for _ in range(4)]
    assert [(j["status"], j["progress"]) for j in seen] == [
        ("PROCESSING", 10),
        ("PROCESSING", 43),
        ("COMPLETED", 100),
        ("COMPLETED", 100),
    ]
    assert seen[0]["result"] is None and seen[0]["completedAt"] is None
    assert len(seen[2]["result"]["images"]) == 4 and seen[2]["completedAt"]
    assert PENDING in PROGRESSING_TASK_IDS
    # Pinned jobs never move.
    staged = SEEDED_TASK_IDS[2]
    assert {job(fake, staged).json()["status"] for _ in range(4)} == {"QUEUED"}


def test_the_jobs_only_v2_has(fake: FakeUpstream) -> None:
    cancelled = job(fake, CANCELLED_JOB_ID).json()
    assert (cancelled["status"], cancelled["progress"], cancelled["result"]) == (
        "CANCELLED",
        None,
        None,
    )
    expired = job(fake, EXPIRED_JOB_ID).json()
    assert expired["expired"] is True and isinstance(expired["result"], list)
    # Another user's job is "not found", as the vendor documents.
    assert job(fake, TEAMMATE_JOB_ID).status == 404
    assert job(fake, TEAMMATE_JOB_ID, {"X-API-Key": MEMBER_APIFRAME_V2_KEY}).status == 200


@pytest.mark.parametrize(
    ("job_id", "headers", "status", "body"),
    [
        ("not-a-uuid", KEY, 400, {"error": "Invalid request", "details": {"id": ["Invalid uuid"]}}),
        (FINISHED_IMAGINE, {}, 401, {"error": "Missing or invalid API key"}),
        (
            FINISHED_IMAGINE,
            {"X-API-Key": "afk_unknown"},
            401,
            {"error": "Missing or invalid API key"},
        ),
        (FINISHED_IMAGINE, RAW, 401, {"error": "Missing or invalid API key"}),
        (
            FINISHED_IMAGINE,
            {"X-API-Key": INACTIVE_APIFRAME_V2_KEY},
            403,
            {"error": "This API key is inactive"},
        ),
        (UNKNOWN_TASK_ID, KEY, 404, {"error": "Job not found"}),
    ],
    ids=["not a uuid", "no key", "unknown key", "v1 header", "inactive key", "unknown job"],
)
def test_one_job_answers_as_documented(
    fake: FakeUpstream, job_id: str, headers: dict[str, str], status: int, body: Any
) -> None:
    reply = job(fake, job_id, headers)
    assert (reply.status, reply.json()) == (status, body)
    assert reply.headers["Content-Type"] == "application/json"


def test_a_job_added_by_a_test_is_served_as_given(fake: FakeUpstream) -> None:
    job_id = str(uuid.uuid4())
    fake.add_job({"id": job_id, "status": "COMPLETED", "result": "https://cdn.example/one.png"})
    assert job(fake, job_id).json() == {
        "id": job_id,
        "status": "COMPLETED",
        "result": "https://cdn.example/one.png",
    }
    with pytest.raises(ValueError):
        fake.add_job({"status": "QUEUED"})


def test_the_job_list_pages_with_a_cursor_newest_first(fake: FakeUpstream) -> None:
    first = jobs(fake, "limit=5").json()
    assert first["hasMore"] is True and len(first["jobs"]) == 5
    seen = [j["id"] for j in first["jobs"]]
    cursor = first["nextCursor"]
    for _ in range(10):  # 18 jobs, 5 a page: a cursor that leads nowhere must not loop forever
        if not cursor:
            break
        page = jobs(fake, f"limit=5&cursor={cursor}").json()
        seen += [j["id"] for j in page["jobs"]]
        cursor = page["nextCursor"]
    mine = [*SEEDED_TASK_IDS, CANCELLED_JOB_ID, EXPIRED_JOB_ID]
    assert sorted(seen) == sorted(mine)  # the teammate's job is not listed
    created = [j["createdAt"] for j in jobs(fake, "limit=100").json()["jobs"]]
    assert created == sorted(created, reverse=True)
    assert len(jobs(fake).json()["jobs"]) == 18  # 20 by default; 18 are the demo key's


def test_the_job_list_filters_by_status_model_and_job_id(fake: FakeUpstream) -> None:
    failed = jobs(fake, "status=FAILED").json()["jobs"]
    assert {j["id"] for j in failed} == {SEEDED_TASK_IDS[13], SEEDED_TASK_IDS[14]}
    assert jobs(fake, "model=flux").json() == {"jobs": [], "hasMore": False, "nextCursor": None}
    found = jobs(fake, f"search={CANCELLED_JOB_ID}").json()["jobs"]
    assert [j["id"] for j in found] == [CANCELLED_JOB_ID]


def test_team_scope_is_for_admin_keys_only(fake: FakeUpstream) -> None:
    team = jobs(fake, "scope=team&limit=100").json()["jobs"]
    assert TEAMMATE_JOB_ID in {j["id"] for j in team}
    member = jobs(fake, "scope=team", {"X-API-Key": MEMBER_APIFRAME_V2_KEY})
    assert member.status == 403


@pytest.mark.parametrize(
    "query",
    [
        "status=finished",
        "limit=0",
        "limit=101",
        "limit=ten",
        "scope=world",
        "search=abc",
        "cursor=%%",
    ],
)
def test_a_bad_query_or_cursor_is_a_400(fake: FakeUpstream, query: str) -> None:
    reply = jobs(fake, query)
    assert reply.status == 400 and "error" in reply.json()


def test_me_tells_the_user_team_and_key(fake: FakeUpstream) -> None:
    me = call(fake, "GET", f"{V2}/v2/me", headers=KEY).json()
    assert me["user"] == {
        "id": "usr_demo0001",
        "email": "demo@apiframe-fake.example",
        "role": "OWNER",
    }
    assert {"id", "name", "credits", "plan", "customerId"} <= set(me["team"])
    assert me["apiKey"]["prefix"] == "afk_demo"
    assert DEMO_APIFRAME_V2_KEY not in str(me)


@pytest.mark.parametrize(
    ("shape", "credits_field"),
    [("documented", "credits"), ("camel", "creditsRemaining")],
)
def test_v1_account_in_either_shape(fake: FakeUpstream, shape: str, credits_field: str) -> None:
    reply = call(fake, "POST", "/_fake/apiframe", body={"account_shape": shape})
    assert reply.status == 204
    account = call(fake, "GET", "/account", headers=RAW).json()
    assert account[credits_field] == 48_250 and account["email"]
    assert call(fake, "GET", "/account", headers=BEARER).status == 401


def test_v1_takes_the_key_in_one_scheme_at_a_time(fake: FakeUpstream) -> None:
    many = {"task_ids": SEEDED_TASK_IDS[:2]}
    assert fake.apiframe_auth_scheme == "raw"
    assert call(fake, "POST", "/fetch-many", headers=RAW, body=many).status == 200
    refused = call(fake, "POST", "/fetch-many", headers=BEARER, body=many)
    assert (refused.status, refused.json()) == (401, {})  # the documented 401
    assert call(fake, "POST", "/_fake/apiframe", body={"auth_scheme": "bearer"}).status == 204
    assert call(fake, "POST", "/fetch-many", headers=BEARER, body=many).status == 200
    refused = call(fake, "POST", "/fetch-many", headers=RAW, body=many)
    assert (refused.status, refused.json()) == (401, {})
    fake.reset()
    assert fake.apiframe_auth_scheme == "raw"


def test_a_fake_started_in_bearer_mode_stays_in_it_after_a_reset() -> None:
    with FakeUpstream(apiframe_auth_scheme="bearer") as fake:
        fake.reset()
        assert call(fake, "GET", "/account", headers=BEARER).status == 200
        assert call(fake, "GET", "/account", headers=RAW).status == 401
    with pytest.raises(ValueError):
        FakeUpstream(apiframe_auth_scheme="basic")


@pytest.mark.parametrize(
    "body",
    [{"auth_scheme": "basic"}, {"account_shape": "xml"}, {"latency": 5}, {}, ["bearer"]],
)
def test_the_control_endpoint_refuses_what_it_does_not_know(fake: FakeUpstream, body: Any) -> None:
    assert call(fake, "POST", "/_fake/apiframe", body=body).status == 400
    assert fake.apiframe_auth_scheme == "raw" and fake.apiframe_account_shape == "documented"


def test_the_cli_switches_the_auth_scheme_of_a_running_fake(
    fake: FakeUpstream, capsys: pytest.CaptureFixture[str]
) -> None:
    port = str(urlsplit(fake.base_url).port)
    assert main(["apiframe", "--auth-scheme", "bearer", "--port", port]) == 0
    assert fake.apiframe_auth_scheme == "bearer"
    assert main(["apiframe", "--account-shape", "camel", "--port", port]) == 0
    assert fake.apiframe_account_shape == "camel"
    assert capsys.readouterr().out.split() == ["ok", "ok"]
    with pytest.raises(SystemExit):
        main(["apiframe", "--port", port])  # nothing to switch


def test_the_cli_starts_a_fake_in_bearer_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[FakeUpstream] = []

    class Stopped(Exception):
        pass

    def start(self: FakeUpstream) -> FakeUpstream:
        started.append(self)
        raise Stopped

    monkeypatch.setattr(FakeUpstream, "start", start)
    with pytest.raises(Stopped):
        main(["--port", "0", "--apiframe-auth-scheme", "bearer"])
    assert started[0].apiframe_auth_scheme == "bearer"


# -- faults on v2's paths -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "status", "body"),
    [
        ("400", 400, {"error": "Invalid request", "details": {"id": ["Invalid uuid"]}}),
        ("401", 401, {"error": "Missing or invalid API key"}),
        ("404", 404, {"error": "Job not found"}),
        ("429", 429, {"error": "Too many requests, please slow down"}),
        ("500", 500, {}),
        ("503", 503, {"error": "Service unavailable"}),
    ],
)
def test_json_faults_answer_in_v2s_own_error_shape(
    fake: FakeUpstream, kind: str, status: int, body: Any
) -> None:
    fake.set_fault(kind, path=f"{V2}/v2/jobs")
    reply = job(fake, FINISHED_IMAGINE)
    assert (reply.status, reply.json()) == (status, body)
    if kind == "429":
        assert reply.headers["Retry-After"] == "99999"
    # v1 and useapi.net are untouched by a rule for v2's path.
    assert call(fake, "POST", "/fetch", headers=RAW, body={"task_id": PENDING}).status == 200


def test_faults_match_a_v2_key_by_its_x_api_key(fake: FakeUpstream) -> None:
    fake.set_fault("500", token=DEMO_APIFRAME_V2_KEY)
    assert job(fake, FINISHED_IMAGINE).status == 500
    assert job(fake, TEAMMATE_JOB_ID, {"X-API-Key": MEMBER_APIFRAME_V2_KEY}).status == 200
    assert call(fake, "POST", "/fetch", headers=RAW, body={"task_id": PENDING}).status == 200


def test_429_retry_asks_for_a_short_wait_then_the_answer_comes(fake: FakeUpstream) -> None:
    fake.set_fault("429-retry", times=1)
    refused = job(fake, FINISHED_IMAGINE)
    assert (refused.status, refused.headers["Retry-After"]) == (429, "1")
    assert job(fake, FINISHED_IMAGINE).status == 200
    fake.retry_after_seconds = 3
    fake.set_fault("429-retry", path="/fetch")
    refused = call(fake, "POST", "/fetch", headers=RAW, body={"task_id": PENDING})
    assert (refused.status, refused.headers["Retry-After"]) == (429, "3")
    assert refused.json() == {"errors": [{"msg": "Too many requests, please slow down"}]}
    fake.reset()
    assert fake.retry_after_seconds == 1


def test_echo_key_and_nan_and_slow_reach_v2_too(fake: FakeUpstream) -> None:
    fake.set_fault("echo-key", times=1)
    echoed = job(fake, FINISHED_IMAGINE)
    assert echoed.status == 400 and DEMO_APIFRAME_V2_KEY in echoed.json()["error"]
    fake.set_fault("nan", times=1)
    raw = job(fake, FINISHED_IMAGINE).body
    assert b'"progress": NaN' in raw and b'"creditCost": Infinity' in raw
    fake.slow_seconds = 0.3
    fake.set_fault("slow", times=1)
    started = time.monotonic()
    assert job(fake, FINISHED_IMAGINE).status == 200
    assert time.monotonic() - started >= 0.3


def test_the_request_log_masks_the_x_api_key(fake: FakeUpstream) -> None:
    job(fake, FINISHED_IMAGINE)
    logged = call(fake, "GET", "/_fake/requests")
    assert logged.json()[0]["x_api_key"] == "****cdef"
    assert DEMO_APIFRAME_V2_KEY.encode() not in logged.body
    assert fake.requests[0].headers["x-api-key"] == DEMO_APIFRAME_V2_KEY
