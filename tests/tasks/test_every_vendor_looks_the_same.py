"""A teammate on any vendor pastes the demo's sample and sees the same gallery, card for card: the
same tasks in the same order, with the same badges, images, videos and failures, as a teammate
on Apiframe's original API."""

import pytest

from mjadmin.keys import credentials
from tasks.models import Lookup
from tests.fakes.fake_legnext import DEMO_LEGNEXT_KEY
from tests.fakes.fake_midjourney_proxy import DEMO_MJ_PROXY_TOKEN, task_id_for
from tests.html import all_of, text_of, texts
from tests.tasks.pages import SAMPLE, SAMPLE_IDS, card_ids, cards, look_up, tiles

# The demo's sample as a midjourney-proxy teammate pastes it: the same tasks under the proxy's own
# 16-digit ids, in the same kinds of text, with one unknown id and one repeated.
PROXY_UNKNOWN = "1732000000099999"
PROXY_SAMPLE = f"""2026-11-22 09:30:15 INFO imagine done task={task_id_for(0)}
{task_id_for(1)}, {task_id_for(4)}
{{"id": "{task_id_for(6)}"}} {{"id": "{task_id_for(13)}"}}
https://proxy.example/mj/task/{task_id_for(9)}/fetch
{task_id_for(11)} {task_id_for(15)}
{PROXY_UNKNOWN}
{task_id_for(0)}
"""
PROXY_SAMPLE_IDS = [task_id_for(n) for n in (0, 1, 4, 6, 13, 9, 11, 15)] + [PROXY_UNKNOWN]

# Each vendor's key, and its name of the demo's sample (its own ids where they differ).
VENDORS = {
    "legnext": (DEMO_LEGNEXT_KEY, SAMPLE, SAMPLE_IDS),
    "midjourney_proxy": (DEMO_MJ_PROXY_TOKEN, PROXY_SAMPLE, PROXY_SAMPLE_IDS),
}


def shown_as(article) -> dict[str, object]:
    """What every vendor's card shows alike: its badge, images (their alt names the task by the
    vendor's own id), videos and failure."""
    task_id = text_of(article, ".task-id code")
    return {
        "badge": text_of(article, ".badge"),
        "images": [
            (img["src"], img["alt"].replace(task_id, "<id>"))
            for img in all_of(article, ".thumbs img")
        ],
        "videos": [a["href"] for a in all_of(article, ".task-media p a")],
        "error": texts(article, ".error"),
    }


@pytest.mark.parametrize("vendor", VENDORS)
def test_the_demo_sample_looks_the_same_on_every_vendor(
    alice, alice_client, bob_client, bob_keys, fake, vendor
):
    key, sample, ids = VENDORS[vendor]
    credentials.save_secret(alice, vendor, key)

    on_apiframe = look_up(bob_client, SAMPLE)
    on_vendor = look_up(alice_client, sample)

    assert Lookup.objects.get(owner=alice).api.startswith(vendor.replace("_", "-"))
    assert card_ids(on_vendor) == ids
    expected = [shown_as(article) for article in cards(on_apiframe)]
    shown = [shown_as(article) for article in cards(on_vendor)]
    assert shown == expected
    assert tiles(on_vendor) == tiles(on_apiframe)
    # Equal, and not because both are empty: the first is a finished grid and its 4 images.
    assert shown[0]["badge"] == "✓ finished" and len(shown[0]["images"]) == 5
