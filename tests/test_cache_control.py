"""Nothing a signed-in teammate sees is kept by a browser or proxy cache."""

import pytest

from tasks.models import Lookup
from tests.fakes.fake_vendors import SEEDED_TASK_IDS
from tests.tasks.pages import look_up

SIGNED_IN_PAGES = ["/tasks/", "/accounts/", "/settings/", "/password/", "/audit/", "/team/locks/"]


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_signed_in_pages_are_never_stored(alice_client, alice_keys, fake, path):
    response = alice_client.get(path)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_lookup_and_its_exports_are_never_stored(alice_client, alice_keys, fake):
    look_up(alice_client, SEEDED_TASK_IDS[0])
    lookup = Lookup.objects.get()
    for suffix in ("", "export.csv", "export.json"):
        response = alice_client.get(f"/tasks/{lookup.id}/{suffix}")
        assert "no-store" in response["Cache-Control"], suffix
