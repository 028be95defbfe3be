"""Apiframe's own Python clients, unchanged, against the local fake: proof that the fake speaks
what the vendor's code speaks (both pinned in requirements-dev.txt).

`apiframe` 1.0.0 (module `apiframe_python`) sends the raw key and has its base URL hard-coded:
the attribute is pointed at the fake, nothing else is touched. `apiframe-sdk` 1.0.0 (package
`apiframe`) sends `Authorization: Bearer <key>` and takes a base URL.
"""

from collections.abc import Iterator

import pytest
from apiframe import Apiframe
from apiframe.exceptions import AuthenticationError
from apiframe_python import ApiframeClient

from tests.fakes.fake_vendors import (
    DEMO_APIFRAME_KEY,
    SEEDED_TASK_IDS,
    UNKNOWN_TASK_ID,
    FakeUpstream,
)

FINISHED_IMAGINE, PENDING, FAILED = SEEDED_TASK_IDS[0], SEEDED_TASK_IDS[1], SEEDED_TASK_IDS[13]


@pytest.fixture
def first_client(fake: FakeUpstream) -> ApiframeClient:
    client = ApiframeClient(DEMO_APIFRAME_KEY)
    assert client.base_url == "https://api.apiframe.pro"  # what the package ships with
    client.base_url = fake.base_url
    return client


@pytest.fixture
def sdk(fake: FakeUpstream) -> Iterator[Apiframe]:
    with Apiframe(api_key=DEMO_APIFRAME_KEY, base_url=fake.base_url, timeout=10) as client:
        yield client


def test_the_first_client_fetches_one_task(fake, first_client) -> None:
    task = first_client.fetch(FINISHED_IMAGINE)
    assert task["task_id"] == FINISHED_IMAGINE and task["status"] == "finished"
    assert len(task["image_urls"]) == 4 and task["original_image_url"].endswith("/grid.png")
    assert fake.requests[-1].headers["authorization"] == DEMO_APIFRAME_KEY  # the raw key


def test_the_first_client_fetches_many(fake, first_client) -> None:
    answer = first_client.fetch_many([FINISHED_IMAGINE, FAILED, UNKNOWN_TASK_ID])
    assert {t["task_id"] for t in answer["tasks"]} == {FINISHED_IMAGINE, FAILED}
    assert fake.requests[-1].json() == {"task_ids": [FINISHED_IMAGINE, FAILED, UNKNOWN_TASK_ID]}


def test_the_first_client_reads_the_account(fake, first_client) -> None:
    account = first_client.account()
    # The fields its docstring promises.
    assert {"email", "credits", "plan", "next_billing_date", "total_images"} <= set(account)


def test_the_first_client_is_refused_by_a_fake_that_wants_bearer(fake, first_client) -> None:
    fake.apiframe_auth_scheme = "bearer"
    assert first_client.fetch(FINISHED_IMAGINE) == {}  # the documented 401 body, returned as is


def test_the_sdk_gets_one_task_with_the_fake_in_bearer_mode(fake, sdk) -> None:
    fake.apiframe_auth_scheme = "bearer"
    task = sdk.tasks.get(FINISHED_IMAGINE)
    # The SDK renames what the wire says (finished -> completed, task_id -> id).
    assert (task["id"], task["status"], task["progress"]) == (FINISHED_IMAGINE, "completed", 100)
    assert fake.requests[-1].headers["authorization"] == f"Bearer {DEMO_APIFRAME_KEY}"
    assert fake.requests[-1].path == "/fetch"


def test_the_sdk_gets_many_with_the_fake_in_bearer_mode(fake, sdk) -> None:
    fake.apiframe_auth_scheme = "bearer"
    answer = sdk.tasks.get_many([FINISHED_IMAGINE, PENDING, FAILED])
    by_id = {t["id"]: t for t in answer["tasks"]}
    assert set(by_id) == {FINISHED_IMAGINE, PENDING, FAILED}
    assert by_id[FAILED]["status"] == "failed" and "Banned prompt" in by_id[FAILED]["message"]
    assert by_id[PENDING]["status"] == "processing"  # it progresses on every fetch


def test_the_sdk_reads_the_account_with_the_fake_in_bearer_mode(fake, sdk) -> None:
    fake.apiframe_auth_scheme = "bearer"
    account = sdk.tasks.get_account_info()
    assert {"email", "credits", "plan", "total_images"} <= set(account)  # its AccountInfo
    assert fake.requests[-1].method == "GET" and fake.requests[-1].path == "/account"


@pytest.mark.parametrize("call", ["get", "get_many", "get_account_info"])
def test_the_sdk_is_refused_by_a_fake_that_wants_the_raw_key(fake, sdk, call) -> None:
    assert fake.apiframe_auth_scheme == "raw"
    asks = {
        "get": lambda: sdk.tasks.get(FINISHED_IMAGINE),
        "get_many": lambda: sdk.tasks.get_many([FINISHED_IMAGINE, PENDING]),
        "get_account_info": sdk.tasks.get_account_info,
    }
    with pytest.raises(AuthenticationError):
        asks[call]()
    assert fake.requests[-1].headers["authorization"] == f"Bearer {DEMO_APIFRAME_KEY}"
