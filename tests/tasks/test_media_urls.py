"""Image links from a task are shown only when they are one clean https URL."""

from mjadmin.vendors.apiframe.tasks import parse_task


def test_an_image_url_with_white_space_or_a_control_character_is_not_shown():
    task = parse_task(
        {
            "task_id": "t",
            "status": "finished",
            "image_urls": [
                "https://cdn.example/ok.png",
                "https://cdn.example/a b.png",
                "https://cdn.example/a\u00a0b.png",  # a no-break space
                "https://cdn.example/a\u2028b.png",  # a line separator
                "https://cdn.example/a\x07b.png",  # a terminal bell
            ],
        }
    )
    assert [thumb.url for thumb in task.thumbnails] == ["https://cdn.example/ok.png"]
    assert task.unsafe_urls == 4
