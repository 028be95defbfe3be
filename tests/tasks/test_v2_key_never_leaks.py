"""A canary Apiframe v2 key, saved and used as X-API-Key, appears in no page, log line, stored
result or audit entry, even when the vendor echoes it back."""

import logging
import uuid

from mjadmin.audit.models import AuditEvent
from tasks.models import Lookup, TaskResult
from tests.fakes.fake_apiframe_v2 import V2Key

V2_CANARY = "afk_CanaryV2KeyZQX0000111122"


def test_a_v2_canary_key_saved_used_and_echoed_appears_nowhere(alice_client, fake, caplog):
    caplog.set_level(logging.DEBUG)
    fake.apiframe_v2.keys[V2_CANARY] = V2Key(V2_CANARY, "usr_canary", "canary@example.com")
    ids = [str(uuid.uuid4()) for _ in range(3)]
    for job_id in ids:
        fake.add_job({"id": job_id, "status": "PROCESSING", "progress": 5}, owner=V2_CANARY)

    pages = [
        alice_client.post(
            "/settings/", {"apiframe_key": V2_CANARY, "apiframe_api": "v2"}, follow=True
        ),
        alice_client.get("/settings/"),
        alice_client.post("/tasks/", {"ids": " ".join(ids)}, follow=True),
        alice_client.get("/tasks/"),
        alice_client.get("/tasks/history/"),
    ]
    lookup_url = pages[2].redirect_chain[-1][0]
    pages += [
        alice_client.get(lookup_url + "export.csv"),
        alice_client.get(lookup_url + "export.json"),
    ]
    for kind in ["401", "500", "non-json", "400", "429", "echo-key"]:
        fake.set_fault(kind)
        pages.append(alice_client.post("/tasks/", {"ids": " ".join(ids)}))
        pages.append(alice_client.post(lookup_url, follow=True))
        pages.append(alice_client.get(lookup_url + "?partial=1"))
        fake.clear_faults()

    # The canary really was used, as v2 wants it, and echoed back...
    assert any(r.headers.get("x-api-key") == V2_CANARY for r in fake.requests)
    assert any(r.fault == "echo-key" for r in fake.requests)
    shown = " ".join(p.content.decode() for p in pages)
    assert "Invalid request for key" in shown
    # ...and never came back out.
    for response in pages:
        assert response.status_code in (200, 302)
        assert "ZQX" not in str(response.headers)
    assert "CanaryV2Key" not in shown
    assert "CanaryV2Key" not in caplog.text
    stored = [f"{r.error} {r.data}" for r in TaskResult.objects.all()]
    stored += [f"{e.subject} {e.detail}" for e in AuditEvent.objects.all()]
    stored += [str(lookup.not_ids) for lookup in Lookup.objects.all()]
    assert "CanaryV2Key" not in " ".join(stored)
    assert "ZQX" not in repr(dict(alice_client.session.items()))
