import pytest
from bs4 import Tag
from django.core.cache import cache

from mjadmin.keys import credentials
from tests.fakes.fake_vendors import (
    CHANNEL_HELD,
    CHANNEL_MAIN,
    CHANNEL_PRO,
    DEMO_USEAPI_TOKEN,
    EMPTY_USEAPI_TOKEN,
    HELD_MESSAGE,
)
from tests.html import Source, all_of, definition, link, notice, one, text, text_of, texts

WHOLE_TOKEN = "MTE3MDgwOTcyMTY2MzQyMjQ5NA.Gh7x2K.q3Vt9LmZ8wKpR2yXc7NbHs4JdF1gEa6UoWi0Te"


def whole_page(response) -> str:
    """For what must appear nowhere on the page (a secret, markup from upstream)."""
    return response.content.decode()


def row(page: Source, channel_id: str) -> Tag:
    """The table row of one channel, found by what its Channel cell reads."""
    (found,) = [
        tr for tr in all_of(page, "tbody tr") if text_of(tr, "td[data-label=Channel]") == channel_id
    ]
    return found


def cell(page: Source, channel_id: str, label: str) -> Tag:
    return one(row(page, channel_id), f"td[data-label='{label}']")


def summary(page: Source) -> dict[str, str]:
    """Tile label -> value, as the summary above the table shows them."""
    return {
        text_of(tile, ".label"): text_of(tile, ".value")
        for tile in all_of(page, "[aria-label=Summary] li.tile")
    }


def jobs_section(page: Source) -> Tag:
    """The card listing the jobs running on an account, on that account's own page."""
    (found,) = [
        section
        for section in all_of(page, "main section.card")
        if section.h2 and text(section.h2) == "Jobs running on this account"
    ]
    return found


def job_slots(page: Source) -> str:
    """What the Running entry of an account's own page says (e.g. "2 / 3")."""
    return text(definition(page, "Running"))


def channel(channel_id: str, **fields) -> dict:
    return {"channel": channel_id, "discord": WHOLE_TOKEN, "maxJobs": 3, **fields}


@pytest.fixture
def page(alice_client, alice_keys, fake):
    def get(path: str = "/accounts/"):
        cache.clear()
        return alice_client.get(path)

    return get


def test_it_calls_useapi_with_the_users_own_bearer_token(page, fake):
    page()
    (accounts_call,) = fake.requests_to("/v2/account/midjourney")
    assert accounts_call.method == "GET"
    assert accounts_call.headers["authorization"] == f"Bearer {DEMO_USEAPI_TOKEN}"
    (jobs_call,) = fake.requests_to("/v2/jobs")
    assert jobs_call.headers["authorization"] == f"Bearer {DEMO_USEAPI_TOKEN}"


def test_it_shows_one_row_per_seeded_channel_with_capacity_and_running_jobs(page, fake):
    response = page()
    channels = texts(response, "tbody td[data-label=Channel]")
    assert sorted(channels) == sorted(fake.useapi_accounts[DEMO_USEAPI_TOKEN])
    assert texts(response, "tbody tr.held td[data-label=Channel]") == [CHANNEL_HELD]
    jobs = fake.useapi_jobs[DEMO_USEAPI_TOKEN]
    main_jobs = sum(1 for job in jobs if job.endswith(CHANNEL_MAIN))
    assert text(cell(response, CHANNEL_MAIN, "Running")) == f"{main_jobs} / 3"


def test_the_summary_adds_up_accounts_capacity_running_and_attention(page, fake):
    accounts = fake.useapi_accounts[DEMO_USEAPI_TOKEN]
    capacity = sum(a["maxJobs"] for a in accounts.values())
    assert summary(page()) == {
        "accounts": str(len(accounts)),
        "total capacity (max jobs)": str(capacity),
        "jobs running": str(len(fake.useapi_jobs[DEMO_USEAPI_TOKEN])),
        "⚠ need attention": "1",
    }


def test_a_held_account_shows_its_moderation_message_in_full(page):
    status = cell(page(), CHANNEL_HELD, "Status")
    assert text_of(status, ".badge") == "⚠ Held"
    # Read as one run of text: the message id inside it is a link of its own.
    assert one(status, ".mod-message").get_text() == HELD_MESSAGE


def test_the_server_is_shown_only_when_present(page, fake):
    fake.useapi_accounts[DEMO_USEAPI_TOKEN] = {
        "111111111111111111": channel("111111111111111111", server="999999999999999999"),
        "222222222222222222": channel("222222222222222222"),
    }
    response = page()
    assert text(cell(response, "111111111111111111", "Server")) == "999999999999999999"
    assert text(cell(response, "222222222222222222", "Server")) == ""


@pytest.mark.parametrize("count", [0, 1, 15])
def test_it_handles_zero_one_and_fifteen_channels(page, fake, count):
    ids = [f"12000000000000000{n:02d}" for n in range(count)]
    fake.useapi_accounts[DEMO_USEAPI_TOKEN] = {i: channel(i, maxJobs=15) for i in ids}
    fake.useapi_jobs[DEMO_USEAPI_TOKEN] = []
    response = page()
    assert sorted(texts(response, "tbody td[data-label=Channel]")) == ids
    tiles = summary(response)
    assert tiles["accounts"] == str(count)
    assert tiles["total capacity (max jobs)"] == str(15 * count)
    if count == 0:
        assert text_of(response, "main .card h2") == "No accounts configured"


@pytest.mark.parametrize(
    ("discord", "shown"),
    [
        (WHOLE_TOKEN, "MTE…0Te"),
        ("MTI...xYz", "MTI…xYz"),
        ("short", "•••"),
        ("", "—"),
        (None, "—"),
    ],
)
def test_the_discord_token_never_reaches_the_browser_unmasked(page, fake, discord, shown):
    entry = channel("333333333333333333")
    if discord is None:
        del entry["discord"]
    else:
        entry["discord"] = discord
    fake.useapi_accounts[DEMO_USEAPI_TOKEN] = {"333333333333333333": entry}
    response = page()
    assert text_of(cell(response, "333333333333333333", "Discord token"), "code") == shown
    html = whole_page(response)
    if discord and len(discord) > 9:
        assert discord not in html
        assert discord[3:-3] not in html


def test_no_response_body_contains_a_full_discord_token(page, fake):
    fake_token = fake.useapi_accounts[DEMO_USEAPI_TOKEN][CHANNEL_MAIN]["discord"]
    for path in ["/accounts/", f"/accounts/{CHANNEL_MAIN}/"]:
        html = whole_page(page(path))
        assert fake_token not in html
        assert fake_token[3:-3] not in html
        assert fake_token[:12] not in html


def test_jobs_are_counted_per_channel_from_the_job_id(page, fake):
    fake.useapi_accounts[DEMO_USEAPI_TOKEN] = {
        "444444444444444444": channel("444444444444444444", maxJobs=3),
        "555555555555555555": channel("555555555555555555", maxJobs=15),
    }
    fake.useapi_jobs[DEMO_USEAPI_TOKEN] = [
        "job:20261122093015123-user:1234-channel:444444444444444444",
        "job:20261122093015124-user:1234-channel:444444444444444444",
        "job:20261122093015125-user:1234-channel:555555555555555555",
        "job:20261122093015126-user:1234-channel:666666666666666666",
    ]
    response = page()
    assert text(cell(response, "444444444444444444", "Running")) == "2 / 3"
    assert text(cell(response, "555555555555555555", "Running")) == "1 / 15"


def test_a_full_account_is_flagged(page, fake):
    fake.useapi_accounts[DEMO_USEAPI_TOKEN] = {"777": channel("777", maxJobs=1)}
    fake.useapi_jobs[DEMO_USEAPI_TOKEN] = ["job:1-user:1-channel:777"]
    running = cell(page(), "777", "Running")
    assert text(running).startswith("1 / 1")
    assert text_of(running, ".badge") == "Full"


@pytest.mark.parametrize("kind", ["500", "non-json", "402", "bad-shape"])
def test_when_only_the_jobs_call_fails_the_accounts_still_show(page, fake, kind):
    fake.set_fault(kind, path="/v2/jobs")
    response = page()
    max_jobs = fake.useapi_accounts[DEMO_USEAPI_TOKEN][CHANNEL_PRO]["maxJobs"]
    assert text(cell(response, CHANNEL_PRO, "Running")) == f"max {max_jobs} · running: unavailable"


def test_answers_are_cached_for_a_short_time_and_refresh_bypasses_the_cache(
    alice_client, alice_keys, fake
):
    alice_client.get("/accounts/")
    alice_client.get("/accounts/")
    assert len(fake.requests_to("/v2/account/midjourney")) == 1
    response = alice_client.post("/accounts/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/"
    fetched = text_of(alice_client.get("/accounts/"), ".toolbar .muted")
    assert fetched.startswith("Fetched at ")
    assert len(fake.requests_to("/v2/account/midjourney")) == 2
    alice_client.get("/accounts/")
    assert len(fake.requests_to("/v2/account/midjourney")) == 2


def test_the_cache_is_per_user(alice_client, alice_keys, bob, bob_client, fake):
    credentials.save_secret(bob, "useapi", EMPTY_USEAPI_TOKEN)
    alice_client.get("/accounts/")
    response = bob_client.get("/accounts/")
    assert text_of(notice(response), "h2") == "No Midjourney configuration"
    # Nowhere on the page: alice's accounts must not leak to bob through the cache.
    assert CHANNEL_MAIN not in whole_page(response)


def test_the_cache_lasts_as_long_as_the_setting(alice_client, alice_keys, fake, settings):
    settings.ACCOUNTS_CACHE_SECONDS = 0  # Django treats 0 as "do not keep"
    alice_client.get("/accounts/")
    alice_client.get("/accounts/")
    assert len(fake.requests_to("/v2/account/midjourney")) == 2


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_hostile_field_values_are_escaped(page, fake):
    fake.useapi_accounts[DEMO_USEAPI_TOKEN] = {
        "888": {
            "channel": HOSTILE,
            "server": HOSTILE,
            "discord": HOSTILE * 2,
            "maxJobs": 2,
            "pendingModMessage": HOSTILE + " javascript:alert(1)",
        }
    }
    response = page()
    html = whole_page(response)
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert 'href="javascript:' not in html
    # Shown as the text it is, in the cells that hold it.
    assert text(cell(response, HOSTILE, "Server")) == HOSTILE
    assert text_of(cell(response, HOSTILE, "Status"), ".mod-message") == (
        HOSTILE + " javascript:alert(1)"
    )


def test_a_channel_with_missing_or_odd_fields_is_shown_not_dropped(page, fake):
    fake.useapi_accounts[DEMO_USEAPI_TOKEN] = {
        "901": {"maxJobs": "lots"},
        "902": "not an object",
        "903": {"channel": "903", "maxJobs": 2, "discord": "MTI...abc"},
    }
    response = page()
    for channel_id in ("901", "902", "903"):
        assert link(cell(response, channel_id, "Channel")) == (
            channel_id,
            f"/accounts/{channel_id}/",
        )
    assert "⚠ maxJobs is missing or not a number" in texts(cell(response, "901", "Status"), ".help")
    assert texts(cell(response, "902", "Status"), ".help") == [
        "⚠ useapi.net sent no details for it"
    ]


def test_one_account_page_shows_it_with_its_jobs(page, fake):
    response = page(f"/accounts/{CHANNEL_MAIN}/")
    assert fake.requests_to(f"/v2/account/midjourney/{CHANNEL_MAIN}")
    main_jobs = [j for j in fake.useapi_jobs[DEMO_USEAPI_TOKEN] if j.endswith(CHANNEL_MAIN)]
    assert main_jobs
    assert texts(jobs_section(response), "li") == main_jobs
    assert job_slots(response) == f"{len(main_jobs)} / 3"


def test_the_held_account_page_shows_the_message(page):
    response = page(f"/accounts/{CHANNEL_HELD}/")
    status = definition(response, "Status")
    assert text_of(status, ".badge") == "⚠ Held"
    assert one(status, ".mod-message").get_text() == HELD_MESSAGE
    assert texts(jobs_section(response), "li") == ["No job is running on this account."]


def test_an_unknown_channel_says_so(page):
    response = page("/accounts/1234567/")
    assert response.status_code == 200
    assert "no Midjourney account with channel 1234567" in text(notice(response))


@pytest.mark.parametrize("path", ["/accounts/%2E%2E/", "/accounts/..%2Fjobs/", "/accounts/a%20b/"])
def test_a_channel_that_is_not_an_id_never_reaches_the_upstream(page, fake, path):
    assert page(path).status_code == 404
    assert fake.requests == []


def test_the_page_says_how_long_answers_are_reused(page, settings):
    settings.ACCOUNTS_CACHE_SECONDS = 45
    assert "answers are reused for 45 seconds" in text_of(page(), ".toolbar .muted")


def test_many_accounts_come_a_page_at_a_time_with_held_ones_first(page, fake):
    accounts = {str(10**17 + n): channel(str(10**17 + n)) for n in range(150)}
    held = str(10**17 + 149)
    accounts[held]["pendingModMessage"] = "Acknowledge the new rules"
    fake.useapi_accounts[DEMO_USEAPI_TOKEN] = accounts
    first = page()
    rows = all_of(first, "table.stack tbody tr")
    assert len(rows) == 100
    assert text(one(rows[0], "td[data-label=Channel]")) == held
    assert summary(first)["accounts"] == "150"
    second = page(one(first, "nav.pagination a")["href"].replace("?", "/accounts/?"))
    assert len(all_of(second, "table.stack tbody tr")) == 50
