"""useapi.net as the registry knows it: its token, and the Midjourney accounts it reads and acts
on (the Accounts page), with the audit events of those actions."""

from mjadmin.keys.kinds import KeyKind
from mjadmin.vendors.base import Vendor

SLUG = "useapi"
# What a teammate asked useapi.net to do to a Midjourney account (recorded with its outcome).
ACCOUNT_ADD = "account_add"
ACCOUNT_MAX_JOBS = "account_max_jobs"
ACCOUNT_DELETE = "account_delete"
ACCOUNT_RESET = "account_reset"

KEY = KeyKind(
    slug=SLUG,
    label="useapi.net API token",
    field="useapi_token",
    legend="useapi.net (Accounts page)",
)
VENDOR = Vendor(
    slug=SLUG,
    name="useapi.net",
    key=KEY,
    reads_accounts=True,
    acts_on_accounts=True,
    events={
        ACCOUNT_ADD: "Midjourney account: add or update",
        ACCOUNT_MAX_JOBS: "Midjourney account: change maxJobs",
        ACCOUNT_DELETE: "Midjourney account: delete",
        ACCOUNT_RESET: "Midjourney account: reset",
    },
)
