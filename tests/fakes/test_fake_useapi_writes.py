"""The fake's useapi.net write endpoints and useapi's own faults, against shared/api/useapi.md:
if they drift from the contract, every test of the account actions lies."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakes.fake_useapi_writes import (
    DEMO_DISCORD_TOKENS,
    DISCORD_TOKEN_WITHOUT_MIDJOURNEY,
    channel_for,
)
from tests.fakes.fake_vendors import (
    CHANNEL_HELD,
    CHANNEL_MAIN,
    CHANNEL_PRO,
    DEMO_USEAPI_TOKEN,
    EMPTY_USEAPI_TOKEN,
    HELD_MESSAGE,
    FakeUpstream,
)
from tests.fakes.test_fake_vendors import BEARER, RAW_KEY, Reply, call

ACCOUNTS = "/v2/account/midjourney"
NEW = "MTMzMzMzMzMzMzMzMzMzMzMzMw.GnewAc.NewDiscordAccountForTheTests0001"


def post(fake: FakeUpstream, body: Any, token: str = DEMO_USEAPI_TOKEN) -> Reply:
    return call(fake, "POST", ACCOUNTS, headers={"Authorization": f"Bearer {token}"}, body=body)


def error(reply: Reply) -> tuple[int, Any]:
    return reply.status, reply.json()


def test_a_new_discord_token_is_created_on_a_channel_of_its_own(fake: FakeUpstream) -> None:
    reply = post(fake, {"discord": NEW, "maxJobs": 4})
    channel = channel_for(NEW)
    assert (reply.status, reply.json()) == (
        201,
        {"discord": "MTM...001", "channel": channel, "maxJobs": 4},
    )
    listed = call(fake, "GET", ACCOUNTS, headers=BEARER).json()[channel]
    assert listed == {"channel": channel, "discord": "MTM...001", "maxJobs": 4}


def test_the_channel_is_the_same_every_time_and_a_snowflake() -> None:
    assert channel_for(NEW) == channel_for(NEW)
    assert channel_for(NEW) != channel_for(NEW + "x")
    assert len(channel_for(NEW)) == 19 and channel_for(NEW).isdigit()


def test_a_seeded_accounts_whole_token_updates_it_and_keeps_its_other_fields(
    fake: FakeUpstream,
) -> None:
    reply = post(fake, {"discord": DEMO_DISCORD_TOKENS[CHANNEL_HELD], "maxJobs": 2})
    assert (reply.status, reply.json()["channel"], reply.json()["maxJobs"]) == (
        200,
        CHANNEL_HELD,
        2,
    )
    held = fake.useapi_accounts[DEMO_USEAPI_TOKEN][CHANNEL_HELD]
    assert (held["maxJobs"], held["pendingModMessage"], held["discord"]) == (
        2,
        HELD_MESSAGE,
        "MTE...q9A",
    )


def test_every_seeded_token_matches_its_redacted_form() -> None:
    from tests.fakes.fake_vendors import _seed_accounts

    for channel, account in _seed_accounts().items():
        token = DEMO_DISCORD_TOKENS[channel]
        assert account["discord"] in (token, f"{token[:3]}...{token[-3:]}")
        assert channel_for(token) == channel


def test_maxjobs_defaults_to_3(fake: FakeUpstream) -> None:
    assert post(fake, {"discord": NEW}).json()["maxJobs"] == 3


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (None, "Required param discord is missing or empty"),
        ([NEW], "Required param discord is missing or empty"),
        ({"maxJobs": 3}, "Required param discord is missing or empty"),
        ({"discord": "", "maxJobs": 3}, "Required param discord is missing or empty"),
        ({"discord": 12345, "maxJobs": 3}, "Required param discord is missing or empty"),
        ({"discord": NEW, "maxJobs": 16}, "Required param maxJobs 16 can't be more that 15"),
        ({"discord": NEW, "maxJobs": 0}, "Required param maxJobs 0 can't be less than 1"),
        ({"discord": NEW, "maxJobs": "3"}, "Required param maxJobs must be a whole number"),
        ({"discord": NEW, "maxJobs": 2.5}, "Required param maxJobs must be a whole number"),
        ({"discord": NEW, "maxJobs": True}, "Required param maxJobs must be a whole number"),
        ({"discord": DISCORD_TOKEN_WITHOUT_MIDJOURNEY}, "`Midjourney bot not configured"),
        (
            {"discord": DEMO_DISCORD_TOKENS[CHANNEL_MAIN], "maxJobs": 3},
            f"Channel {CHANNEL_MAIN} configuration has same discord value",
        ),
    ],
)
def test_each_400_has_the_documented_body(fake: FakeUpstream, body: Any, message: str) -> None:
    raw = b"" if body is None else None
    reply = call(fake, "POST", ACCOUNTS, headers=BEARER, body=body, raw=raw)
    assert error(reply) == (400, {"error": message, "code": 400})


def test_the_plans_maximum_bounds_maxjobs(fake: FakeUpstream) -> None:
    fake.useapi_plan_max_jobs = 3
    reply = post(fake, {"discord": NEW, "maxJobs": 4})
    assert error(reply) == (
        400,
        {"error": "Required param maxJobs 4 can't be more that 3", "code": 400},
    )
    fake.reset()
    assert fake.useapi_plan_max_jobs == 15


def test_a_token_over_its_account_limit_gets_402_for_a_new_account_only(
    fake: FakeUpstream,
) -> None:
    fake.useapi_account_limit = 4
    assert error(post(fake, {"discord": NEW})) == (
        402,
        {
            "error": "Subscription quantity exceeded, see https://useapi.net/docs/subscription",
            "code": 402,
        },
    )
    assert post(fake, {"discord": DEMO_DISCORD_TOKENS[CHANNEL_PRO], "maxJobs": 3}).status == 200
    fake.reset()
    assert fake.useapi_account_limit is None


def test_a_token_without_a_configuration_gets_one(fake: FakeUpstream) -> None:
    empty = {"Authorization": f"Bearer {EMPTY_USEAPI_TOKEN}"}
    assert call(fake, "GET", ACCOUNTS, headers=empty).status == 404
    assert post(fake, {"discord": NEW}, EMPTY_USEAPI_TOKEN).status == 201
    assert list(call(fake, "GET", ACCOUNTS, headers=empty).json()) == [channel_for(NEW)]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", ACCOUNTS),
        ("DELETE", f"{ACCOUNTS}/{CHANNEL_MAIN}"),
        ("POST", f"{ACCOUNTS}/{CHANNEL_HELD}/reset"),
    ],
)
def test_every_write_wants_a_known_bearer_token(fake: FakeUpstream, method: str, path: str) -> None:
    reply = call(fake, method, path, headers={"Authorization": "Bearer user:9-unknown"})
    assert error(reply) == (401, {"error": "Unauthorized", "code": 401})
    assert CHANNEL_MAIN in fake.useapi_accounts[DEMO_USEAPI_TOKEN]


def test_reset_clears_the_moderation_message_with_204(fake: FakeUpstream) -> None:
    reply = call(fake, "POST", f"{ACCOUNTS}/{CHANNEL_HELD}/reset", headers=BEARER)
    assert (reply.status, reply.body, reply.headers["Content-Length"]) == (204, b"", None)
    listed = call(fake, "GET", f"{ACCOUNTS}/{CHANNEL_HELD}", headers=BEARER).json()
    assert "pendingModMessage" not in listed


def test_delete_removes_the_account_with_204_then_404(fake: FakeUpstream) -> None:
    path = f"{ACCOUNTS}/{CHANNEL_MAIN}"
    assert call(fake, "DELETE", path, headers=BEARER).status == 204
    assert CHANNEL_MAIN not in call(fake, "GET", ACCOUNTS, headers=BEARER).json()
    assert error(call(fake, "DELETE", path, headers=BEARER)) == (
        404,
        {"error": "Configuration not found for provided channel", "code": 404},
    )


def test_reset_of_an_unknown_channel_is_404(fake: FakeUpstream) -> None:
    reply = call(fake, "POST", f"{ACCOUNTS}/1999999999999999999/reset", headers=BEARER)
    assert error(reply) == (
        404,
        {"error": "Configuration not found for provided channel", "code": 404},
    )


def test_a_429_lists_the_jobs_executing_on_the_account_the_call_is_about(
    fake: FakeUpstream,
) -> None:
    fake.set_fault("429")
    reply = post(fake, {"discord": DEMO_DISCORD_TOKENS[CHANNEL_PRO]})
    assert reply.status == 429
    assert reply.json() == {
        "error": "Too many requests, please slow down",
        "executingJobs": [
            job for job in fake.useapi_jobs[DEMO_USEAPI_TOKEN] if job.endswith(CHANNEL_PRO)
        ],
        "code": 429,
    }
    assert len(reply.json()["executingJobs"]) == 3


def test_a_596_says_which_account_is_held_and_its_message(fake: FakeUpstream) -> None:
    fake.set_fault("596")
    reply = call(fake, "POST", f"{ACCOUNTS}/{CHANNEL_HELD}/reset", headers=BEARER)
    assert error(reply) == (
        596,
        {
            "error": "Pending moderation message",
            "errorDetails": HELD_MESSAGE,
            "channel": CHANNEL_HELD,
            "code": 596,
        },
    )
    # A call about no account in particular meets the token's first one.
    assert call(fake, "GET", "/v2/jobs", headers=BEARER).json()["channel"] == CHANNEL_MAIN
    # The fault changes nothing: the account is not held by it.
    assert "pendingModMessage" not in fake.useapi_accounts[DEMO_USEAPI_TOKEN][CHANNEL_MAIN]


def test_596_is_useapis_own_and_leaves_apiframe_alone(fake: FakeUpstream) -> None:
    from tests.fakes.fake_vendors import SEEDED_TASK_IDS

    fake.set_fault("596")
    reply = call(fake, "POST", "/fetch", headers=RAW_KEY, body={"task_id": SEEDED_TASK_IDS[0]})
    assert reply.status == 200
