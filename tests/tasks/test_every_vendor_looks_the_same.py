"""A teammate on any vendor pastes the demo's sample and sees the same gallery, card for card: the
same tasks in the same order, with the same badges, images, videos and failures, as a teammate
on Apiframe's original API."""

import pytest

from mjadmin.keys import credentials
from tasks.models import Lookup
from tests.fakes.fake_legnext import DEMO_LEGNEXT_KEY
from tests.html import all_of, text_of, texts
from tests.tasks.pages import SAMPLE, SAMPLE_IDS, card_ids, cards, look_up, tiles

# Each vendor's key, and its name of the demo's sample (its own ids where they differ).
VENDORS = {
    "legnext": (DEMO_LEGNEXT_KEY, SAMPLE, SAMPLE_IDS),
}


def shown_as(article) -> dict[str, object]:
    """What every vendor's card shows alike: its badge, images, videos and failure."""
    return {
        "badge": text_of(article, ".badge"),
        "images": [(img["src"], img["alt"]) for img in all_of(article, ".thumbs img")],
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
