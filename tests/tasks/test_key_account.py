"""A key's account as Apiframe tells it: v1's `GET /account` in either of its clients' spellings,
v2's `GET /v2/me` with and without a team, read against the fake over loopback HTTP, and the
parser given whatever a vendor might send instead."""

import pytest

from mjadmin import upstream
from mjadmin.vendors.apiframe import v1 as apiframe
from mjadmin.vendors.apiframe import v2 as apiframe_v2
from mjadmin.vendors.apiframe.apis import V1, V2
from mjadmin.vendors.apiframe.key_account import NO_TEAM, from_v1_account, from_v2_me
from mjadmin.vendors.records import KeyAccount
from tests.fakes.fake_vendors import (
    DEMO_APIFRAME_KEY,
    DEMO_APIFRAME_V2_KEY,
    MEMBER_APIFRAME_V2_KEY,
)

KEY = "af_test_key_0123456789abcdef"


def test_v1_reads_the_account_in_the_first_clients_spelling(fake):
    account = apiframe.account(DEMO_APIFRAME_KEY)
    assert account == KeyAccount(
        plan="Pro",
        credits=48_250,
        email="team@apiframe-fake.example",
        figures=(("Images in all", "12,840"), ("Next billing date", "2026-12-31")),
    )
    (sent,) = fake.requests
    assert (sent.method, sent.path) == ("GET", "/account")
    assert sent.headers["authorization"] == DEMO_APIFRAME_KEY


def test_v1_reads_the_account_in_camel_case(fake):
    fake.apiframe_account_shape = "camel"
    account = apiframe.account(DEMO_APIFRAME_KEY)
    assert (account.plan, account.credits_shown) == ("Pro", "48,250")
    assert account.figures == (
        ("Images in all", "12,840"),
        ("Images this month", "1,312"),
        ("Next billing date", "2026-12-31"),
    )


def test_v1_sends_the_key_as_bearer_when_the_setting_says_so(fake, settings):
    settings.APIFRAME_AUTH_SCHEME = "bearer"
    fake.apiframe_auth_scheme = "bearer"
    assert apiframe.account(DEMO_APIFRAME_KEY).plan == "Pro"
    assert fake.requests[-1].headers["authorization"] == f"Bearer {DEMO_APIFRAME_KEY}"


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("401", upstream.UpstreamAuthError),
        ("404", upstream.UpstreamNotFound),
        ("404-empty", upstream.UpstreamNotFound),
        ("500", upstream.UpstreamUnavailable),
        ("non-json", upstream.UpstreamUnavailable),
    ],
)
def test_v1_raises_the_projects_own_error_when_the_account_is_not_said(fake, kind, error):
    fake.set_fault(kind, path="/account")
    with pytest.raises(error):
        apiframe.account(DEMO_APIFRAME_KEY)


def test_v2_reads_the_keys_user_team_and_name(fake):
    account = apiframe_v2.me(DEMO_APIFRAME_V2_KEY)
    assert account == KeyAccount(
        plan="Pro",
        credits=48_250,
        email="demo@apiframe-fake.example",
        figures=(
            ("Role", "owner"),
            ("Team", "mjadmin demo team"),
            ("Key", "mjadmin demo (afk_demo…)"),
        ),
    )
    (sent,) = fake.requests
    assert (sent.method, sent.path) == ("GET", "/apiframe-v2/v2/me")
    assert sent.headers["x-api-key"] == DEMO_APIFRAME_V2_KEY


def test_v2_says_why_there_are_no_credits_for_a_key_in_no_team(fake):
    fake.apiframe_v2.keys[MEMBER_APIFRAME_V2_KEY].team = None
    account = apiframe_v2.me(MEMBER_APIFRAME_V2_KEY)
    assert (account.plan, account.credits, account.note) == (None, None, NO_TEAM)
    assert account.email == "member@apiframe-fake.example"
    assert ("Role", "member") in account.figures


def test_both_apis_answer_through_the_same_interface(fake):
    assert V1.account(DEMO_APIFRAME_KEY).email == "team@apiframe-fake.example"
    assert V2.account(DEMO_APIFRAME_V2_KEY).email == "demo@apiframe-fake.example"


# -- the parser, given what no fake sends ----------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        {"account": {"email": "a@example.com", "credits_remaining": "1,200", "plan_name": "Basic"}},
        {"data": {"Email": "a@example.com", "remainingCredits": 1200.0, "plan": {"name": "Basic"}}},
        {"user": {"email": "a@example.com"}, "creditBalance": 1200, "tier": "Basic"},
    ],
)
def test_v1_fields_are_found_under_any_of_the_clients_names_and_one_level_down(payload):
    account = from_v1_account(payload, KEY)
    assert (account.email, account.credits_shown, account.plan) == (
        "a@example.com",
        "1,200",
        "Basic",
    )


@pytest.mark.parametrize(
    "payload", [None, [], "Pro", 42, {}, {"status": "ok"}, {"credits": None, "plan": ""}]
)
def test_an_answer_that_says_nothing_gives_an_empty_account(payload):
    assert from_v1_account(payload, KEY) == KeyAccount()


@pytest.mark.parametrize(
    ("credits", "shown"),
    [
        (12.5, "12.50"),
        ("99", "99"),
        (True, None),
        ("lots", None),
        (float("inf"), None),
        ("NaN", None),
        (10**30, None),
        ([1, 2], None),
        ({"amount": 3}, None),
    ],
)
def test_credits_are_shown_only_when_they_are_a_number(credits, shown):
    assert from_v1_account({"credits": credits}, KEY).credits_shown == shown


def test_vendor_text_is_cut_short_stripped_of_control_characters_and_never_holds_the_key():
    account = from_v1_account(
        {
            "email": f"owner of {KEY}",
            "plan": "Pro\x1b[31m\x00 plan " + "x" * 500,
            "total_images": {"nested": "object"},
        },
        KEY,
    )
    assert KEY not in str(account)
    assert account.email is not None and account.email.endswith("cdef")  # masked: its tail only
    assert account.plan is not None and account.plan.startswith("Pro[31m plan x")
    assert len(account.plan) == 120 and account.plan.endswith("…")
    assert account.figures == ()


def test_a_v2_key_prefix_is_shown_only_while_it_gives_little_of_the_key_away():
    def key_shown(prefix: str, key: str = DEMO_APIFRAME_V2_KEY) -> str:
        me = {"user": {}, "team": None, "apiKey": {"name": "ci", "prefix": prefix}}
        return dict(from_v2_me(me, key).figures)["Key"]

    assert key_shown("afk_demo") == "ci (afk_demo…)"
    assert key_shown(DEMO_APIFRAME_V2_KEY) == "ci"  # the whole key, as a careless vendor might
    assert key_shown(DEMO_APIFRAME_V2_KEY[:20]) == "ci"
    assert key_shown("afk_short_", key="afk_short_key_01") == "ci"  # most of a short key


@pytest.mark.parametrize(
    "payload",
    [
        None,
        [],
        {"user": "x", "team": "y", "apiKey": 3},
        {"user": None, "team": {"credits": "many", "plan": ["a"]}, "apiKey": None},
    ],
)
def test_a_v2_answer_of_the_wrong_shape_says_nothing_and_breaks_nothing(payload):
    account = from_v2_me(payload, DEMO_APIFRAME_V2_KEY)
    assert (account.plan, account.credits, account.email) == (None, None, None)
