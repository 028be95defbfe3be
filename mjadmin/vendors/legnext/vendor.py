"""Legnext as the registry knows it: its key, and lookups one job a call."""

from typing import Any

from django.views.decorators.debug import sensitive_variables

from mjadmin.keys.kinds import KeyKind
from mjadmin.vendors.base import JobsList, Vendor
from mjadmin.vendors.legnext import client
from mjadmin.vendors.legnext.jobs import parse_job
from mjadmin.vendors.records import KeyAccount, Task
from mjadmin.vendors.task_ids import IdShape


class JobApi:
    """`GET /v1/job/{job_id}`, one id a call, run at once within the lookups' bulkheads."""

    choice = "legnext"
    vendor_name = "Legnext"
    label = "Legnext's API"
    ids_per_call = 1
    id_shape = IdShape(example="9438247a-be09-48f4-87c9-262a6d8cc786")
    jobs: JobsList | None = None

    @sensitive_variables("key")
    def ask(self, key: str, task_ids: list[str]) -> list[Task]:
        found = (client.fetch_job(key, task_id) for task_id in task_ids)
        return [task for task in found if task is not None]

    def parse(self, raw: dict[str, Any]) -> Task:
        return parse_job(raw)

    @sensitive_variables("key")
    def account(self, key: str) -> KeyAccount:
        return client.balance(key)


KEY = KeyKind(
    slug="legnext",
    label="Legnext API key",
    field="legnext_key",
    legend="Legnext (Tasks page)",
    looks_up_tasks=True,
)
VENDOR = Vendor(slug="legnext", name="Legnext", key=KEY, task_apis={"": JobApi()})
