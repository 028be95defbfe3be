"""midjourney-proxy as the registry knows it: a teammate's proxy token, lookups by batch, and (for
an admin token on trueai-org's proxy) its Discord accounts with enable, disable and re-sync."""

import re
from typing import Any

from django.views.decorators.debug import sensitive_variables

from mjadmin import upstream
from mjadmin.keys.kinds import KeyKind
from mjadmin.vendors.base import JobsList, Vendor
from mjadmin.vendors.midjourney_proxy import accounts, client
from mjadmin.vendors.midjourney_proxy.tasks import parse_task
from mjadmin.vendors.records import KeyAccount, ProxyAccount, Task
from mjadmin.vendors.task_ids import IdShape

SLUG = "midjourney_proxy"
ACCOUNT_ENABLED = "proxy_account_enabled"
ACCOUNT_DISABLED = "proxy_account_disabled"
ACCOUNT_SYNCED = "proxy_account_synced"


class TaskApi:
    """Batches of up to 100 ids; one id a call (at once) where the proxy has no batch route."""

    choice = "midjourney-proxy"
    vendor_name = "midjourney-proxy"
    label = "midjourney-proxy"
    # Its ids are 16-digit numbers (the submit time in ms and 3 random digits), found in any text
    # as UUIDs are: "task=1732000000000123", a URL, JSON; never inside a longer number.
    id_shape = IdShape(
        uuids=False,
        anywhere=re.compile(r"(?<![0-9A-Za-z])[0-9]{16}(?![0-9A-Za-z])"),
        example="1732000000000123",
    )
    jobs: JobsList | None = None

    @property
    def ids_per_call(self) -> int:
        return 1 if client.batch_missing() else client.BATCH_IDS

    @sensitive_variables("key")
    def ask(self, key: str, task_ids: list[str]) -> list[Task]:
        return client.look_up(key, task_ids)

    def parse(self, raw: dict[str, Any]) -> Task:
        return parse_task(raw)

    @sensitive_variables("key")
    def account(self, key: str) -> KeyAccount:
        raise upstream.UpstreamNotFound("midjourney-proxy keeps no credits or plan.")


class Accounts:
    """The proxy's Discord accounts, for an admin token (trueai-org's proxy)."""

    events = {"enable": ACCOUNT_ENABLED, "disable": ACCOUNT_DISABLED, "sync": ACCOUNT_SYNCED}

    @sensitive_variables("token")
    def list_accounts(self, token: str) -> list[ProxyAccount]:
        return accounts.list_accounts(token)

    @sensitive_variables("token")
    def set_enabled(self, token: str, account_id: str, enabled: bool) -> str:
        return accounts.set_enabled(token, account_id, enabled)

    @sensitive_variables("token")
    def sync(self, token: str, account_id: str) -> str:
        return accounts.sync(token, account_id)


KEY = KeyKind(
    slug=SLUG,
    label="midjourney-proxy token",
    field="midjourney_proxy_token",
    legend="midjourney-proxy (Tasks and Accounts pages)",
    looks_up_tasks=True,
    help_text="Sent to your team's proxy only (its address is the operator's setting).",
)
VENDOR = Vendor(
    slug=SLUG,
    name="midjourney-proxy",
    key=KEY,
    task_apis={"": TaskApi()},
    reads_accounts=True,
    acts_on_accounts=True,
    accounts=Accounts(),
    events={
        ACCOUNT_ENABLED: "midjourney-proxy account: enable",
        ACCOUNT_DISABLED: "midjourney-proxy account: disable",
        ACCOUNT_SYNCED: "midjourney-proxy account: re-sync",
    },
)
