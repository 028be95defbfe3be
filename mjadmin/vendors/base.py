"""What the registry knows of a vendor: the shape every vendor's folder fills in (vendor.py)."""

from dataclasses import dataclass, field
from typing import Any, Protocol

from mjadmin.keys.kinds import KeyKind
from mjadmin.upstream import UpstreamError
from mjadmin.vendors.records import KeyAccount, ProxyAccount, Task
from mjadmin.vendors.task_ids import IdShape


@dataclass(frozen=True)
class JobsPage:
    jobs: tuple[Task, ...]
    # Where the next page starts, when the vendor says there is one.
    next_cursor: str | None = None


class CursorRefused(UpstreamError):
    """The vendor refused a page's cursor (400): too old, or never one of its own."""

    title = "That page of jobs is gone"


class JobsList(Protocol):
    """A vendor API that lists a key's recent jobs, newest first (Recent jobs)."""

    # Jobs one page holds at most.
    most: int
    # The vendor's status name to ask for, for each group shown.
    statuses: dict[str, str]

    def usable_cursor(self, cursor: Any) -> bool:
        """Whether text from an address can be sent back as the vendor's page cursor."""
        ...

    def list_jobs(
        self,
        key: str,
        *,
        limit: int,
        status: str | None = None,
        cursor: str | None = None,
        search: str | None = None,
    ) -> JobsPage: ...

    def fetch_job(self, key: str, job_id: str) -> Task | None:
        """One job, or None when the vendor has none with this id for this key."""
        ...


class TaskApi(Protocol):
    """One of a vendor's APIs that looks up tasks by id."""

    # Stored with each lookup made through it ("apiframe-v1"): a lookup keeps its API.
    choice: str
    # The vendor's name ("Apiframe"), and this API's as people read it ("the v2 API").
    vendor_name: str
    label: str

    @property
    def ids_per_call(self) -> int:
        """How many ids one call asks for."""
        ...

    # What its task ids look like in any pasted text.
    id_shape: IdShape
    # How it lists a key's recent jobs (Recent jobs), if it does.
    jobs: JobsList | None

    def ask(self, key: str, task_ids: list[str]) -> list[Task]:
        """One call: the tasks the vendor knows among `task_ids` (at most ids_per_call), in any
        order; an UpstreamError when the call failed."""
        ...

    def parse(self, raw: dict[str, Any]) -> Task:
        """A task as stored (the vendor's masked JSON), read again for a page."""
        ...

    def account(self, key: str) -> KeyAccount:
        """What the vendor says of the key's account (plan, credits); an UpstreamError when it
        did not say (UpstreamNotFound: it has no such endpoint)."""
        ...


class AccountActions(Protocol):
    """A vendor's Midjourney accounts as a self-hosted proxy lists them, and what it can do to
    one (enable, disable, re-sync); each action answers the vendor's own words."""

    # The audit event each action ("enable", "disable", "sync") is recorded as.
    events: dict[str, str]

    def list_accounts(self, token: str) -> list[ProxyAccount]: ...

    def set_enabled(self, token: str, account_id: str, enabled: bool) -> str: ...

    def sync(self, token: str, account_id: str) -> str: ...


@dataclass(frozen=True)
class Vendor:
    slug: str  # its folder's name, and its keys' kind
    name: str  # "Apiframe"
    key: KeyKind
    # The APIs that look up tasks, by the value a key stores for its API ("" for a vendor with
    # one); the first is the default.
    task_apis: dict[str, TaskApi] = field(default_factory=dict)
    # Whether the Accounts page reads its Midjourney accounts, and can act on them.
    reads_accounts: bool = False
    acts_on_accounts: bool = False
    # Its accounts and actions on them, for a vendor whose accounts the Accounts page lists
    # through the registry (useapi.net's own pages read it directly: accounts/).
    accounts: AccountActions | None = None
    # Audit events its account actions record: stored name -> label.
    events: dict[str, str] = field(default_factory=dict)

    @property
    def looks_up_tasks(self) -> bool:
        return bool(self.task_apis)

    def task_api(self, api: str) -> TaskApi:
        """The API a key is for; the default one for a value this vendor does not know."""
        return self.task_apis.get(api) or next(iter(self.task_apis.values()))


@dataclass(frozen=True)
class VendorKey:
    """A teammate's key and the API it is for. Its repr leaves the key out, so it never lands in
    a log or an error report whole."""

    secret: str = field(repr=False)
    api: TaskApi
