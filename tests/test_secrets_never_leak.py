"""A canary token, saved and used, appears in no page and no log line."""

import logging

from tests.fakes.fake_vendors import CHANNEL_MAIN, SEEDED_TASK_IDS

USEAPI_CANARY = "user:31337-CanaryUseapiTokenZQX"
APIFRAME_CANARY = "af_CanaryApiframeKeyZQX0000"


def test_a_canary_token_saved_and_used_appears_nowhere(alice_client, fake, caplog):
    caplog.set_level(logging.DEBUG)
    fake.useapi_tokens.add(USEAPI_CANARY)
    fake.useapi_accounts[USEAPI_CANARY] = fake.useapi_accounts[
        next(iter(fake.useapi_accounts))
    ].copy()
    fake.useapi_jobs[USEAPI_CANARY] = []
    fake.apiframe_keys.add(APIFRAME_CANARY)

    pages = [
        alice_client.post(
            "/settings/",
            {"useapi_token": USEAPI_CANARY, "apiframe_key": APIFRAME_CANARY},
            follow=True,
        ),
        alice_client.get("/settings/"),
        alice_client.get("/accounts/"),
        alice_client.get(f"/accounts/{CHANNEL_MAIN}/"),
        alice_client.post("/tasks/", {"ids": " ".join(SEEDED_TASK_IDS[:3])}, follow=True),
        alice_client.get("/tasks/"),
    ]
    lookup_url = pages[4].redirect_chain[-1][0]
    pages += [
        alice_client.get(lookup_url + "export.csv"),
        alice_client.get(lookup_url + "export.json"),
    ]
    for kind in ["401", "500", "non-json", "400"]:
        fake.set_fault(kind)
        pages.append(alice_client.post("/accounts/", follow=True))
        pages.append(alice_client.post("/tasks/", {"ids": SEEDED_TASK_IDS[0]}))
        pages.append(alice_client.post(lookup_url, follow=True))
        fake.clear_faults()

    # The canaries really were used upstream...
    assert any(r.headers.get("authorization") == APIFRAME_CANARY for r in fake.requests)
    assert any(r.headers.get("authorization") == f"Bearer {USEAPI_CANARY}" for r in fake.requests)
    # ...and never came back out.
    for response in pages:
        assert response.status_code in (200, 302)
        body = response.content.decode()
        assert "CanaryUseapiTokenZQX" not in body
        assert "CanaryApiframeKeyZQX" not in body
        assert "ZQX" not in str(response.headers)
    assert "ZQX" not in caplog.text
    assert "ZQX" not in repr(dict(alice_client.session.items()))


def test_a_vendor_that_echoes_the_key_never_gets_it_shown_stored_or_logged(
    alice_client, fake, caplog
):
    from mjadmin.audit.models import AuditEvent
    from tasks.models import Lookup, TaskResult

    caplog.set_level(logging.DEBUG)
    fake.useapi_tokens.add(USEAPI_CANARY)
    fake.useapi_accounts[USEAPI_CANARY] = {}
    fake.useapi_jobs[USEAPI_CANARY] = []
    fake.apiframe_keys.add(APIFRAME_CANARY)
    alice_client.post(
        "/settings/", {"useapi_token": USEAPI_CANARY, "apiframe_key": APIFRAME_CANARY}
    )
    # A first lookup works; then the vendor starts echoing keys in its error messages.
    done = alice_client.post("/tasks/", {"ids": " ".join(SEEDED_TASK_IDS[:25])}, follow=True)
    lookup_url = done.redirect_chain[-1][0]
    fake.set_fault("echo-key")
    pages = [
        alice_client.get("/accounts/"),
        alice_client.get(f"/accounts/{CHANNEL_MAIN}/"),
        alice_client.post("/tasks/", {"ids": " ".join(SEEDED_TASK_IDS[:3])}),
        alice_client.post("/tasks/", {"ids": SEEDED_TASK_IDS[0]}),
        alice_client.post(lookup_url, follow=True),
        alice_client.get(lookup_url + "?partial=1"),
        alice_client.get(lookup_url + "export.csv"),
        alice_client.get(lookup_url + "export.json"),
    ]
    # The vendor really did echo them...
    assert any(r.fault == "echo-key" for r in fake.requests)
    shown = " ".join(p.content.decode() for p in pages)
    assert "Invalid request for key" in shown
    # ...and they went no further: at most the last 4 characters, as Settings shows them.
    assert "Canary" not in shown
    assert "Canary" not in caplog.text
    stored = [r.error for r in TaskResult.objects.all()] + [
        str(r.data) for r in TaskResult.objects.all()
    ]
    stored += [f"{e.subject} {e.detail}" for e in AuditEvent.objects.all()]
    stored += [str(lookup.not_ids) for lookup in Lookup.objects.all()]
    assert "Canary" not in " ".join(stored)
