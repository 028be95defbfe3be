"""The client's write calls and useapi.net's own statuses, against the local fake over HTTP:
what is sent, and what each answer becomes."""

import pytest

from mjadmin import upstream
from mjadmin.vendors.useapi import client as useapi
from tests.fakes import fake_useapi_writes
from tests.fakes.fake_useapi_writes import (
    DEMO_DISCORD_TOKENS,
    DISCORD_TOKEN_WITHOUT_MIDJOURNEY,
    channel_for,
)
from tests.fakes.fake_vendors import (
    CHANNEL_HELD,
    CHANNEL_MAIN,
    DEMO_USEAPI_TOKEN,
    EMPTY_USEAPI_TOKEN,
)

TOKEN = DEMO_USEAPI_TOKEN
NEW_DISCORD = "MTMzMzMzMzMzMzMzMzMzMzMzMw.GnewAc.NewDiscordAccountForTheTests0001"
ACCOUNTS = "/v2/account/midjourney"


def refusal(call) -> upstream.UpstreamError:
    with pytest.raises(upstream.UpstreamError) as excinfo:
        call()
    return excinfo.value


def test_saving_a_new_account_posts_the_token_and_maxjobs_with_the_bearer_token(fake):
    saved = useapi.save_account(TOKEN, NEW_DISCORD, 4)
    assert saved == useapi.SavedAccount(
        channel=channel_for(NEW_DISCORD), max_jobs=4, discord_masked="MTM…001", created=True
    )
    (call,) = fake.requests_to(ACCOUNTS)
    assert call.method == "POST"
    assert call.headers["authorization"] == f"Bearer {TOKEN}"
    assert call.headers["content-type"] == "application/json"
    assert call.json() == {"discord": NEW_DISCORD, "maxJobs": 4}


def test_saving_a_configured_accounts_token_updates_it(fake):
    saved = useapi.save_account(TOKEN, DEMO_DISCORD_TOKENS[CHANNEL_HELD], 2)
    assert (saved.channel, saved.max_jobs, saved.created) == (CHANNEL_HELD, 2, False)


def test_a_token_with_no_configuration_yet_gets_its_first_account(fake):
    saved = useapi.save_account(EMPTY_USEAPI_TOKEN, NEW_DISCORD, 3)
    assert saved.created
    assert list(fake.useapi_accounts[EMPTY_USEAPI_TOKEN]) == [saved.channel]


@pytest.mark.parametrize(
    ("discord", "max_jobs", "said"),
    [
        ("", 3, "Required param discord is missing or empty"),
        ("   ", 3, "Required param discord is missing or empty"),
        (NEW_DISCORD, 16, "Required param maxJobs 16 can't be more that 15"),
        (NEW_DISCORD, 0, "Required param maxJobs 0 can't be less than 1"),
        (
            DEMO_DISCORD_TOKENS[CHANNEL_MAIN],
            3,
            f"Channel {CHANNEL_MAIN} configuration has same discord value",
        ),
        (DISCORD_TOKEN_WITHOUT_MIDJOURNEY, 3, "`Midjourney bot not configured"),
    ],
)
def test_each_400_keeps_the_vendors_words_whole(fake, discord, max_jobs, said):
    error = refusal(lambda: useapi.save_account(TOKEN, discord, max_jobs))
    assert isinstance(error, upstream.UpstreamBadRequest)
    assert error.details == [said]
    assert error.summary == "useapi.net refused the request (HTTP 400)."


def test_the_plans_limit_is_the_vendors_to_say(fake):
    fake.useapi_plan_max_jobs = 3
    error = refusal(lambda: useapi.save_account(TOKEN, NEW_DISCORD, 4))
    assert error.details == ["Required param maxJobs 4 can't be more that 3"]


@pytest.mark.parametrize(
    ("arrange", "said"),
    [
        (
            lambda fake: fake.set_fault("402"),
            "Account has no subscription or subscription expired",
        ),
        (
            lambda fake: setattr(fake, "useapi_account_limit", 4),
            "Subscription quantity exceeded, see https://useapi.net/docs/subscription",
        ),
    ],
    ids=["no subscription", "quantity exceeded"],
)
def test_a_402_says_which_of_its_two_reasons(fake, arrange, said):
    arrange(fake)
    error = refusal(lambda: useapi.save_account(TOKEN, NEW_DISCORD, 3))
    assert isinstance(error, upstream.UpstreamPaymentRequired)
    assert error.message == f"useapi.net refused for want of a subscription (HTTP 402): {said}."


def test_a_rejected_token_is_a_401_for_every_write(fake):
    for call in (
        lambda: useapi.save_account("user:1-unknown-token-000", NEW_DISCORD, 3),
        lambda: useapi.reset_account("user:1-unknown-token-000", CHANNEL_HELD),
        lambda: useapi.delete_account("user:1-unknown-token-000", CHANNEL_HELD),
    ):
        assert isinstance(refusal(call), upstream.UpstreamAuthError)


def test_reset_clears_the_moderation_message(fake):
    assert useapi.reset_account(TOKEN, CHANNEL_HELD) is None
    (call,) = fake.requests_to(f"{ACCOUNTS}/{CHANNEL_HELD}/reset")
    assert (call.method, call.body) == ("POST", b"")
    assert not useapi.get_account(TOKEN, CHANNEL_HELD).held


def test_delete_removes_the_account(fake):
    useapi.delete_account(TOKEN, CHANNEL_MAIN)
    (call,) = fake.requests_to(f"{ACCOUNTS}/{CHANNEL_MAIN}")
    assert call.method == "DELETE"
    assert CHANNEL_MAIN not in {a.channel for a in useapi.get_accounts(TOKEN)}


@pytest.mark.parametrize("write", [useapi.reset_account, useapi.delete_account])
def test_an_unknown_channel_is_a_404_that_names_it(fake, write):
    error = refusal(lambda: write(TOKEN, "1999999999999999999"))
    assert isinstance(error, upstream.UpstreamNotFound)
    assert error.message == (
        "useapi.net has no Midjourney account with channel 1999999999999999999 for this token "
        "(it may have been deleted already)."
    )
    assert error.details == ["Configuration not found for provided channel"]


# -- 596 and 429 ---------------------------------------------------------------------------------


def test_a_596_names_the_account_the_call_was_about(fake):
    fake.set_fault("596")
    error = refusal(lambda: useapi.reset_account(TOKEN, CHANNEL_HELD))
    assert isinstance(error, useapi.PendingModeration)
    assert error.channel == CHANNEL_HELD
    assert error.said[0] == "Pending moderation message"
    assert error.said[1].startswith("Action needed to continue")


def test_a_596_to_a_call_about_no_account_takes_the_account_the_answer_names(fake):
    fake.set_fault("596", path="/v2/jobs")
    error = refusal(lambda: useapi.get_running_jobs(TOKEN))
    assert isinstance(error, useapi.PendingModeration)
    assert error.channel == CHANNEL_MAIN  # the fake names the token's first account


def test_a_596_naming_no_usable_channel_names_none(fake, monkeypatch):
    monkeypatch.setattr(
        fake_useapi_writes,
        "fault_answer",
        lambda *args: (596, {"error": "held", "channel": "../../etc", "code": 596}),
    )
    fake.set_fault("596", path="/v2/jobs")
    error = refusal(lambda: useapi.get_running_jobs(TOKEN))
    assert error.channel is None
    assert "a Midjourney account of this token is held" in error.message


def test_a_429_lists_the_executing_jobs(fake):
    fake.set_fault("429")
    error = refusal(lambda: useapi.save_account(TOKEN, DEMO_DISCORD_TOKENS[CHANNEL_MAIN], 3))
    assert isinstance(error, useapi.AccountBusy)
    assert error.executing_jobs == tuple(
        job for job in fake.useapi_jobs[TOKEN] if job.endswith(f"channel:{CHANNEL_MAIN}")
    )
    assert error.more_jobs == 0


def test_a_hostile_429_is_cut_to_what_a_page_can_show(fake, monkeypatch):
    jobs = [f"job:{n:05d}-channel:1" for n in range(80)] + [7, None, "x" * 10_000]
    monkeypatch.setattr(
        fake_useapi_writes,
        "fault_answer",
        lambda *args: (429, {"error": "busy", "executingJobs": jobs, "code": 429}),
    )
    fake.set_fault("429", path="/v2/jobs")
    error = refusal(lambda: useapi.get_running_jobs(TOKEN))
    assert isinstance(error, useapi.AccountBusy)
    assert error.executing_jobs == tuple(jobs[:50])
    assert error.more_jobs == 31  # 30 more jobs and the long one; the two non-strings dropped


# -- secrets and resending -----------------------------------------------------------------------


def test_a_vendor_echoing_the_discord_token_never_gets_it_into_the_error(fake, monkeypatch):
    def careless(fake_, rec, token):
        return 400, {"error": f"Invalid token {rec.json()['discord']} for channel", "code": 400}

    monkeypatch.setattr(fake_useapi_writes, "_save", careless)
    error = refusal(lambda: useapi.save_account(TOKEN, NEW_DISCORD, 3))
    assert error.details == ["Invalid token ••••0001 for channel"]
    assert "NewDiscordAccount" not in f"{error.message} {error.details} {vars(error)}"


def test_a_write_answered_502_is_never_sent_again(fake):
    fake.set_fault("502")
    error = refusal(lambda: useapi.save_account(TOKEN, NEW_DISCORD, 3))
    assert error.message == "useapi.net is unavailable right now (HTTP 502). Try again in a minute."
    assert len(fake.requests_to(ACCOUNTS)) == 1
    refusal(lambda: useapi.delete_account(TOKEN, CHANNEL_MAIN))
    assert len(fake.requests_to(f"{ACCOUNTS}/{CHANNEL_MAIN}")) == 1
    refusal(lambda: useapi.get_running_jobs(TOKEN))  # a read is asked again, as always
    assert len(fake.requests_to("/v2/jobs")) == 3


def test_an_echoed_token_is_masked_even_where_it_does_not_look_like_a_key(fake, monkeypatch):
    # Short runs between "/" and "+": nothing key-shaped for the general masking to catch.
    odd = "MTk5OTk5/OTk5OTk5+Q2FuYXJ5/ZQWodd~tail"
    monkeypatch.setattr(
        fake_useapi_writes,
        "_save",
        lambda fake_, rec, token: (400, {"error": f"Bad {rec.json()['discord']}", "code": 400}),
    )
    error = refusal(lambda: useapi.save_account(TOKEN, odd, 3))
    assert error.details == ["Bad ••••tail"]
