"""The Apiframe client at its edges: a wrong base address, answers of the wrong shape, and task
lists with entries that are not tasks."""

import logging

import pytest

from mjadmin import upstream
from mjadmin.vendors.apiframe import v1 as apiframe
from tests.fakes.fake_vendors import DEMO_APIFRAME_KEY, SEEDED_TASK_IDS

WRONG_SHAPE = "Apiframe answered in a shape mjadmin does not understand. Try again in a minute."


def test_a_404_from_fetch_many_means_the_address_is_wrong_and_says_which(fake):
    fake.set_fault("404", path="/fetch-many")
    with pytest.raises(upstream.UpstreamUnavailable) as excinfo:
        apiframe.fetch_many(DEMO_APIFRAME_KEY, SEEDED_TASK_IDS[:2])
    assert excinfo.value.message == (
        f"Apiframe has no /fetch-many at {fake.base_url}. Check APIFRAME_BASE_URL, "
        "or try again later."
    )
    assert excinfo.value.status == 404


def test_a_bare_404_from_fetch_names_fetch_as_the_missing_address(fake):
    fake.set_fault("404-empty", path="/fetch")
    with pytest.raises(upstream.UpstreamUnavailable) as excinfo:
        apiframe.fetch(DEMO_APIFRAME_KEY, SEEDED_TASK_IDS[0])
    assert excinfo.value.message == (
        f"Apiframe has no /fetch at {fake.base_url}. Check APIFRAME_BASE_URL, or try again later."
    )


@pytest.mark.parametrize(
    "call",
    [
        lambda: apiframe.fetch(DEMO_APIFRAME_KEY, SEEDED_TASK_IDS[0]),  # answers [1, 2]
        lambda: apiframe.fetch_many(DEMO_APIFRAME_KEY, SEEDED_TASK_IDS[:2]),  # {"tasks": "nope"}
    ],
)
def test_an_answer_of_the_wrong_shape_says_so(fake, call):
    fake.set_fault("bad-shape")
    with pytest.raises(upstream.UpstreamUnavailable) as excinfo:
        call()
    assert excinfo.value.message == WRONG_SHAPE


def test_a_single_task_without_its_id_is_the_wrong_shape(fake):
    fake.apiframe_tasks["no-id"] = {"status": "finished"}
    with pytest.raises(upstream.UpstreamUnavailable) as excinfo:
        apiframe.fetch(DEMO_APIFRAME_KEY, "no-id")
    assert excinfo.value.message == WRONG_SHAPE


@pytest.fixture
def answer(monkeypatch):
    """Stand in for the vendor's parsed answer, for shapes the fake never sends."""
    given: dict[str, object] = {}
    monkeypatch.setattr(upstream, "request_json", lambda *args, **kwargs: given["answer"])
    return given


def test_fetch_many_answered_with_a_list_is_the_wrong_shape(answer):
    answer["answer"] = [{"task_id": "a"}]
    with pytest.raises(upstream.UpstreamUnavailable) as excinfo:
        apiframe.fetch_many(DEMO_APIFRAME_KEY, ["a", "b"])
    assert excinfo.value.message == WRONG_SHAPE


def test_entries_of_fetch_many_that_are_not_tasks_with_ids_are_left_out(answer):
    answer["answer"] = {
        "tasks": [{"task_id": "a", "status": "finished"}, {"status": "finished"}, "b", 5, None]
    }
    tasks = apiframe.fetch_many(DEMO_APIFRAME_KEY, ["a", "b"])
    assert [task.task_id for task in tasks] == ["a"]


def test_calls_are_posts_as_the_log_shows(fake, caplog):
    caplog.set_level(logging.INFO, logger="mjadmin.upstream")
    apiframe.fetch(DEMO_APIFRAME_KEY, SEEDED_TASK_IDS[0])
    assert caplog.records[-1].getMessage().startswith("Apiframe POST /fetch -> 200 in ")
