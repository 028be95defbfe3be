"""A database made before the platform moved into mjadmin/ (keys and the first-run link lived in
the accounts app) upgrades with every key still decrypting and every lookup still opening."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

from mjadmin import encryption
from mjadmin.keys import credentials
from mjadmin.team.models import SetupToken

# The last migrations of the old layout: the one each app had before the move.
OLD_LAYOUT = [
    ("accounts", "0001_initial"),
    ("keys", None),
    ("team", None),
    ("tasks", "0001_initial"),
]
APIFRAME_KEY = "af_old_layout_key_0123456789"
USEAPI_TOKEN = "user:1-oldLayoutToken0001"


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1]]).apps


@pytest.mark.django_db(transaction=True)
def test_keys_setup_links_and_lookups_survive_the_move():
    old = _migrate(OLD_LAYOUT)
    user = old.get_model("auth", "User").objects.create(username="carol", is_active=True)
    old_credential = old.get_model("accounts", "ApiCredential")
    # The names the old layout stored its keys under.
    for service, secret in (("apiframe_key", APIFRAME_KEY), ("useapi_token", USEAPI_TOKEN)):
        old_credential.objects.create(
            user_id=user.pk,
            service=service,
            ciphertext=encryption.encrypt(secret),
            saved_at=timezone.now(),
        )
    old.get_model("accounts", "SetupToken").objects.create(digest="d" * 64)
    lookup = old.get_model("tasks", "Lookup").objects.create(owner_id=user.pk)
    old.get_model("tasks", "TaskResult").objects.create(
        lookup=lookup,
        position=0,
        task_id="29e983ca-7e86-4017-a9e3-ef6fe9cd5f2a",
        state="finished",
        data={"task_id": "29e983ca-7e86-4017-a9e3-ef6fe9cd5f2a", "status": "finished"},
    )

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    carol = get_user_model().objects.get(username="carol")
    assert credentials.get_secret(carol, "apiframe") == APIFRAME_KEY
    assert credentials.get_secret(carol, "useapi") == USEAPI_TOKEN
    assert SetupToken.objects.filter(digest="d" * 64).exists()
    client = Client()
    client.force_login(carol)
    page = client.get(f"/tasks/{lookup.pk}/")
    assert page.status_code == 200
    assert "29e983ca-7e86-4017-a9e3-ef6fe9cd5f2a" in page.content.decode()
