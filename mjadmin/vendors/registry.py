"""Which vendors exist and what each can do: look up tasks (and by which APIs), list recent jobs,
read and act on Midjourney accounts, say a key's credits. The features ask here, never a
vendor's folder directly (docs/architecture.md). A new vendor is a folder with a `vendor.py`
that says what it is, and one line below."""

from importlib import import_module
from typing import Any

from django.contrib.auth.models import User
from django.views.decorators.debug import sensitive_variables

from mjadmin.audit.models import register_event
from mjadmin.keys import credentials, kinds
from mjadmin.vendors.base import TaskApi, Vendor, VendorKey
from mjadmin.vendors.records import Task

VENDORS: tuple[Vendor, ...] = tuple(
    import_module(f"mjadmin.vendors.{folder}.vendor").VENDOR
    for folder in (
        "useapi",
        "apiframe",
        "legnext",
        "midjourney_proxy",
    )
)
_BY_SLUG = {vendor.slug: vendor for vendor in VENDORS}
_TASK_APIS = {api.choice: api for vendor in VENDORS for api in vendor.task_apis.values()}


def register() -> None:
    """Tell the platform what the vendors bring: their key kinds and audit events (at start)."""
    for vendor in VENDORS:
        kinds.register(vendor.key)
        for name, label in vendor.events.items():
            register_event(name, label)


def vendor(slug: str) -> Vendor:
    return _BY_SLUG[slug]


def account_vendors() -> list[Vendor]:
    """Vendors whose account list the registry serves (not useapi.net's own pages)."""
    return [v for v in VENDORS if v.accounts is not None]


def task_vendors() -> list[Vendor]:
    return [v for v in VENDORS if v.looks_up_tasks]


def task_api(choice: str) -> TaskApi | None:
    """The API a lookup was made with (Lookup.api); None for one no vendor offers any more."""
    return _TASK_APIS.get(choice)


def parse_stored(choice: str, raw: dict[str, Any]) -> Task:
    """A stored answer, read by the vendor API that gave it (the first one, for an API no
    vendor offers any more: its data is shown as well as can be)."""
    api = task_api(choice) or next(iter(_TASK_APIS.values()))
    return api.parse(raw)


def task_api_vendor(choice: str) -> str:
    api = task_api(choice)
    return api.vendor_name if api is not None else ""


def task_api_label(choice: str) -> str:
    api = task_api(choice)
    return api.label if api is not None else choice


@sensitive_variables("secret")
def lookup_key_of(user: User) -> VendorKey:
    """The key that serves the user's lookups (their choice on Settings, else the first saved of
    a vendor that looks up tasks), for the API chosen for it; CredentialProblem if none."""
    candidates = [v.slug for v in task_vendors()]
    found = credentials.lookups_secret(user, candidates)
    if found is None:
        names = [v.name for v in task_vendors()]
        either = ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]
        raise credentials.CredentialProblem(
            "",
            f"You have not saved a key that looks up tasks yet. Save one for {either} on the "
            "Settings page.",
        )
    slug, secret, chosen = found
    return VendorKey(secret, vendor(slug).task_api(chosen))
