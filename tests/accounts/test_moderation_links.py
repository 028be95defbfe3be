"""A held account's message links the Discord message it refers to, and nothing else."""

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from accounts.templatetags.moderation import _REFERENCE, LINKED_CHARS, moderation_message
from mjadmin.vendors.useapi.client import MidjourneyAccount
from tests.fakes.fake_vendors import CHANNEL_HELD, DEMO_USEAPI_TOKEN
from tests.html import all_of, one, page, text

CHANNEL = "1191564823071821915"
SERVER = "1191564822501396530"
MESSAGE = "1573983255944900635"


def shown(message: str, *, channel: str = CHANNEL, server: str | None = SERVER):
    account = MidjourneyAccount(channel=channel, server=server, pending_mod_message=message)
    return page(str(moderation_message(account)))


def links(message: str, **account) -> list[tuple[str, str]]:
    return [(text(a), a["href"]) for a in all_of(shown(message, **account), "a")]


def test_a_message_id_links_to_the_message_in_the_accounts_server():
    assert links(f"Please acknowledge (message {MESSAGE}).") == [
        (MESSAGE, f"https://discord.com/channels/{SERVER}/{CHANNEL}/{MESSAGE}")
    ]


def test_without_a_server_the_channel_is_the_bots_direct_messages():
    assert links(f"See message {MESSAGE}", server=None) == [
        (MESSAGE, f"https://discord.com/channels/@me/{CHANNEL}/{MESSAGE}")
    ]


@pytest.mark.parametrize(
    "written", [f"message id: {MESSAGE}", f"Message ID #{MESSAGE}", f"messageId {MESSAGE}"]
)
def test_the_ways_a_text_names_a_message_id(written):
    assert [href for _, href in links(written)] == [
        f"https://discord.com/channels/{SERVER}/{CHANNEL}/{MESSAGE}"
    ]


def test_a_discord_message_link_in_the_text_is_linked_as_it_is():
    url = f"https://discord.com/channels/@me/{CHANNEL}/{MESSAGE}"
    assert links(f"Open {url} to continue") == [(url, url)]
    old = f"https://ptb.discordapp.com/channels/{SERVER}/{CHANNEL}/{MESSAGE}"
    assert links(f"Open {old}.") == [
        (old, f"https://discord.com/channels/{SERVER}/{CHANNEL}/{MESSAGE}")
    ]


def test_a_number_the_text_does_not_call_a_message_is_not_linked():
    assert links(f"Your channel {CHANNEL} in server {SERVER} is paused.") == []


def test_a_channel_that_is_not_a_snowflake_gets_no_link():
    assert links(f"message {MESSAGE}", channel="not-a-number") == []


def test_the_rest_of_the_text_stays_text():
    hostile = f'<script>alert(1)</script> "quoted" & message {MESSAGE} <b>bold</b>'
    rendered = shown(hostile)
    assert rendered.get_text() == hostile
    assert [tag.name for tag in rendered.find_all(True)] == ["a"]


# -- hostile messages: any size, nothing that backtracks --------------------------------------


@contextmanager
def stopped_after(seconds: int) -> Iterator[None]:
    """Fails what runs inside if it is still running after `seconds`. Not a timing assertion: a
    linear scan of these inputs takes microseconds, a backtracking one minutes or hours (the
    regex engine checks for signals as it goes, so the alarm interrupts it)."""
    assert threading.current_thread() is threading.main_thread()

    def stop(signum: int, frame: object) -> None:
        raise AssertionError(f"still matching after {seconds} s: the pattern backtracks")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize(
    "hostile",
    [
        "message" + " " * 100_000,
        "message id" + " \t" * 50_000 + "(",
        "message " * 20_000,
        "Message #" + "(" * 100_000,
    ],
    ids=["spaces", "tabs-then-paren", "repeated-word", "parens"],
)
def test_the_pattern_scans_any_text_after_message_without_backtracking(hostile):
    with stopped_after(5):
        assert _REFERENCE.search(hostile) is None


def test_only_the_start_of_a_huge_message_is_searched_and_all_of_it_shown():
    near = f"message {MESSAGE} "
    far = f" message {MESSAGE}"
    hostile = near + "x" * (LINKED_CHARS - len(near)) + far + " <b>" * 25_000

    rendered = shown(hostile)

    assert rendered.get_text() == hostile
    assert [a.get_text() for a in all_of(rendered, "a")] == [MESSAGE]
    assert [tag.name for tag in rendered.find_all(True)] == ["a"]


def test_a_message_of_100_kb_of_spaces_after_message_renders_the_dashboard(
    alice_client, alice_keys, fake
):
    hostile = "Acknowledge message" + " " * 100_000 + "please"
    fake.useapi_accounts[DEMO_USEAPI_TOKEN][CHANNEL_HELD]["pendingModMessage"] = hostile

    with stopped_after(10):
        response = alice_client.get("/accounts/")

    assert response.status_code == 200
    (held,) = [
        tr
        for tr in all_of(response, "tbody tr")
        if text(one(tr, "td[data-label=Channel]")) == CHANNEL_HELD
    ]
    assert one(held, ".mod-message").get_text() == hostile
