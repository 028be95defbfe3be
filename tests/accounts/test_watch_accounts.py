"""`manage.py watch_accounts`: alerts, each once, when an account is held, recovers or is removed.

Against the local fake of useapi.net over loopback HTTP, with a webhook receiver on its own
loopback port and Django's in-memory email backend (pytest-django's `mailoutbox`).
"""

import logging
from dataclasses import dataclass
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings

from accounts.models import WatchedAccount
from accounts.watching import Watched, token_digest
from mjadmin.keys import credentials
from tests.accounts.webhook_receiver import Receiver, webhook_receiver
from tests.fakes.fake_vendors import (
    CHANNEL_HELD,
    CHANNEL_MAIN,
    CHANNEL_PRO,
    CHANNEL_SPARE,
    DEMO_USEAPI_TOKEN,
    HELD_MESSAGE,
)
from tests.mjadmin.keys.test_settings_page import OTHER_KEY

BOB_TOKEN = "user:5678-BobWatchedUseapiToken0003"
BOB_CHANNEL = "1211000000000000001"
BOB_OTHER = "1211000000000000002"
NEW_HOLD = "Please acknowledge the Terms of Service update (message 1212000000000000009)."


@dataclass(frozen=True)
class Run:
    out: str
    err: str
    error: str | None  # the CommandError's message: the command exits 1

    @property
    def out_lines(self) -> list[str]:
        return self.out.splitlines()


def watch(*args: str) -> Run:
    out, err = StringIO(), StringIO()
    try:
        call_command("watch_accounts", *args, stdout=out, stderr=err)
    except CommandError as exc:
        assert exc.returncode == 1
        return Run(out.getvalue(), err.getvalue(), str(exc))
    return Run(out.getvalue(), err.getvalue(), None)


def kept(token: str) -> dict[str, str]:
    """What is kept of the token's accounts: channel -> state."""
    rows = WatchedAccount.objects.filter(token_digest=token_digest(token))
    return dict(rows.values_list("channel", "state"))


def listed(text: str) -> list[str]:
    """The changes an alert lists, one per line."""
    return [line.removeprefix("- ") for line in text.splitlines() if line.startswith("- ")]


@pytest.fixture
def receiver():
    with webhook_receiver() as running:
        yield running


@pytest.fixture
def alerting(settings, receiver: Receiver, mailoutbox):
    """Both ways of alerting configured: the webhook receiver and email (as with EMAIL_URL)."""
    settings.ALERT_WEBHOOK_URL = receiver.url
    settings.EMAIL_CONFIGURED = True
    return receiver


@pytest.fixture
def bob_watched(bob, fake):
    fake.useapi_tokens.add(BOB_TOKEN)
    fake.useapi_accounts[BOB_TOKEN] = {
        BOB_CHANNEL: {"channel": BOB_CHANNEL, "discord": "MTI...b0b", "maxJobs": 3},
        BOB_OTHER: {"channel": BOB_OTHER, "discord": "MTI...b0c", "maxJobs": 3},
    }
    credentials.save_secret(bob, "useapi", BOB_TOKEN)
    return fake.useapi_accounts[BOB_TOKEN]


@pytest.fixture
def alice_accounts(alice_keys, fake):
    return fake.useapi_accounts[DEMO_USEAPI_TOKEN]


HELD_LINE = f"{CHANNEL_HELD} is held by a moderation message: {HELD_MESSAGE}"


# -- the first run ---------------------------------------------------------------------------


def test_the_first_run_alerts_about_the_accounts_already_held_only(
    alice_accounts, alerting, mailoutbox
):
    run = watch()

    assert run.error is None
    [post] = alerting.posts
    assert listed(post.text) == [HELD_LINE]
    [mail] = mailoutbox
    assert listed(mail.body) == [HELD_LINE]
    assert mail.subject == f"mjadmin: Midjourney account {CHANNEL_HELD} held (alice)"
    assert mail.to == ["alice@example.com"]
    assert f"alice: {HELD_LINE}" in run.out_lines


def test_a_held_alert_says_how_to_release_the_account_here(alice_accounts, alerting, mailoutbox):
    watch()
    [post] = alerting.posts
    [mail] = mailoutbox
    advice = (
        "A held account takes no jobs until its moderation message is acknowledged in Discord "
        "and the account is reset: Reset, on its row of mjadmin's Accounts page."
    )
    assert post.text.splitlines()[-1] == advice
    assert mail.body.splitlines()[-1] == advice


def test_the_first_run_records_every_account(alice_accounts, alerting):
    watch()
    states = dict(WatchedAccount.objects.values_list("channel", "state"))
    assert states == {
        CHANNEL_MAIN: "ok",
        CHANNEL_PRO: "ok",
        CHANNEL_HELD: "held",
        CHANNEL_SPARE: "ok",
    }


def test_a_second_run_with_nothing_new_alerts_nobody_and_says_nothing(
    alice_accounts, alerting, mailoutbox
):
    watch()
    run = watch()

    assert len(alerting.posts) == 1
    assert len(mailoutbox) == 1
    assert (run.out, run.err, run.error) == ("", "", None)


# -- each change, once -----------------------------------------------------------------------


def test_an_account_that_becomes_held_is_alerted_once(alice_accounts, alerting, mailoutbox):
    watch()
    alice_accounts[CHANNEL_MAIN]["pendingModMessage"] = NEW_HOLD

    first, second = watch(), watch()

    line = f"{CHANNEL_MAIN} is held by a moderation message: {NEW_HOLD}"
    assert [listed(text) for text in alerting.texts] == [[HELD_LINE], [line]]
    assert [listed(mail.body) for mail in mailoutbox] == [[HELD_LINE], [line]]
    assert first.out_lines == [
        f"alice: {line}",
        "alice: emailed alice@example.com (1 change(s))",
        "alice: posted to the webhook (1 change(s))",
    ]
    assert second.out == ""


def test_an_account_that_recovers_is_alerted_once(alice_accounts, alerting, mailoutbox):
    watch()
    del alice_accounts[CHANNEL_HELD]["pendingModMessage"]

    watch()
    watch()

    line = f"{CHANNEL_HELD} recovered: it is no longer held"
    assert [listed(text) for text in alerting.texts] == [[HELD_LINE], [line]]
    assert mailoutbox[-1].subject == f"mjadmin: Midjourney account {CHANNEL_HELD} recovered (alice)"
    assert len(mailoutbox) == 2


def test_an_account_that_is_removed_is_alerted_once_and_then_forgotten(
    alice_accounts, alerting, mailoutbox
):
    watch()
    del alice_accounts[CHANNEL_SPARE]

    watch()
    watch()

    line = f"{CHANNEL_SPARE} was removed: useapi.net no longer lists it for this token"
    assert [listed(text) for text in alerting.texts] == [[HELD_LINE], [line]]
    assert len(mailoutbox) == 2
    assert not WatchedAccount.objects.filter(channel=CHANNEL_SPARE).exists()


def test_a_held_account_whose_message_changes_is_not_alerted_again(alice_accounts, alerting):
    watch()
    alice_accounts[CHANNEL_HELD]["pendingModMessage"] = NEW_HOLD
    watch()
    assert len(alerting.posts) == 1


def test_an_account_added_later_is_no_news_unless_held(alice_accounts, alerting):
    watch()
    alice_accounts["1299000000000000001"] = {"channel": "1299000000000000001", "maxJobs": 3}
    alice_accounts["1299000000000000002"] = {
        "channel": "1299000000000000002",
        "maxJobs": 3,
        "pendingModMessage": NEW_HOLD,
    }
    watch()
    assert listed(alerting.texts[-1]) == [
        f"1299000000000000002 is held by a moderation message: {NEW_HOLD}"
    ]


def test_changes_found_in_one_run_come_in_one_alert_each_listed_once(
    alice_accounts, alerting, mailoutbox
):
    watch()
    alice_accounts[CHANNEL_MAIN]["pendingModMessage"] = NEW_HOLD
    del alice_accounts[CHANNEL_HELD]["pendingModMessage"]
    del alice_accounts[CHANNEL_SPARE]

    watch()

    expected = [
        f"{CHANNEL_MAIN} is held by a moderation message: {NEW_HOLD}",
        f"{CHANNEL_HELD} recovered: it is no longer held",
        f"{CHANNEL_SPARE} was removed: useapi.net no longer lists it for this token",
    ]
    assert sorted(listed(alerting.texts[-1])) == sorted(expected)
    assert sorted(listed(mailoutbox[-1].body)) == sorted(expected)
    assert mailoutbox[-1].subject == "mjadmin: 3 Midjourney account changes (alice)"


def test_a_token_with_no_configuration_left_has_its_accounts_removed(
    alice_accounts, alerting, fake
):
    watch()
    fake.useapi_accounts.pop(DEMO_USEAPI_TOKEN)  # useapi.net answers 404 "not found"

    run = watch()

    assert run.error is None
    assert sorted(listed(alerting.texts[-1])) == sorted(
        f"{channel} was removed: useapi.net no longer lists it for this token"
        for channel in (CHANNEL_MAIN, CHANNEL_PRO, CHANNEL_HELD, CHANNEL_SPARE)
    )


@pytest.mark.parametrize(
    "answer",
    ["an empty 404", "a web server's 404 page"],
)
def test_a_404_without_useapis_own_error_is_a_failed_read_that_removes_nothing(
    alice_accounts, alerting, mailoutbox, fake, settings, answer
):
    watch()
    if answer == "an empty 404":
        fake.set_fault("404-empty")
    else:
        # A wrong USEAPI_BASE_URL: the fake's plain-text 404 for a path it does not serve.
        settings.USEAPI_BASE_URL = f"{fake.base_url}/images"

    run = watch()

    assert run.error is not None
    assert run.err.splitlines() == [
        "alice: accounts not read: useapi.net answered 404 without its own error at "
        f"{settings.USEAPI_BASE_URL}: check USEAPI_BASE_URL, or try again later."
    ]
    assert len(alerting.posts) == 1  # the first run's
    assert len(mailoutbox) == 1
    assert kept(DEMO_USEAPI_TOKEN) == {
        CHANNEL_MAIN: "ok",
        CHANNEL_PRO: "ok",
        CHANNEL_HELD: "held",
        CHANNEL_SPARE: "ok",
    }


# -- who is told -----------------------------------------------------------------------------


def test_a_teammates_change_is_emailed_to_them_and_the_admins_only(
    alice, bob_watched, alerting, mailoutbox
):
    get_user_model().objects.create_user("carol", "carol@example.com", "x")  # a member
    get_user_model().objects.create_user(
        "dave", "dave@example.com", "x", is_superuser=True, is_active=False
    )
    watch()
    bob_watched[BOB_CHANNEL]["pendingModMessage"] = NEW_HOLD

    watch()

    [mail] = mailoutbox
    assert mail.to == ["bob@example.com", "alice@example.com"]
    assert mail.body.startswith("Midjourney accounts on bob's useapi.net token:")
    assert alerting.texts[0].startswith("Midjourney accounts on bob's useapi.net token:")


def test_without_email_configured_only_the_webhook_is_told(
    alice_accounts, alerting, settings, mailoutbox
):
    settings.EMAIL_CONFIGURED = False
    watch()
    assert mailoutbox == []
    assert listed(alerting.texts[0]) == [HELD_LINE]

    # Configured later, email starts from then: no backlog of old changes.
    settings.EMAIL_CONFIGURED = True
    assert watch().out == ""
    assert mailoutbox == []


def test_without_any_way_configured_the_changes_are_printed_and_nobody_told(
    alice_accounts, settings, mailoutbox
):
    settings.EMAIL_CONFIGURED = False
    settings.ALERT_WEBHOOK_URL = ""
    run = watch()
    assert run.out_lines == [
        f"alice: {HELD_LINE}",
        "Nobody was alerted: set EMAIL_URL or ALERT_WEBHOOK_URL (see .env.example).",
    ]
    assert mailoutbox == []


@pytest.mark.parametrize("leaves", ["deactivated", "token removed"])
def test_a_token_no_active_teammate_holds_is_not_read_and_is_forgotten(
    alice, bob, bob_watched, alerting, fake, leaves
):
    watch()
    assert len(kept(BOB_TOKEN)) == 2
    if leaves == "deactivated":
        bob.is_active = False
        bob.save()
    else:
        credentials.remove_secret(bob, "useapi")
    fake.requests.clear()

    watch()

    assert fake.requests == []
    assert kept(BOB_TOKEN) == {}
    assert not WatchedAccount.objects.exists()


# -- teammates who saved the same token ------------------------------------------------------


@pytest.fixture
def sharing(alice_accounts, bob_keys, db):
    """alice (the admin) and bob saved the same useapi.net token; dave is another admin."""
    get_user_model().objects.create_user(
        "dave", "dave@example.com", "x", is_superuser=True, is_staff=True
    )
    return alice_accounts


def test_a_shared_token_is_read_once_and_each_change_alerted_once_to_everyone_holding_it(
    sharing, alerting, mailoutbox, fake
):
    first = watch()
    sharing[CHANNEL_MAIN]["pendingModMessage"] = NEW_HOLD
    fake.requests.clear()

    second = watch()

    assert len(fake.requests_to("/v2/account/midjourney")) == 1
    line = f"{CHANNEL_MAIN} is held by a moderation message: {NEW_HOLD}"
    assert [listed(text) for text in alerting.texts] == [[HELD_LINE], [line]]
    assert [listed(mail.body) for mail in mailoutbox] == [[HELD_LINE], [line]]
    # Whoever saved the token (by id), then the other admins: each address once.
    assert [mail.to for mail in mailoutbox] == [
        ["alice@example.com", "bob@example.com", "dave@example.com"]
    ] * 2
    assert (
        mailoutbox[1].subject == f"mjadmin: Midjourney account {CHANNEL_MAIN} held (alice and bob)"
    )
    assert mailoutbox[1].body.startswith(
        "Midjourney accounts on the useapi.net token of alice and bob:"
    )
    assert first.out_lines[0] == f"alice and bob: {HELD_LINE}"
    assert second.out_lines == [
        f"alice and bob: {line}",
        "alice and bob: emailed alice@example.com, bob@example.com, dave@example.com (1 change(s))",
        "alice and bob: posted to the webhook (1 change(s))",
    ]


@pytest.mark.parametrize(
    ("count", "named"),
    [
        (1, "u1"),
        (2, "u1 and u2"),
        (3, "u1, u2 and u3"),
        (6, "u1, u2, u3, u4, u5 and 1 other"),
        (9, "u1, u2, u3, u4, u5 and 4 others"),
    ],
)
def test_an_alert_names_a_few_of_the_teammates_sharing_a_token_and_counts_the_rest(count, named):
    holders = tuple(get_user_model()(username=f"u{n}") for n in range(1, count + 1))
    assert Watched("user:1-AnyToken", holders).whose == named


def test_an_address_two_holders_share_is_emailed_once(sharing, bob, alerting, mailoutbox):
    bob.email = "ALICE@example.com"
    bob.save()
    watch()
    [mail] = mailoutbox
    assert mail.to == ["alice@example.com", "dave@example.com"]


def test_what_is_kept_of_a_shared_token_stays_while_anyone_still_holds_it(
    sharing, alice, alerting, mailoutbox
):
    watch()
    credentials.remove_secret(alice, "useapi")

    run = watch()

    assert (run.out, run.err, run.error) == ("", "", None)  # the held account is no news
    assert kept(DEMO_USEAPI_TOKEN)[CHANNEL_HELD] == "held"
    sharing[CHANNEL_MAIN]["pendingModMessage"] = NEW_HOLD
    watch()
    # alice is still told, as an admin; bob first, as the one who holds it.
    assert mailoutbox[-1].to == ["bob@example.com", "alice@example.com", "dave@example.com"]
    assert mailoutbox[-1].body.startswith("Midjourney accounts on bob's useapi.net token:")


def test_while_a_saved_token_cannot_be_decrypted_nothing_kept_is_forgotten(
    alice, alice_accounts, bob_watched, alerting
):
    watch()
    before = {token: kept(token) for token in (DEMO_USEAPI_TOKEN, BOB_TOKEN)}
    # alice's token is nobody's now; bob's can't be read: it might be hers again, or his.
    credentials.remove_secret(alice, "useapi")
    with override_settings(FIELD_ENCRYPTION_KEYS=[OTHER_KEY]):
        run = watch()

    assert run.error is not None
    assert run.err.splitlines() == [
        "bob: accounts not read: Your saved useapi.net API token can no longer be decrypted. "
        "Re-enter this token."
    ]
    assert {token: kept(token) for token in (DEMO_USEAPI_TOKEN, BOB_TOKEN)} == before


# -- failures --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "said"),
    [
        ("401", "useapi.net rejected your token"),
        ("500", "useapi.net is unavailable right now (HTTP 500)"),
        ("non-json", "it answered with something other than JSON"),
        ("slow", "no answer within 2 s"),
    ],
)
def test_a_failed_read_for_one_teammate_changes_nothing_and_does_not_stop_the_others(
    alice_accounts, bob_watched, alerting, fake, kind, said
):
    watch()
    bob_watched[BOB_CHANNEL]["pendingModMessage"] = NEW_HOLD
    alice_accounts[CHANNEL_MAIN]["pendingModMessage"] = NEW_HOLD
    fake.set_fault(kind, token=BOB_TOKEN)

    run = watch()

    # alice (read before bob: by id) is told; bob's accounts are neither held nor removed.
    assert [text.splitlines()[0] for text in alerting.texts[1:]] == [
        "Midjourney accounts on alice's useapi.net token:"
    ]
    assert run.error is not None
    [problem] = run.err.splitlines()
    assert problem.startswith("bob: accounts not read: ")
    assert said in problem
    assert kept(BOB_TOKEN) == {BOB_CHANNEL: "ok", BOB_OTHER: "ok"}

    fake.clear_faults()
    assert watch().error is None
    assert listed(alerting.texts[-1]) == [
        f"{BOB_CHANNEL} is held by a moderation message: {NEW_HOLD}"
    ]


def test_a_failing_webhook_is_reported_and_posted_on_the_next_run_without_emailing_again(
    alice_accounts, alerting, mailoutbox
):
    alerting.status = 500
    alerting.answer = b"internal_error"

    failed = watch()

    assert failed.error is not None
    assert failed.err.splitlines() == [
        "alice: 1 change(s) not posted: The alert webhook refused the post (127.0.0.1 answered "
        "HTTP 500: internal_error). Tried again on the next run."
    ]
    assert len(mailoutbox) == 1  # email is a way of its own

    alerting.status = 200
    again = watch()

    assert again.error is None
    assert [listed(text) for text in alerting.texts] == [[HELD_LINE], [HELD_LINE]]
    assert len(alerting.posts) == 2  # the failed post and this one
    assert len(mailoutbox) == 1
    assert watch().out == ""


def test_a_webhook_that_never_answers_is_reported_within_the_call_bound(alice_accounts, alerting):
    alerting.delay = 5  # UPSTREAM_TIMEOUT is 2 in the tests
    run = watch()
    assert "not posted: The alert webhook could not be reached (no answer from 127.0.0.1" in run.err


def test_a_failing_mail_server_is_reported_and_the_email_sent_on_the_next_run(
    alice_accounts, alerting, mailoutbox, monkeypatch
):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("accounts.alerts.send_mail", refuse)
    failed = watch()
    assert (
        "alice: 1 change(s) not emailed: The email could not be sent (ConnectionRefusedError)."
        in failed.err
    )
    assert len(alerting.posts) == 1
    monkeypatch.undo()

    watch()

    assert [listed(mail.body) for mail in mailoutbox] == [[HELD_LINE]]
    assert len(alerting.posts) == 1


# -- what the alerts hold -------------------------------------------------------------------


def test_the_webhook_gets_slack_json_with_no_credential(alice_accounts, alerting):
    watch()
    [post] = alerting.posts
    assert post.headers["Content-Type"] == "application/json"
    assert "Authorization" not in post.headers
    assert post.path == "/services/T0SECRET/B0SECRET/HookKeyZQX0123456789abcd"


def test_a_message_cannot_mention_a_whole_slack_channel(alice_accounts, alerting, mailoutbox):
    alice_accounts[CHANNEL_HELD]["pendingModMessage"] = "<!channel> look & <https://x.example|see>"
    watch()
    assert listed(alerting.texts[0]) == [
        f"{CHANNEL_HELD} is held by a moderation message: "
        "&lt;!channel&gt; look &amp; &lt;https://x.example|see&gt;"
    ]
    # Email is plain text: as useapi.net said it.
    assert listed(mailoutbox[0].body) == [
        f"{CHANNEL_HELD} is held by a moderation message: <!channel> look & <https://x.example|see>"
    ]


def test_hostile_account_data_makes_short_single_line_alerts(alice_accounts, alerting):
    long_channel = "9" * 5000
    alice_accounts.clear()
    alice_accounts[long_channel] = {"pendingModMessage": "x" * 100_000}
    alice_accounts["evil"] = {
        "channel": "evil\x1b[31m\nchannel",
        "pendingModMessage": {"not": ["a", "string"]},
    }

    run = watch()

    assert run.error is None
    lines = listed(alerting.texts[0])
    assert len(lines) == 2
    assert lines[0] == f"{'9' * 63}… is held by a moderation message: {'x' * 499}…"
    assert lines[1] == 'evil[31m channel is held by a moderation message: {"not": ["a", "string"]}'
    assert "\x1b" not in run.out
    # Kept within the column (PostgreSQL refuses an index entry of a few KB), and known again.
    assert (
        max(len(channel) for channel in WatchedAccount.objects.values_list("channel", flat=True))
        <= 200
    )
    assert watch().out == ""


def test_thousands_of_changes_make_one_alert_listing_the_first_fifty(alerting, alice, fake):
    channels = fake.seed_many_accounts(2000, 0, token=DEMO_USEAPI_TOKEN)
    credentials.save_secret(alice, "useapi", DEMO_USEAPI_TOKEN)
    for channel in channels:
        fake.useapi_accounts[DEMO_USEAPI_TOKEN][channel]["pendingModMessage"] = NEW_HOLD

    watch()

    [text] = alerting.texts
    assert len(listed(text)) == 51
    assert listed(text)[-1] == "and 1950 more changes"
    assert WatchedAccount.objects.filter(state="held").count() == 2000


# -- secrets ---------------------------------------------------------------------------------

CANARY = "user:31337-CanaryZQXWatchToken0042"
DISCORD_CANARY = "MTE3MDgwOTcyMTY2MzQyMjQ5NA.CanaryQ.DiscordTokenZQXq3Vt9LmZ8wKpR2y"


def test_no_token_appears_in_an_alert_an_email_or_the_output(
    alice, bob_watched, alerting, mailoutbox, fake, caplog
):
    caplog.set_level(logging.DEBUG)
    fake.useapi_tokens.add(CANARY)
    fake.useapi_accounts[CANARY] = {
        CHANNEL_HELD: {
            "channel": CHANNEL_HELD,
            "discord": DISCORD_CANARY,
            "pendingModMessage": f"token {CANARY} and discord {DISCORD_CANARY} were flagged",
        },
        CANARY: {"channel": CANARY, "discord": DISCORD_CANARY, "pendingModMessage": "held"},
    }
    credentials.save_secret(alice, "useapi", CANARY)
    fake.set_fault("echo-key", token=BOB_TOKEN)  # bob's read fails with his token in it

    runs = [watch()]
    del fake.useapi_accounts[CANARY][CANARY]
    runs.append(watch())

    # The canary was really used, and what it read was alerted...
    assert any(r.headers.get("authorization") == f"Bearer {CANARY}" for r in fake.requests)
    assert len(alerting.posts) == 2
    assert len(mailoutbox) == 2
    assert "bob: accounts not read" in runs[0].err
    # ...and no token came back out: not the useapi one, not Discord's, not the webhook's key.
    said = [post.body.decode() for post in alerting.posts]
    said += [f"{mail.subject}\n{mail.body}" for mail in mailoutbox]
    said += [f"{run.out}\n{run.err}\n{run.error}" for run in runs]
    said.append(caplog.text)
    for text in said:
        assert "ZQX" not in text
        assert "BobWatchedUseapiToken" not in text
        assert "HookKey" not in text


def test_a_malformed_webhook_url_stops_start_up_without_printing_it(tmp_path):
    from tests.mjadmin.test_configuration import start

    result = start(tmp_path, ALERT_WEBHOOK_URL="hooks.example.com/services/T0/B0/KeyZQX")
    assert result.returncode != 0
    assert "ALERT_WEBHOOK_URL is malformed" in result.stderr.splitlines()[-1]
    assert "ZQX" not in result.stderr


def test_a_quiet_run_logs_nothing_for_cron_to_mail(alice_accounts, alerting, caplog):
    watch()
    caplog.set_level(logging.INFO)
    run = watch()
    assert run.out == ""
    assert [record.getMessage() for record in caplog.records] == []
    # -v 2 says what it read, the upstream calls included.
    watch("-v", "2")
    assert any(r.name == "mjadmin.upstream" for r in caplog.records)


def test_an_account_a_596_showed_held_is_alerted_once(
    alice_accounts, alerting, client, alice, fake
):
    watch()
    alerting.posts.clear()
    # useapi.net refuses a call for the main account with 596 while its list still shows it in
    # rotation: the Accounts page shows it held from then on, and so does the next run.
    client.force_login(alice)
    fake.set_fault("596", path=f"/v2/account/midjourney/{CHANNEL_MAIN}", times=1)
    client.get(f"/accounts/{CHANNEL_MAIN}/")
    run = watch()
    assert run.error is None
    [post] = alerting.posts
    assert [line.split(" is held")[0] for line in listed(post.text)] == [CHANNEL_MAIN]
    assert kept(DEMO_USEAPI_TOKEN)[CHANNEL_MAIN] == "held"
    watch()
    assert len(alerting.posts) == 1


def test_with_the_console_email_backend_the_alert_is_written_once(alice_accounts, settings, capsys):
    # EMAIL_URL=consolemail:// (the README's way to see alerts without a mail server).
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.EMAIL_CONFIGURED = True
    watch()
    written = capsys.readouterr().out
    assert written.count(f"Subject: mjadmin: Midjourney account {CHANNEL_HELD} held") == 1
    assert DEMO_USEAPI_TOKEN not in written
    watch()
    assert "Subject:" not in capsys.readouterr().out
