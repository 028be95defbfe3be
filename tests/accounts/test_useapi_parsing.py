"""The useapi.net client at its edges: odd numbers and tokens in an account entry, job ids with
more dashes than usual, channels that need escaping in the URL, and answers of the wrong shape."""

import logging

import pytest

from mjadmin import upstream
from mjadmin.vendors.useapi import client as useapi
from tests.fakes.fake_vendors import CHANNEL_MAIN, DEMO_USEAPI_TOKEN, EMPTY_USEAPI_TOKEN

WRONG_SHAPE = "useapi.net answered in a shape mjadmin does not understand. Try again in a minute."


@pytest.mark.parametrize(("given", "read"), [(3, 3), (3.0, 3), (" 12 ", 12), ("12", 12)])
def test_max_jobs_is_read_from_an_int_a_whole_float_or_digits(given, read):
    account = useapi.parse_account("1", {"maxJobs": given, "discord": "MTE...q9A"})
    assert account.max_jobs == read
    assert account.problems == ()


def test_an_entry_without_a_discord_token_says_so():
    account = useapi.parse_account("1", {"maxJobs": 2})
    assert account.problems == ("no Discord token",)


def test_a_channel_that_is_not_text_falls_back_to_the_key():
    assert useapi.parse_account("1170", {"channel": 1170, "maxJobs": 1}).channel == "1170"


@pytest.mark.parametrize(
    ("token", "shown"),
    [
        ("abcdefghijk", "•••"),  # 11 characters: too short to show any of it
        ("abcdefghijkl", "abc…jkl"),  # 12: the first and last three
        ("MTE…q9A", "MTE…q9A"),  # already shortened by useapi.net, with a real ellipsis
        ("MTE...q9A", "MTE…q9A"),
    ],
)
def test_a_discord_token_shows_at_most_its_first_and_last_three_characters(token, shown):
    assert useapi.mask_discord_token(token) == shown


def test_a_jobs_channel_is_the_number_after_channel_even_when_more_dashes_follow():
    job = "job:20261122093015123-user:1234-channel:1170809721663422494-extra-part"
    assert useapi.channel_of_job(job) == "1170809721663422494"
    assert useapi.channel_of_job("job:1-channel:111-channel:222") == "111"


def test_a_channel_without_running_jobs_has_none():
    running = useapi.RunningJobs(ids=("job:1-user:1-channel:111",))
    assert running.for_channel("222") == ()
    assert running.for_channel("111") == ("job:1-user:1-channel:111",)


def test_a_channel_is_escaped_as_one_path_segment(fake):
    with pytest.raises(upstream.UpstreamNotFound):
        useapi.get_account(DEMO_USEAPI_TOKEN, "11/../22 33")
    assert fake.requests[-1].path == "/v2/account/midjourney/11%2F..%2F22%2033"


def test_an_account_entry_without_its_channel_is_named_by_the_channel_asked_for(fake):
    fake.useapi_accounts[DEMO_USEAPI_TOKEN][CHANNEL_MAIN].pop("channel")
    assert useapi.get_account(DEMO_USEAPI_TOKEN, CHANNEL_MAIN).channel == CHANNEL_MAIN


def test_an_unknown_channel_is_not_found_with_a_message_that_names_it(fake):
    with pytest.raises(upstream.UpstreamNotFound) as excinfo:
        useapi.get_account(DEMO_USEAPI_TOKEN, "999")
    assert excinfo.value.message == (
        "useapi.net has no Midjourney account with channel 999 for this token."
    )
    assert excinfo.value.status == 404


def test_a_token_without_configuration_is_told_how_to_add_one(fake):
    with pytest.raises(useapi.NoConfiguration) as excinfo:
        useapi.get_accounts(EMPTY_USEAPI_TOKEN)
    error = excinfo.value
    assert error.message == (
        "useapi.net has no Midjourney configuration for this token yet. Add your Discord "
        "account at useapi.net first (POST /v2/account/midjourney), then refresh."
    )
    assert error.status == 404
    assert error.help_url == "https://useapi.net/docs/api-v2/post-account-midjourney"
    assert error.help_label == "How to add an account at useapi.net"


@pytest.mark.parametrize(
    ("path", "call"),
    [
        ("/v2/account/midjourney", lambda: useapi.get_accounts(DEMO_USEAPI_TOKEN)),
        (
            f"/v2/account/midjourney/{CHANNEL_MAIN}",
            lambda: useapi.get_account(DEMO_USEAPI_TOKEN, CHANNEL_MAIN),
        ),
        ("/v2/jobs", lambda: useapi.get_running_jobs(DEMO_USEAPI_TOKEN)),
    ],
)
def test_an_answer_of_the_wrong_shape_says_so(fake, path, call):
    fake.set_fault("bad-shape", path=path)
    with pytest.raises(upstream.UpstreamUnavailable) as excinfo:
        call()
    assert excinfo.value.message == WRONG_SHAPE


def test_calls_are_gets_as_the_log_shows(fake, caplog):
    caplog.set_level(logging.INFO, logger="mjadmin.upstream")
    useapi.get_running_jobs(DEMO_USEAPI_TOKEN)
    assert fake.requests[-1].method == "GET"
    assert caplog.records[-1].getMessage().startswith("useapi.net GET /v2/jobs -> 200 in ")
