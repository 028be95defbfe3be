"""Apiframe's two APIs behind one interface: a teammate's key is for one of them (their choice on
the Settings page), and lookups, results pages, polling, exports and history behave the same with
either. tasks/fetching.py asks through a key's `TaskApi`, never a client directly."""

from dataclasses import dataclass, field
from typing import Protocol

from django.contrib.auth.models import User
from django.views.decorators.debug import sensitive_variables

from mjadmin.keys import credentials
from mjadmin.keys.models import ApiframeApi, Service
from tasks import apiframe, apiframe_v2
from tasks.key_account import KeyAccount
from tasks.task_data import Task


class TaskApi(Protocol):
    # Which API this is, as stored with a key and with each lookup.
    choice: ApiframeApi
    # How many ids one call asks for: v1 batches them (fetch-many), v2 asks one by one.
    ids_per_call: int

    def ask(self, key: str, task_ids: list[str]) -> list[Task]:
        """One call: the tasks Apiframe knows among `task_ids` (at most ids_per_call), in any
        order; an UpstreamError when the call failed."""
        ...

    def account(self, key: str) -> KeyAccount:
        """What the API says of the key's account (plan, credits); an UpstreamError when it
        did not say (UpstreamNotFound: it has no such endpoint)."""
        ...


class OriginalApi:
    """v1: up to 20 ids with fetch-many; a lone id with fetch (fetch-many wants at least 2)."""

    choice = ApiframeApi.V1
    ids_per_call = apiframe.MAX_IDS_PER_CALL

    @sensitive_variables("key")
    def ask(self, key: str, task_ids: list[str]) -> list[Task]:
        if len(task_ids) == 1:
            found = apiframe.fetch(key, task_ids[0])
            return [found] if found else []
        return apiframe.fetch_many(key, task_ids)

    @sensitive_variables("key")
    def account(self, key: str) -> KeyAccount:
        return apiframe.account(key)

    def __repr__(self) -> str:
        return "Apiframe v1"


class JobsApi:
    """v2: each id on its own, GET /v2/jobs/{id}."""

    choice = ApiframeApi.V2
    ids_per_call = 1

    @sensitive_variables("key")
    def ask(self, key: str, task_ids: list[str]) -> list[Task]:
        found = (apiframe_v2.fetch_job(key, task_id) for task_id in task_ids)
        return [task for task in found if task is not None]

    @sensitive_variables("key")
    def account(self, key: str) -> KeyAccount:
        return apiframe_v2.me(key)

    def __repr__(self) -> str:
        return "Apiframe v2"


V1, V2 = OriginalApi(), JobsApi()
_BY_CHOICE: dict[str, TaskApi] = {api.choice: api for api in (V1, V2)}


@dataclass(frozen=True)
class ApiframeKey:
    """A teammate's Apiframe key and the API it is for. Its repr leaves the key out, so it
    never lands in a log or an error report whole."""

    secret: str = field(repr=False)
    api: TaskApi = V1


@sensitive_variables("secret")
def key_of(user: User) -> ApiframeKey:
    """The user's saved Apiframe key, for the API they chose; CredentialProblem if none."""
    secret, chosen = credentials.get_secret_and_api(user, Service.APIFRAME)
    return ApiframeKey(secret, _BY_CHOICE.get(chosen, V1))


def api_label(choice: str) -> str:
    return ApiframeApi(choice).label if choice in ApiframeApi.values else choice
