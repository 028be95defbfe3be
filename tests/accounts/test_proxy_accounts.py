"""A team's midjourney-proxy accounts on the Accounts pages (an admin token on trueai-org's proxy):
the list with what needs attention first, and disable, enable and re-sync, each confirmed first
and audited with its outcome."""

import pytest

from mjadmin.audit.models import AuditEvent
from mjadmin.keys import credentials
from tests.fakes.fake_midjourney_proxy import (
    ACCOUNT_ENABLED_ID,
    ACCOUNT_LOCKED_ID,
    ADMIN_MJ_PROXY_TOKEN,
    DEMO_MJ_PROXY_TOKEN,
)
from tests.html import all_of, one, text, texts

LIST = "/accounts/vendor/midjourney_proxy/"


def action_url(account_id: str, action: str) -> str:
    return f"{LIST}{account_id}/{action}/"


@pytest.fixture
def admin_token(alice) -> None:
    credentials.save_secret(alice, "midjourney_proxy", ADMIN_MJ_PROXY_TOKEN)


def rows(page) -> dict[str, dict[str, str]]:
    shown = {}
    for row in all_of(page, "#proxy-accounts tbody tr"):
        cells = {cell["data-label"]: text(cell) for cell in row.find_all("td")}
        shown[cells["Channel"]] = cells
    return shown


def test_the_list_shows_every_account_what_needs_attention_first(alice_client, admin_token, fake):
    page = alice_client.get(LIST)
    shown = rows(page)
    assert list(shown) == ["1191564823071821915", "1170809721663422494"]
    locked = shown["1191564823071821915"]
    assert locked["Status"] == "⚠ locked CF 人工验证..."
    assert (locked["Remark"], locked["Running / queued"]) == ("backup", "0 / 0")
    main = shown["1170809721663422494"]
    assert (main["Status"], main["Running / queued"]) == ("enabled", "2 / 1")
    assert main["Fast time left"] == "11.52/15.0 hours"
    assert main["Discord token"] == "••••i0Te"
    assert "held" in one(page, f"#account-{ACCOUNT_LOCKED_ID}")["class"]
    # The proxy's Discord tokens are never on the page whole.
    assert "q3Vt9LmZ8wKpR2yXc7NbHs4JdF1gEa6UoWi0Te" not in page.content.decode()
    assert [r.headers["mj-api-secret"] for r in fake.requests] == [ADMIN_MJ_PROXY_TOKEN]


def test_the_accounts_page_links_to_the_proxy_accounts(alice_client, alice_keys, fake):
    page = alice_client.get("/accounts/")
    assert one(page, f"a[href='{LIST}']").get_text() == "midjourney-proxy accounts"


def test_disabling_is_confirmed_first_then_done_and_audited(alice_client, admin_token, fake):
    confirm = alice_client.get(action_url(ACCOUNT_ENABLED_ID, "disable"))
    # As a reader takes it in: the inline id adds no space of its own.
    heading = " ".join(one(confirm, "h1").get_text().split())
    assert heading == "Disable midjourney-proxy account 1170809721663422494?"
    assert not [r for r in fake.requests if r.method == "PUT"]

    done = alice_client.post(action_url(ACCOUNT_ENABLED_ID, "disable"), follow=True)

    assert texts(done, ".messages li") == [
        f"Account {ACCOUNT_ENABLED_ID} disabled (midjourney-proxy: 操作成功)."
    ]
    assert rows(done)["1170809721663422494"]["Status"] == "disabled"
    account = fake.mj_proxy.accounts[ACCOUNT_ENABLED_ID]
    assert account["enable"] is False
    # The proxy was sent the account whole: its Discord token as the proxy holds it.
    assert account["userToken"].endswith("q3Vt9LmZ8wKpR2yXc7NbHs4JdF1gEa6UoWi0Te")
    (event,) = AuditEvent.objects.filter(action="proxy_account_disabled")
    assert (event.subject, event.detail, event.actor_name) == (
        ACCOUNT_ENABLED_ID,
        "done: 操作成功",
        "alice",
    )


def test_a_disabled_account_is_enabled_again_with_a_second_audit_row(
    alice_client, admin_token, fake
):
    alice_client.post(action_url(ACCOUNT_ENABLED_ID, "disable"))
    page = alice_client.get(LIST)
    assert texts(page, f"#account-{ACCOUNT_ENABLED_ID} .actions a") == ["Enable", "Re-sync"]

    alice_client.post(action_url(ACCOUNT_ENABLED_ID, "enable"))

    assert fake.mj_proxy.accounts[ACCOUNT_ENABLED_ID]["enable"] is True
    logged = AuditEvent.objects.order_by("at", "id").values_list("action", "subject")
    assert [e for e in logged if e[0].startswith("proxy_account")] == [
        ("proxy_account_disabled", ACCOUNT_ENABLED_ID),
        ("proxy_account_enabled", ACCOUNT_ENABLED_ID),
    ]
    audit = alice_client.get("/audit/?action=proxy_account_enabled")
    assert "midjourney-proxy account: enable" in text(one(audit, "table"))


def test_a_re_sync_is_asked_of_the_proxy_and_audited(alice_client, admin_token, fake):
    alice_client.post(action_url(ACCOUNT_LOCKED_ID, "sync"))
    assert fake.mj_proxy.syncs == [ACCOUNT_LOCKED_ID]
    assert AuditEvent.objects.filter(action="proxy_account_synced").count() == 1


def test_a_refusal_is_shown_in_the_proxys_words_and_audited(alice_client, admin_token, fake):
    missing = "11111111-2222-4333-8444-555555555555"
    page = alice_client.post(action_url(missing, "sync"))
    assert page.status_code == 200
    assert "账号不存在" in text(one(page, ".alert-error"))
    (event,) = AuditEvent.objects.filter(action="proxy_account_synced")
    assert event.detail.startswith("refused: ")


def test_a_users_token_is_told_the_list_needs_the_admin_token(alice, alice_client, fake):
    credentials.save_secret(alice, "midjourney_proxy", DEMO_MJ_PROXY_TOKEN)
    page = alice_client.get(LIST)
    assert "need the proxy's admin token" in text(one(page, ".alert-error"))
    assert alice_client.post(action_url(ACCOUNT_ENABLED_ID, "disable")).status_code == 200
    assert fake.mj_proxy.accounts[ACCOUNT_ENABLED_ID]["enable"] is True


def test_without_a_token_the_page_says_to_save_one(alice_client, fake):
    page = alice_client.get(LIST)
    assert "midjourney-proxy token" in text(one(page, ".alert-error"))
    assert fake.requests == []


def test_an_unknown_vendor_or_action_is_not_found(alice_client, admin_token, fake):
    assert alice_client.get("/accounts/vendor/nobody/").status_code == 404
    assert alice_client.get("/accounts/vendor/apiframe/").status_code == 404
    assert alice_client.get(action_url(ACCOUNT_ENABLED_ID, "delete")).status_code == 404


def test_a_change_the_proxy_answered_with_502_is_not_sent_again(alice_client, admin_token, fake):
    fake.set_fault("502", path=f"/mjproxy/mj/admin/account-reconnect/{ACCOUNT_ENABLED_ID}")
    page = alice_client.post(action_url(ACCOUNT_ENABLED_ID, "disable"))
    assert page.status_code == 200
    sent = [r for r in fake.requests if r.method == "PUT"]
    assert len(sent) == 1  # the proxy may have made it: never twice, nor its Discord token
    (event,) = AuditEvent.objects.filter(action="proxy_account_disabled")
    assert event.detail.startswith("refused: ")
