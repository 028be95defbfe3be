"""Keys saved before vendors had rooms of their own ("useapi_token", "apiframe_key" for v1 or v2)
and lookups made then (api "v1"/"v2") keep working after the migration to keys and lookups of
any vendor."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from mjadmin import encryption
from mjadmin.keys import credentials
from mjadmin.vendors import registry
from tasks.models import Lookup

BEFORE = [("keys", "0002_apiframe_api"), ("tasks", "0007_lookup_remembers_its_api")]
V2_KEY = "afk_saved_before_rooms_000111"
USEAPI_TOKEN = "user:1234-savedBeforeRooms0001"


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_keys_and_lookups_saved_before_still_work():
    old = _migrate(BEFORE)
    user = old.get_model("auth", "User").objects.create(username="dora", is_active=True)
    credential = old.get_model("keys", "ApiCredential")
    for service, secret, api in (
        ("apiframe_key", V2_KEY, "v2"),
        ("useapi_token", USEAPI_TOKEN, "v1"),
    ):
        credential.objects.create(
            user_id=user.pk,
            service=service,
            ciphertext=encryption.encrypt(secret),
            saved_at=timezone.now(),
            api=api,
        )
    made = {
        api: old.get_model("tasks", "Lookup").objects.create(owner_id=user.pk, api=api).pk
        for api in ("v1", "v2")
    }

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    dora = get_user_model().objects.get(username="dora")
    key = registry.lookup_key_of(dora)
    assert (key.secret, key.api.choice) == (V2_KEY, "apiframe-v2")
    assert credentials.get_secret(dora, "useapi") == USEAPI_TOKEN
    assert [s.kind.label for s in credentials.statuses(dora) if s.is_set] == [
        "useapi.net API token",
        "Apiframe API key",
    ]
    assert Lookup.objects.get(pk=made["v1"]).api == "apiframe-v1"
    assert Lookup.objects.get(pk=made["v2"]).api == "apiframe-v2"
