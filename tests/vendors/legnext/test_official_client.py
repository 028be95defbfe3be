"""Legnext's own Python SDK (`legnext` 0.3.0, pinned in requirements-dev.txt), unchanged, against
the local fake: proof that the fake speaks what the vendor's code speaks."""

import pytest
from legnext import Client
from legnext.types.errors import AuthenticationError, NotFoundError

from tests.fakes.fake_legnext import DEMO_LEGNEXT_KEY
from tests.fakes.fake_vendors import SEEDED_TASK_IDS, UNKNOWN_TASK_ID


@pytest.fixture
def sdk(fake):
    with Client(api_key=DEMO_LEGNEXT_KEY, base_url=fake.legnext_base_url, timeout=10) as client:
        yield client


def test_the_sdk_gets_a_completed_job(fake, sdk):
    task = sdk.tasks.get(SEEDED_TASK_IDS[0])
    assert task.job_id == SEEDED_TASK_IDS[0]
    assert task.status.value == "completed"
    assert str(task.output.image_url).endswith("/grid.png")
    assert len(task.output.image_urls) == 4
    assert fake.requests[-1].headers["x-api-key"] == DEMO_LEGNEXT_KEY


def test_the_sdk_gets_a_pending_job_with_go_zero_times(fake, sdk):
    task = sdk.tasks.get(SEEDED_TASK_IDS[1])
    assert task.status.value in ("pending", "processing")


def test_the_sdk_reads_the_balance(sdk):
    balance = sdk.account.balance()
    assert balance.available_credits == 71000


def test_the_sdk_is_told_an_unknown_job_is_not_found(sdk):
    with pytest.raises(NotFoundError):
        sdk.tasks.get(UNKNOWN_TASK_ID)


def test_the_sdk_is_refused_with_a_wrong_key(fake):
    with (
        Client(api_key="lnx_wrong_key_000", base_url=fake.legnext_base_url, timeout=10) as client,
        pytest.raises(AuthenticationError),
    ):
        client.tasks.get(SEEDED_TASK_IDS[0])
