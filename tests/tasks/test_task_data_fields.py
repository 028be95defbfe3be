"""Each field of an Apiframe task where the card shows it (not merely somewhere in the raw JSON
beneath), and how many of the links a vendor offered were held back as unsafe."""

import pytest

from mjadmin.vendors.apiframe.tasks import parse_task
from tests.fakes.fake_vendors import SEEDED_TASK_IDS
from tests.html import all_of, one, text
from tests.tasks.pages import card, look_up

IMAGINE_ID = "29e983ca-7e86-4017-a9e3-ef6fe9cd5f2a"  # finished: a grid, four images, an sref
UPSCALE_ID = "a6b9e014-3c72-4d5f-9e81-0b4c6d2f7a39"
SEED_ID = "1d4a7e92-b6c3-4f05-8d17-9e3b2c6a0f58"
DESCRIBE_ID = "6e3f9b17-2a84-4d6c-b0e5-8f1c7a4d2b93"
VIDEO_ID = "b8d25c6f-4e91-4a3b-9c07-d5e2f8a16b40"  # two videos in video_urls
LUMA_ID = "f0a74d38-c95b-4e26-a1f8-3b6d9e0c57a2"  # one video in video_url


@pytest.fixture
def cards_page(alice_client, alice_keys, fake):
    return look_up(alice_client, "\n".join(SEEDED_TASK_IDS))


def meta(page, task_id: str) -> dict[str, str]:
    shown = all_of(card(page, task_id), "dl.task-meta")
    if not shown:
        return {}
    names = [text(dt) for dt in all_of(shown[0], "dt")]
    return dict(zip(names, [text(dd) for dd in all_of(shown[0], "dd")], strict=True))


def alts(page, task_id: str) -> list[str]:
    return [img["alt"] for img in all_of(card(page, task_id), ".thumbs img")]


def test_a_seed_task_shows_its_seed(cards_page):
    assert meta(cards_page, SEED_ID) == {"Seed": "3620198521"}


def test_a_finished_imagine_shows_its_sref(cards_page):
    assert meta(cards_page, IMAGINE_ID) == {"sref": "2961418376"}


def test_a_describe_task_shows_the_prompts_it_wrote(cards_page):
    shown = text(one(card(cards_page, DESCRIBE_ID), ".prompt"))
    assert shown.startswith("Prompt: 1️⃣ a lighthouse at dusk on a basalt cliff")
    assert all_of(card(cards_page, DESCRIBE_ID), ".mod-message") == []  # not shown as an alert


def test_the_grid_comes_first_then_the_numbered_images(cards_page):
    assert alts(cards_page, IMAGINE_ID) == [
        f"Grid image of task {IMAGINE_ID}",
        *(f"Image {n} of task {IMAGINE_ID}" for n in range(1, 5)),
    ]


def test_an_upscale_shows_its_one_image(cards_page):
    (image,) = all_of(card(cards_page, UPSCALE_ID), ".thumbs img")
    assert image["alt"] == f"Upscaled image of task {UPSCALE_ID}"
    assert image["src"] == f"https://cdn.apiframe-fake.example/images/{UPSCALE_ID}/1.png"


@pytest.mark.parametrize(("task_id", "count"), [(VIDEO_ID, 2), (LUMA_ID, 1)])
def test_videos_are_linked_whether_sent_as_a_list_or_as_one(cards_page, task_id, count):
    links = all_of(card(cards_page, task_id), "a[href$='.mp4']")
    assert [text(a) for a in links] == [f"video {n}" for n in range(1, count + 1)]


def test_no_card_of_safe_links_claims_any_was_held_back(cards_page):
    assert all_of(cards_page, "#live-results article.task p.help") == []


def test_content_falls_back_to_the_prompt():
    assert parse_task({"task_id": "t", "prompt": "a cat"}).content == "a cat"
    assert parse_task({"task_id": "t", "content": "a dog", "prompt": "a cat"}).content == "a dog"


@pytest.mark.parametrize(
    ("offered", "held_back"),
    [
        (
            {
                "original_image_url": "https://a.example/g.png",
                "image_url": "https://a.example/u.png",
            },
            0,
        ),
        (
            {
                "original_image_url": "http://a.example/g.png",
                "image_url": "https://a.example/u.png",
            },
            1,
        ),
        (
            {
                "original_image_url": "https://a.example/g.png",
                "image_url": "http://a.example/u.png",
            },
            1,
        ),
        ({"video_urls": ["http://a.example/1.mp4", "https://a.example/2.mp4"]}, 1),
        ({"video_url": "http://a.example/1.mp4"}, 1),
        ({"image_urls": None, "video_urls": None}, 0),
        ({}, 0),
    ],
)
def test_links_held_back_are_the_offered_ones_not_shown(offered, held_back):
    assert parse_task({"task_id": "t", **offered}).unsafe_urls == held_back


def test_an_extra_origin_allowed_for_the_demo_is_shown(settings):
    settings.MEDIA_EXTRA_ORIGINS = ["http://127.0.0.1:8765"]
    task = parse_task(
        {
            "task_id": "t",
            "image_url": "http://127.0.0.1:8765/images/t/1.png",
            "original_image_url": "http://127.0.0.1:9999/images/t/grid.png",
        }
    )
    assert task.image_url == "http://127.0.0.1:8765/images/t/1.png"
    assert task.grid_url is None
    assert task.unsafe_urls == 1


@pytest.mark.parametrize(
    ("given", "shown"),
    [("0", 0), (0, 0), (-5, 0), ("100", 100), (150, 100), ("40%", 40), ("40X", None)],
)
def test_percentage_stays_between_0_and_100(given, shown):
    assert parse_task({"task_id": "t", "percentage": given}).percentage == shown
