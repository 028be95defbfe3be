"""A key's credits and plan beside the Tasks form and on Settings: cached a minute per key and
API, a short clear line whenever Apiframe does not say them, and never in the way of the paste
form, however slowly or badly Apiframe answers."""

import pytest

from mjadmin.keys import credentials
from tasks import credits
from tasks.models import Lookup
from tests.fakes import fake_apiframe_v2
from tests.fakes.fake_vendors import (
    DEMO_APIFRAME_KEY,
    DEMO_APIFRAME_V2_KEY,
    MEMBER_APIFRAME_V2_KEY,
    SEEDED_TASK_IDS,
)
from tests.html import all_of, notice, one, text, text_of, texts
from tests.tasks.pages import card_ids, look_up

FRAGMENT = "/tasks/key-account/?partial=1"
V2_ME = "/apiframe-v2/v2/me"


def figures(response) -> dict[str, str]:
    """Each figure shown for the key, by its label."""
    return {
        text(one(row, "dt")): text(one(row, "dd"))
        for row in all_of(response, ".key-account-figures .key-row")
    }


def notes(response) -> list[str]:
    return texts(response, ".key-account-figures .key-account-note")


def with_v2_key(user, key: str = DEMO_APIFRAME_V2_KEY) -> None:
    credentials.save_secret(user, "apiframe", key, api="v2")


V1_FIGURES = {
    "Plan": "Pro",
    "Credits": "48,250",
    "Email": "team@apiframe-fake.example",
    "Images in all": "12,840",
    "Next billing date": "2026-12-31",
}


# -- the pages never wait for Apiframe --------------------------------------------------------


def test_the_tasks_page_asks_apiframe_nothing_and_leaves_the_figures_to_its_script(
    alice_client, alice_keys, fake
):
    fake.set_fault("slow", path="/account")
    response = alice_client.get("/tasks/")
    assert response.status_code == 200
    assert one(response, "textarea[name=ids]") is not None
    box = one(response, "#key-account")
    assert box["data-src"] == FRAGMENT
    assert text_of(box, "#key-account-waiting") == (
        "Asking Apiframe for this key's credits and plan…"
    )
    assert fake.requests_to("/account") == []


@pytest.mark.parametrize("kind", ["slow", "500", "401", "404-empty", "huge"])
def test_a_lookup_works_whatever_account_answers(alice_client, alice_keys, fake, kind):
    fake.set_fault(kind, path="/account")
    assert alice_client.get("/tasks/").status_code == 200
    response = look_up(alice_client, SEEDED_TASK_IDS[0])
    assert card_ids(response) == [SEEDED_TASK_IDS[0]]
    assert fake.requests_to("/account") == []


def test_without_javascript_a_link_opens_the_figures_on_a_page_of_their_own(
    alice_client, alice_keys, fake
):
    link = one(alice_client.get("/tasks/"), "#key-account noscript")
    # html.parser keeps <noscript> as text: its link is read from that.
    assert 'href="/tasks/key-account/"' in link.decode_contents()
    response = alice_client.get("/tasks/key-account/")
    assert text_of(response, "h1") == "Your Apiframe key's credits and plan"
    assert figures(response) == V1_FIGURES


def test_with_no_key_neither_page_shows_the_box_and_its_own_page_says_what_to_do(
    alice_client, fake
):
    assert all_of(alice_client.get("/tasks/"), "#key-account") == []
    assert all_of(alice_client.get("/settings/"), "#key-account") == []
    response = alice_client.get("/tasks/key-account/")
    assert text_of(notice(response), "h2") == "API key needed"
    assert text_of(notice(response), "a") == "Open Settings"
    assert fake.requests == []


# -- what Apiframe says, and when it does not ---------------------------------------------------


@pytest.mark.parametrize("shape", fake_apiframe_v2.ACCOUNT_SHAPES)
def test_the_v1_figures_are_shown_in_either_spelling(alice_client, alice_keys, fake, shape):
    fake.apiframe_account_shape = shape
    shown = figures(alice_client.get(FRAGMENT))
    extra = {"Images this month": "1,312"} if shape == "camel" else {}
    assert shown == V1_FIGURES | extra
    assert notes(alice_client.get(FRAGMENT)) == []


def test_fields_apiframe_leaves_out_are_said_to_be_not_said(
    alice_client, alice_keys, fake, monkeypatch
):
    monkeypatch.setattr(fake_apiframe_v2, "v1_account", lambda shape: {"email": "a@example.com"})
    response = alice_client.get(FRAGMENT)
    assert figures(response) == {
        "Plan": "not said",
        "Credits": "not said",
        "Email": "a@example.com",
    }
    assert notes(response) == ["Apiframe does not say this key's credits or plan."]


@pytest.mark.parametrize(
    ("kind", "line"),
    [
        ("401", "Apiframe rejected this key, so it says nothing of its credits or plan."),
        ("404", "Apiframe does not say this key's credits or plan."),
        ("404-empty", "Apiframe does not say this key's credits or plan."),
        (
            "500",
            "Apiframe did not say this key's credits or plan: Apiframe is unavailable right now "
            "(HTTP 500). Try again in a minute.",
        ),
        (
            "non-json",
            "Apiframe did not say this key's credits or plan: Apiframe is unavailable right now "
            "(it answered with something other than JSON). Try again in a minute.",
        ),
    ],
)
def test_when_apiframe_does_not_say_a_short_line_says_why(
    alice_client, alice_keys, fake, kind, line
):
    fake.set_fault(kind, path="/account")
    for address in (FRAGMENT, "/tasks/key-account/"):
        response = alice_client.get(address)
        assert response.status_code == 200
        assert figures(response) == {}
        assert notes(response) == [line]


def test_a_slow_account_is_given_up_on_after_a_few_seconds(
    alice_client, alice_keys, fake, monkeypatch
):
    monkeypatch.setattr(credits, "ASK_SECONDS", 0.5)
    fake.set_fault("slow", path="/account")
    response = alice_client.get(FRAGMENT)
    assert notes(response) == [
        "Apiframe did not say this key's credits or plan: Apiframe is unavailable right now "
        "(no answer within 0.5 s). Try again in a minute."
    ]


def test_the_v2_figures_come_from_v2_me(alice_client, alice, fake):
    with_v2_key(alice)
    response = alice_client.get(FRAGMENT)
    assert figures(response) == {
        "Plan": "Pro",
        "Credits": "48,250",
        "Email": "demo@apiframe-fake.example",
        "Role": "owner",
        "Team": "mjadmin demo team",
        "Key": "mjadmin demo (afk_demo…)",
    }
    assert [r.path for r in fake.requests] == [V2_ME]


def test_a_v2_key_in_no_team_is_said_to_have_no_credits_of_its_own(alice_client, alice, fake):
    fake.apiframe_v2.keys[MEMBER_APIFRAME_V2_KEY].team = None
    with_v2_key(alice, MEMBER_APIFRAME_V2_KEY)
    response = alice_client.get(FRAGMENT)
    assert figures(response)["Plan"] == figures(response)["Credits"] == "not said"
    assert notes(response) == [
        "This key is in no team, and Apiframe keeps credits and a plan per team."
    ]


def test_vendor_text_is_escaped_and_never_shows_the_key(
    alice_client, alice_keys, fake, monkeypatch
):
    said = {"plan": "<script>alert(1)</script>", "email": f"x@example.com {DEMO_APIFRAME_KEY}"}
    monkeypatch.setattr(fake_apiframe_v2, "v1_account", lambda shape: said)
    response = alice_client.get("/tasks/key-account/")
    assert figures(response)["Plan"] == "<script>alert(1)</script>"
    assert all_of(response, "#key-account script") == []
    assert DEMO_APIFRAME_KEY not in response.content.decode()
    assert figures(response)["Email"] == "x@example.com ••••cdef"


# -- cached briefly, per key and API -----------------------------------------------------------


def test_one_answer_serves_every_page_for_a_minute(alice_client, alice_keys, fake):
    alice_client.get(FRAGMENT)
    tasks_page = alice_client.get("/tasks/")
    settings_page = alice_client.get("/settings/")
    alice_client.get(FRAGMENT)
    assert len(fake.requests_to("/account")) == 1
    for response in (tasks_page, settings_page):
        # Shown at once, with nothing left for a script to fetch.
        assert not one(response, "#key-account").has_attr("data-src")
        assert figures(response) == V1_FIGURES


def test_a_failure_is_kept_for_less_time_than_an_answer(alice_client, alice_keys, fake):
    assert credits.UNSAID_CACHE_SECONDS < credits.CACHE_SECONDS
    fake.set_fault("500", path="/account", times=1)
    alice_client.get(FRAGMENT)
    alice_client.get(FRAGMENT)
    assert len(fake.requests_to("/account")) == 1  # the failure is not asked again at once


def test_a_new_key_is_never_shown_the_figures_of_the_one_before(
    alice_client, alice, alice_keys, fake
):
    assert figures(alice_client.get(FRAGMENT)) == V1_FIGURES
    other = "af_other_key_mjadmin_0123456789ab"
    fake.apiframe_keys.add(other)
    fake.apiframe_account_shape = "camel"
    credentials.save_secret(alice, "apiframe", other)
    assert figures(alice_client.get(FRAGMENT))["Images this month"] == "1,312"
    sent = [r.headers["authorization"] for r in fake.requests_to("/account")]
    assert sent == [DEMO_APIFRAME_KEY, other]


def test_the_same_key_said_to_be_for_the_other_api_is_asked_again(
    alice_client, alice, alice_keys, fake
):
    assert figures(alice_client.get(FRAGMENT)) == V1_FIGURES
    credentials.set_api(alice, "apiframe", "v2")
    response = alice_client.get(FRAGMENT)
    # v2 does not know the v1 key: what was cached for v1 is not shown.
    assert figures(response) == {}
    assert notes(response) == [
        "Apiframe rejected this key, so it says nothing of its credits or plan."
    ]
    assert [r.path for r in fake.requests] == ["/account", V2_ME]


# -- Settings, and the way to Recent jobs ------------------------------------------------------


def test_settings_shows_the_figures_under_the_saved_keys(alice_client, alice_keys, fake):
    alice_client.get(FRAGMENT)
    response = alice_client.get("/settings/")
    assert text_of(response, "#key-account-heading") == "Your Apiframe key"
    assert figures(response) == V1_FIGURES


def test_only_a_v2_key_is_shown_the_way_to_its_recent_jobs(alice_client, alice, alice_keys, fake):
    assert all_of(alice_client.get("/tasks/"), "#recent-jobs-link") == []
    with_v2_key(alice)
    for page in ("/tasks/", "/settings/"):
        link = one(alice_client.get(page), "#recent-jobs-link")
        assert (text(link), link["href"]) == ("Recent jobs of this key", "/tasks/jobs/")
    assert not Lookup.objects.exists()
