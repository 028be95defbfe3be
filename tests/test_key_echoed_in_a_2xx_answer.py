"""A vendor that echoes the teammate's key inside a 200 answer (a task whose prompt says "Invalid
key <the key>") never gets it shown or kept: not on the results page, the table, the exports,
the stored rows or the prompt-word index, in any of five spellings of it."""

import base64
import uuid
from urllib.parse import quote

import pytest

from tasks.models import PromptWord, TaskResult
from tests.fakes.fake_apiframe_v2 import V2Key
from tests.fakes.fake_legnext import LegnextKey

# Characters that URL-encoding changes, and letters whose case can change.
CANARY = "afk_Canary+Key/ZQX:echo=2468"
SPELLINGS = {
    "exact": CANARY,
    "url-encoded": quote(CANARY, safe=""),
    "upper-case": CANARY.upper(),
    "lower-case": CANARY.lower(),
    "base64": base64.b64encode(CANARY.encode()).decode(),
}


def _echoing_task(api: str, task_id: str, spelling: str) -> dict:
    said = f"Invalid key {spelling}"
    if api == "midjourney_proxy":
        return {
            "id": task_id,
            "action": "IMAGINE",
            "status": "FAILURE",
            "failReason": said,
            "prompt": said,
            "properties": {"finalPrompt": said},
        }
    if api == "legnext":
        error = {"code": 401, "message": said, "raw_message": said}
        return {"job_id": task_id, "status": "failed", "error": error, "input": {"text": said}}
    if api == "v2":
        return {"id": task_id, "status": "FAILED", "error": said, "input": {"prompt": said}}
    return {"task_id": task_id, "status": "failed", "message": said, "prompt": said}


@pytest.mark.parametrize("spelling", SPELLINGS)
@pytest.mark.parametrize("api", ["v1", "v2", "legnext", "midjourney_proxy"])
def test_a_key_echoed_in_a_200_answer_is_shown_and_kept_nowhere(alice_client, fake, api, spelling):
    echoed = SPELLINGS[spelling]
    task_id = str(uuid.uuid4())
    if api == "midjourney_proxy":
        task_id = "1732000000077777"
        fake.mj_proxy.tokens[CANARY] = "USER"
        fake.add_proxy_task(_echoing_task(api, task_id, echoed))
        alice_client.post("/settings/", {"midjourney_proxy_token": CANARY})
    elif api == "legnext":
        fake.legnext.keys[CANARY] = LegnextKey(CANARY)
        fake.add_legnext_job(_echoing_task(api, task_id, echoed))
        alice_client.post("/settings/", {"legnext_key": CANARY})
    elif api == "v2":
        fake.apiframe_v2.keys[CANARY] = V2Key(CANARY, "usr_canary", "canary@example.com")
        fake.add_job(_echoing_task(api, task_id, echoed), owner=CANARY)
        alice_client.post("/settings/", {"apiframe_key": CANARY, "apiframe_api": api})
    else:
        fake.apiframe_keys.add(CANARY)
        fake.add_task(_echoing_task(api, task_id, echoed))
        alice_client.post("/settings/", {"apiframe_key": CANARY, "apiframe_api": api})

    opened = alice_client.post("/tasks/", {"ids": task_id}, follow=True)
    lookup_url = opened.redirect_chain[-1][0]
    pages = [
        opened,
        alice_client.get(lookup_url + "?view=table"),
        alice_client.get(lookup_url + "export.csv"),
        alice_client.get(lookup_url + "export.json"),
        alice_client.get(lookup_url + "images.txt"),
        alice_client.get("/tasks/history/?q=invalid"),
    ]

    # The vendor did answer with the key in it, and the task is shown as failed...
    assert any(r.path.endswith(task_id) or task_id in str(r.json()) for r in fake.requests)
    assert TaskResult.objects.get(task_id=task_id).state == "failed"
    assert "Invalid key" in opened.content.decode()
    # ...with the key masked everywhere it went.
    for response in pages:
        assert echoed.lower() not in response.content.decode().lower(), response.request
    kept = [f"{r.data} {r.error}" for r in TaskResult.objects.all()]
    kept += list(PromptWord.objects.values_list("word", flat=True))
    assert echoed.lower() not in " ".join(kept).lower()


USEAPI_CANARY = "user:4321-Canary+Token/ZQX=useapi"


@pytest.mark.parametrize(
    "echoed",
    [
        USEAPI_CANARY,
        quote(USEAPI_CANARY, safe=""),
        USEAPI_CANARY.upper(),
        USEAPI_CANARY.lower(),
        base64.b64encode(USEAPI_CANARY.encode()).decode(),
    ],
    ids=["exact", "url-encoded", "upper-case", "lower-case", "base64"],
)
def test_the_accounts_page_masks_a_useapi_token_in_any_spelling(alice_client, fake, echoed):
    from tests.fakes.fake_vendors import CHANNEL_MAIN, DEMO_USEAPI_TOKEN

    fake.useapi_tokens.add(USEAPI_CANARY)
    accounts = fake.useapi_accounts[DEMO_USEAPI_TOKEN]
    accounts[CHANNEL_MAIN]["pendingModMessage"] = f"Held: your token {echoed} was flagged"
    fake.useapi_accounts[USEAPI_CANARY] = accounts
    alice_client.post("/settings/", {"useapi_token": USEAPI_CANARY})

    page = alice_client.get("/accounts/").content.decode()

    assert "Held: your token" in page
    assert echoed.lower() not in page.lower()
