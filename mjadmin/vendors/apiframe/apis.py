"""Apiframe's two APIs behind the registry's TaskApi: a teammate's key is for one of them (their
choice on the Settings page), and lookups, results pages, polling, exports and history behave
the same with either."""

import re
from typing import Any

from django.views.decorators.debug import sensitive_variables

from mjadmin.vendors.apiframe import tasks, v1, v2
from mjadmin.vendors.apiframe.statuses import V2_STATUS_OF_GROUP
from mjadmin.vendors.base import JobsList, JobsPage
from mjadmin.vendors.records import KeyAccount, Task
from mjadmin.vendors.task_ids import IdShape

V1_CHOICE, V2_CHOICE = "apiframe-v1", "apiframe-v2"
# UUIDs, and the long numeric ids of Apiframe's older tasks (v2 answers those "not found").
TASK_IDS = IdShape(numeric=re.compile(r"[0-9]{10,20}"))


class OriginalApi:
    """v1: up to 20 ids with fetch-many; a lone id with fetch (fetch-many wants at least 2)."""

    choice = V1_CHOICE
    vendor_name = "Apiframe"
    label = "Apiframe's original API (v1)"
    ids_per_call = v1.MAX_IDS_PER_CALL
    id_shape = TASK_IDS
    jobs: JobsList | None = None

    @sensitive_variables("key")
    def ask(self, key: str, task_ids: list[str]) -> list[Task]:
        if len(task_ids) == 1:
            found = v1.fetch(key, task_ids[0])
            return [found] if found else []
        return v1.fetch_many(key, task_ids)

    def parse(self, raw: dict[str, Any]) -> Task:
        return tasks.parse_task(raw)

    @sensitive_variables("key")
    def account(self, key: str) -> KeyAccount:
        return v1.account(key)

    def __repr__(self) -> str:
        return "Apiframe v1"


class RecentJobs:
    """v2's `GET /v2/jobs`, newest first, a cursor a page."""

    most = v2.LIST_MAX
    statuses = V2_STATUS_OF_GROUP

    def usable_cursor(self, cursor: Any) -> bool:
        return v2.usable_cursor(cursor)

    @sensitive_variables("key")
    def list_jobs(
        self,
        key: str,
        *,
        limit: int,
        status: str | None = None,
        cursor: str | None = None,
        search: str | None = None,
    ) -> JobsPage:
        return v2.list_jobs(key, limit=limit, status=status, cursor=cursor, search=search)

    @sensitive_variables("key")
    def fetch_job(self, key: str, job_id: str) -> Task | None:
        return v2.fetch_job(key, job_id)


class JobsApi:
    """v2: each id on its own, GET /v2/jobs/{id}."""

    choice = V2_CHOICE
    vendor_name = "Apiframe"
    label = "Apiframe's v2 API"
    ids_per_call = 1
    id_shape = TASK_IDS
    jobs: JobsList | None = RecentJobs()

    @sensitive_variables("key")
    def ask(self, key: str, task_ids: list[str]) -> list[Task]:
        found = (v2.fetch_job(key, task_id) for task_id in task_ids)
        return [task for task in found if task is not None]

    def parse(self, raw: dict[str, Any]) -> Task:
        return tasks.parse_task(raw)

    @sensitive_variables("key")
    def account(self, key: str) -> KeyAccount:
        return v2.me(key)

    def __repr__(self) -> str:
        return "Apiframe v2"


V1, V2 = OriginalApi(), JobsApi()
