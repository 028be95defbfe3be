"""Acting on accounts from the pages: reset a held one, add or update one, change maxJobs,
delete; each after its confirmation, through the local fake over real HTTP, in the audit log."""

import pytest
from django.test import Client

from mjadmin.audit.models import AuditEvent
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
    HELD_MESSAGE,
)
from tests.hostile import HOSTILE_INPUTS
from tests.html import all_of, field_errors, link, messages, notice, one, text, text_of, texts

ACCOUNTS = "/v2/account/midjourney"
NEW_DISCORD = "MTMzMzMzMzMzMzMzMzMzMzMzMw.GnewAc.NewDiscordAccountForTheTests0001"
NEW_CHANNEL = channel_for(NEW_DISCORD)
MAX_JOBS_SAID = (
    "maxJobs is a whole number from 1 to 15: useapi.net allows at most 3 jobs at once on "
    "Midjourney's Basic and Standard plans, and 15 on Pro and Mega."
)


def read(element) -> str:
    """Its text as a reader takes it in, where an inline element (an id in a heading) adds no
    space of its own."""
    return " ".join(element.get_text().split())


def row(page, channel: str):
    (found,) = [
        tr for tr in all_of(page, "tbody tr") if text_of(tr, "td[data-label=Channel]") == channel
    ]
    return found


def status_of(page, channel: str) -> str:
    return text_of(row(page, channel), "td[data-label=Status] .badge")


def events(action: str) -> list[tuple[str, str, str]]:
    return [
        (e.actor_name, e.subject, e.detail)
        for e in AuditEvent.objects.filter(action=action).order_by("id")
    ]


def writes(fake) -> list[tuple[str, str]]:
    """The calls that reached the fake other than reads."""
    return [(r.method, r.path) for r in fake.requests if r.method != "GET"]


@pytest.fixture
def client(alice_client, alice_keys, fake) -> Client:
    return alice_client


# -- reset ---------------------------------------------------------------------------------------


def test_the_held_row_offers_reset_and_the_confirmation_shows_the_message(client):
    dashboard = client.get("/accounts/")
    reset = one(row(dashboard, CHANNEL_HELD), "a.button")
    assert read(reset) == f"Reset account {CHANNEL_HELD}…"
    assert reset["href"] == f"/accounts/{CHANNEL_HELD}/reset/"
    assert all_of(row(dashboard, CHANNEL_MAIN), "a.button") == []

    confirm = client.get(reset["href"])
    assert read(one(confirm, "h1")) == f"Reset account {CHANNEL_HELD}?"
    assert one(confirm, "blockquote.mod-message").get_text() == HELD_MESSAGE
    assert text_of(confirm, "main form button") == "Reset account"


def test_the_message_id_links_to_the_discord_message_in_the_accounts_server(client):
    confirm = client.get(f"/accounts/{CHANNEL_HELD}/reset/")
    assert link(one(confirm, "blockquote.mod-message")) == (
        "1573983255944900635",
        f"https://discord.com/channels/1191564822501396530/{CHANNEL_HELD}/1573983255944900635",
    )
    # In a new tab, so the confirmation is still there once the message is acknowledged.
    discord = one(confirm, "blockquote.mod-message a")
    assert (discord["target"], discord["rel"]) == ("_blank", ["noopener", "noreferrer"])


def test_opening_the_confirmation_resets_nothing(client, fake):
    client.get(f"/accounts/{CHANNEL_HELD}/reset/")
    assert writes(fake) == []
    assert not AuditEvent.objects.filter(action="account_reset").exists()


def test_reset_clears_the_hold_and_the_dashboard_shows_it_at_once(client, fake, alice):
    assert status_of(client.get("/accounts/"), CHANNEL_HELD) == "⚠ Held"  # now cached

    done = client.post(f"/accounts/{CHANNEL_HELD}/reset/", follow=True)

    assert done.redirect_chain == [("/accounts/", 302)]
    assert messages(done) == [
        f"Account {CHANNEL_HELD} is reset: useapi.net puts it back in rotation."
    ]
    assert status_of(done, CHANNEL_HELD) == "✓ OK"
    (call,) = fake.requests_to(f"{ACCOUNTS}/{CHANNEL_HELD}/reset")
    assert (call.method, call.headers["authorization"], call.body) == (
        "POST",
        f"Bearer {DEMO_USEAPI_TOKEN}",
        b"",
    )
    assert events("account_reset") == [
        ("alice", CHANNEL_HELD, "done: the moderation hold is cleared")
    ]


def test_a_reset_useapi_refuses_keeps_the_confirmation_with_its_words(client, fake):
    fake.useapi_accounts[DEMO_USEAPI_TOKEN].pop(CHANNEL_PRO)
    response = client.post(f"/accounts/{CHANNEL_PRO}/reset/")
    assert response.status_code == 200
    shown = notice(response)
    assert text_of(shown, "p") == (
        f"useapi.net has no Midjourney account with channel {CHANNEL_PRO} for this token (it may "
        "have been deleted already)."
    )
    assert events("account_reset") == [
        (
            "alice",
            CHANNEL_PRO,
            f"failed: useapi.net has no Midjourney account with channel {CHANNEL_PRO} for this "
            "token (it may have been deleted already). Configuration not found for provided "
            "channel",
        )
    ]


# -- add or update -------------------------------------------------------------------------------


def test_adding_asks_maxjobs_then_the_token_on_the_confirmation(client, fake):
    first = client.get("/accounts/add/")
    assert text_of(first, "h1") == "Add or update an account"
    assert one(first, "input[name=max_jobs]")["value"] == "3"
    assert all_of(first, "input[name=discord_token]") == []

    confirm = client.get("/accounts/add/", {"max_jobs": "5"})
    # The same token may update an account useapi.net has: the page cannot know which yet.
    assert text_of(confirm, "h1") == "Add or update an account with maxJobs 5?"
    assert text_of(confirm, "main form button[type=submit]") == "Add or update account"
    assert one(confirm, "form[method=post] input[name=max_jobs]")["value"] == "5"
    token_field = one(confirm, "input[name=discord_token]")
    assert (token_field["type"], token_field.get("value")) == ("password", None)
    assert writes(fake) == []


@pytest.mark.parametrize("typed", ["0", "16", "three", "-1", "2.5"])
def test_a_maxjobs_outside_1_to_15_is_refused_before_anything_is_sent(client, fake, typed):
    response = client.get("/accounts/add/", {"max_jobs": typed})
    assert text_of(response, "h1") == "Add or update an account"
    assert field_errors(response, "max_jobs") == [MAX_JOBS_SAID]
    assert all_of(response, "input[name=discord_token]") == []
    assert writes(fake) == []


def test_the_maxjobs_field_is_a_number_field_bounded_1_to_15(client):
    field = one(client.get("/accounts/add/", {"max_jobs": "16"}), "input[name=max_jobs]")
    assert (field["type"], field["min"], field["max"]) == ("number", "1", "15")
    assert field["value"] == "16"  # what was typed stays, beside the message


def test_adding_a_new_account_sends_the_token_once_and_shows_the_new_channel(client, fake):
    done = client.post(
        "/accounts/add/", {"max_jobs": "5", "discord_token": NEW_DISCORD}, follow=True
    )

    assert done.redirect_chain == [("/accounts/", 302)]
    assert messages(done) == [f"useapi.net added account {NEW_CHANNEL} with maxJobs 5."]
    assert text_of(row(done, NEW_CHANNEL), "td[data-label=Running]").endswith("/ 5")
    (call,) = [r for r in fake.requests_to(ACCOUNTS) if r.method == "POST"]
    assert call.json() == {"discord": NEW_DISCORD, "maxJobs": 5}
    assert call.headers["authorization"] == f"Bearer {DEMO_USEAPI_TOKEN}"
    assert events("account_add") == [("alice", NEW_CHANNEL, "done: added, maxJobs 5")]


def test_adding_a_token_whose_account_exists_updates_it(client, fake):
    done = client.post(
        "/accounts/add/",
        {"max_jobs": "2", "discord_token": DEMO_DISCORD_TOKENS[CHANNEL_MAIN]},
        follow=True,
    )
    assert messages(done) == [f"useapi.net updated account {CHANNEL_MAIN} with maxJobs 2."]
    assert fake.useapi_accounts[DEMO_USEAPI_TOKEN][CHANNEL_MAIN]["maxJobs"] == 2
    assert events("account_add") == [("alice", CHANNEL_MAIN, "done: updated, maxJobs 2")]


# Every 400 and 402 useapi.net documents for POST account/midjourney that a page can meet,
# shown in full (the form never sends an empty token: the client test covers that one).
REFUSALS = [
    (
        "more than the plan allows",
        {"max_jobs": "5", "discord_token": NEW_DISCORD},
        lambda fake: setattr(fake, "useapi_plan_max_jobs", 3),
        "Required param maxJobs 5 can't be more that 3",
    ),
    (
        "nothing to change",
        {"max_jobs": "3", "discord_token": DEMO_DISCORD_TOKENS[CHANNEL_MAIN]},
        lambda fake: None,
        f"Channel {CHANNEL_MAIN} configuration has same discord value",
    ),
    (
        "no Midjourney bot",
        {"max_jobs": "3", "discord_token": DISCORD_TOKEN_WITHOUT_MIDJOURNEY},
        lambda fake: None,
        "`Midjourney bot not configured",
    ),
]


@pytest.mark.parametrize(
    ("name", "data", "arrange", "said"), REFUSALS, ids=[r[0] for r in REFUSALS]
)
def test_each_documented_400_is_shown_in_full_and_the_token_is_not_kept(
    client, fake, name, data, arrange, said
):
    arrange(fake)
    response = client.post("/accounts/add/", data)

    assert response.status_code == 200
    shown = notice(response)
    assert text_of(shown, "h2") == "Request refused"
    assert text_of(shown, "p") == "useapi.net refused the request (HTTP 400)."
    assert texts(shown, "li") == [said]
    # The confirmation again, the token field empty and saying why.
    assert text_of(response, "h1") == f"Add or update an account with maxJobs {data['max_jobs']}?"
    assert one(response, "input[name=discord_token]").get("value") is None
    assert text_of(response, ".not-kept") == (
        "For your safety the Discord token is never kept: type it again to try again."
    )
    assert data["discord_token"] not in response.content.decode()
    # Nothing says which account a refused token is for: the event is about none.
    assert events("account_add") == [
        (
            "alice",
            "",
            f"failed: useapi.net refused the request (HTTP 400). {said}",
        )
    ]


def test_a_402_quantity_exceeded_is_shown_in_full(client, fake):
    fake.useapi_account_limit = 4
    response = client.post("/accounts/add/", {"max_jobs": "3", "discord_token": NEW_DISCORD})
    shown = notice(response)
    assert text_of(shown, "h2") == "Subscription needed"
    assert text_of(shown, "p") == (
        "useapi.net refused for want of a subscription (HTTP 402): Subscription quantity "
        "exceeded, see https://useapi.net/docs/subscription."
    )


def test_a_token_that_is_not_a_token_is_refused_here_and_not_echoed(client, fake):
    response = client.post(
        "/accounts/add/", {"max_jobs": "3", "discord_token": "not a token <b>x</b>"}
    )
    assert field_errors(response, "discord_token") == [
        "The Discord token cannot contain spaces or line breaks. Paste the value only (without "
        '"Bearer" or quotes).'
    ]
    assert "not a token" not in response.content.decode()
    assert writes(fake) == []


# -- change maxJobs ------------------------------------------------------------------------------


def test_changing_maxjobs_confirms_old_and_new_and_asks_for_this_accounts_token(client, fake):
    first = client.get(f"/accounts/{CHANNEL_HELD}/max-jobs/")
    assert one(first, "input[name=max_jobs]")["value"] == "1"
    confirm = client.get(f"/accounts/{CHANNEL_HELD}/max-jobs/", {"max_jobs": "2"})
    assert read(one(confirm, "h1")) == f"Change maxJobs of account {CHANNEL_HELD} from 1 to 2?"
    assert "MTE…q9A" in text_of(confirm, "main form ~ p, main p code")

    done = client.post(
        f"/accounts/{CHANNEL_HELD}/max-jobs/",
        {"max_jobs": "2", "discord_token": DEMO_DISCORD_TOKENS[CHANNEL_HELD]},
        follow=True,
    )

    assert done.redirect_chain == [(f"/accounts/{CHANNEL_HELD}/", 302)]
    assert messages(done) == [f"useapi.net updated account {CHANNEL_HELD} with maxJobs 2."]
    assert fake.useapi_accounts[DEMO_USEAPI_TOKEN][CHANNEL_HELD]["maxJobs"] == 2
    assert events("account_max_jobs") == [("alice", CHANNEL_HELD, "done: updated, maxJobs 1 to 2")]


def test_another_accounts_token_is_refused_before_it_is_sent(client, fake):
    response = client.post(
        f"/accounts/{CHANNEL_HELD}/max-jobs/",
        {"max_jobs": "2", "discord_token": DEMO_DISCORD_TOKENS[CHANNEL_PRO]},
    )
    assert field_errors(response, "discord_token") == [
        f"That is not the Discord token of account {CHANNEL_HELD}: useapi.net shows its token "
        "as MTE…q9A. Nothing was sent."
    ]
    assert one(response, "input[name=discord_token]").get("value") is None
    assert writes(fake) == []


# -- delete --------------------------------------------------------------------------------------


def test_delete_is_confirmed_then_done_and_the_dashboard_no_longer_lists_it(client, fake):
    detail = client.get(f"/accounts/{CHANNEL_PRO}/")
    # Buttons, Delete in the app's colour for what cannot be undone.
    assert [(text(a), a["class"]) for a in all_of(detail, ".account-actions a")] == [
        ("Change maxJobs", ["button"]),
        ("Delete account", ["button", "danger"]),
    ]
    confirm = client.get(f"/accounts/{CHANNEL_PRO}/delete/")
    assert read(one(confirm, "h1")) == f"Delete account {CHANNEL_PRO}?"
    assert writes(fake) == []

    done = client.post(f"/accounts/{CHANNEL_PRO}/delete/", follow=True)

    assert messages(done) == [
        f"Account {CHANNEL_PRO} is deleted from your useapi.net configuration."
    ]
    assert CHANNEL_PRO not in texts(done, "tbody td[data-label=Channel]")
    assert writes(fake) == [("DELETE", f"{ACCOUNTS}/{CHANNEL_PRO}")]
    assert events("account_delete") == [("alice", CHANNEL_PRO, "done: deleted")]


# -- 596 and 429 ---------------------------------------------------------------------------------


def test_a_596_marks_the_account_held_on_the_dashboard(client, fake):
    assert status_of(client.get("/accounts/"), CHANNEL_MAIN) == "✓ OK"
    client.get(f"/accounts/{CHANNEL_MAIN}/")  # cached: the change below reads it from there
    fake.set_fault("596", path=ACCOUNTS, times=1)

    response = client.post(
        f"/accounts/{CHANNEL_MAIN}/max-jobs/",
        {"max_jobs": "2", "discord_token": DEMO_DISCORD_TOKENS[CHANNEL_MAIN]},
    )

    shown = notice(response)
    assert text_of(shown, "h2") == "Account held by a moderation message"
    assert text(all_of(shown, "p")[0]) == (
        f"useapi.net says the Midjourney account {CHANNEL_MAIN} is held by a moderation message "
        "(HTTP 596): it is out of rotation until someone acknowledges the message in Discord "
        "and resets the account."
    )
    assert link(one(shown, "p:last-child")) == (
        f"Reset account {CHANNEL_MAIN}",
        f"/accounts/{CHANNEL_MAIN}/reset/",
    )
    dashboard = client.get("/accounts/")
    assert status_of(dashboard, CHANNEL_MAIN) == "⚠ Held"
    assert text_of(row(dashboard, CHANNEL_MAIN), ".refused").startswith(
        "useapi.net refused a call for this account with 596 (pending moderation) at"
    )
    assert events("account_max_jobs") == [
        (
            "alice",
            CHANNEL_MAIN,
            "refused (HTTP 596): the account is held by a moderation message",
        )
    ]


def test_a_596_met_while_reading_marks_the_account_held_too(client, fake):
    assert status_of(client.get("/accounts/"), CHANNEL_MAIN) == "✓ OK"  # cached
    fake.set_fault("596", path=f"{ACCOUNTS}/{CHANNEL_MAIN}", times=1)
    assert text_of(notice(client.get(f"/accounts/{CHANNEL_MAIN}/")), "h2") == (
        "Account held by a moderation message"
    )
    assert status_of(client.get("/accounts/"), CHANNEL_MAIN) == "⚠ Held"


def test_a_reset_releases_the_hold_a_596_noted(client, fake):
    fake.set_fault("596", path="/v2/jobs", times=1)
    assert status_of(client.get("/accounts/"), CHANNEL_MAIN) == "⚠ Held"
    client.post(f"/accounts/{CHANNEL_MAIN}/reset/")
    assert status_of(client.get("/accounts/"), CHANNEL_MAIN) == "✓ OK"


def test_a_429_is_reported_with_its_message_and_the_executing_jobs(client, fake):
    fake.set_fault("429", path=ACCOUNTS)
    response = client.post(
        "/accounts/add/", {"max_jobs": "2", "discord_token": DEMO_DISCORD_TOKENS[CHANNEL_MAIN]}
    )
    shown = notice(response)
    assert text(all_of(shown, "p")[0]) == (
        "useapi.net is limiting how often it is asked (HTTP 429): Too many requests, please "
        "slow down. Wait a minute, then try again."
    )
    assert texts(shown, ".executing-jobs li") == [
        job for job in fake.useapi_jobs[DEMO_USEAPI_TOKEN] if job.endswith(CHANNEL_MAIN)
    ]


def test_a_429_on_the_jobs_call_lists_them_above_the_accounts(client, fake):
    fake.set_fault("429", path="/v2/jobs")
    response = client.get("/accounts/")
    assert (
        texts(response, "[role=status] .executing-jobs li") == fake.useapi_jobs[DEMO_USEAPI_TOKEN]
    )


# -- who, how ------------------------------------------------------------------------------------


def test_a_member_acts_with_their_own_token(bob_client, bob, fake):
    from mjadmin.keys import credentials

    other = "user:777-AnotherTeammatesOwnToken01"
    fake.useapi_tokens.add(other)
    fake.useapi_accounts[other] = {CHANNEL_HELD: {"channel": CHANNEL_HELD, "maxJobs": 1}}
    credentials.save_secret(bob, "useapi", other)
    bob_client.post(f"/accounts/{CHANNEL_HELD}/reset/")
    (call,) = fake.requests_to(f"{ACCOUNTS}/{CHANNEL_HELD}/reset")
    assert call.headers["authorization"] == f"Bearer {other}"
    assert events("account_reset")[0][0] == "bob"


def test_without_a_saved_token_nothing_is_sent(alice_client, fake):
    response = alice_client.post(f"/accounts/{CHANNEL_HELD}/reset/")
    assert "You have not saved your useapi.net API token yet." in text(notice(response))
    assert fake.requests == []


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/add/",
        f"/accounts/{CHANNEL_HELD}/reset/",
        f"/accounts/{CHANNEL_HELD}/max-jobs/",
        f"/accounts/{CHANNEL_HELD}/delete/",
    ],
)
def test_a_forged_post_is_refused_and_other_methods_are_not_allowed(alice, alice_keys, fake, path):
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(alice)
    data = {"max_jobs": "2", "discord_token": DEMO_DISCORD_TOKENS[CHANNEL_HELD]}
    response = forged.post(path, data)
    assert response.status_code == 403
    assert b"CSRF" in response.content
    for method in (forged.put, forged.delete, forged.patch):
        assert method(path).status_code in (403, 405)
    allowed = Client()
    allowed.force_login(alice)
    assert allowed.put(path).status_code == 405
    assert allowed.delete(path).status_code == 405
    assert writes(fake) == []
    assert not AuditEvent.objects.filter(action__startswith="account_").exists()


@pytest.mark.parametrize("typed", HOSTILE_INPUTS)
def test_hostile_tokens_and_maxjobs_are_refused_plainly_and_never_sent(client, fake, typed):
    as_token = client.post("/accounts/add/", {"max_jobs": "3", "discord_token": typed})
    assert as_token.status_code == 200
    assert field_errors(as_token, "discord_token")
    as_max_jobs = client.get("/accounts/add/", {"max_jobs": typed})
    assert as_max_jobs.status_code == 200
    assert field_errors(as_max_jobs, "max_jobs")
    assert writes(fake) == []
    assert not AuditEvent.objects.filter(action__startswith="account_").exists()
