"""The masking every vendor answer passes (mjadmin/redaction.py): a secret in any spelling where
it stands whole, key-shaped runs, and nothing else of the data a page needs."""

from mjadmin.redaction import mask_answer


def test_a_short_token_never_rewrites_the_digits_of_an_id_it_happens_to_be_in():
    answer = {
        "id": "1732123456780123",
        "imageUrl": "https://cdn.midjourney.com/a/grid.png",
        "said": "bad token 12345678 and midjourney",
    }
    masked = mask_answer(answer, ("12345678",))
    assert masked["id"] == "1732123456780123"
    assert masked["imageUrl"] == "https://cdn.midjourney.com/a/grid.png"
    assert masked["said"] == "bad token •••• and midjourney"  # too short to show a tail


def test_letters_only_keys_in_both_cases_are_masked_and_words_are_not():
    masked = mask_answer(
        {"said": "sk-ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef rejected; antidisestablishmentarianism"}, ()
    )
    assert masked["said"] == "••••cdef rejected; antidisestablishmentarianism"


def test_ids_dates_and_job_names_are_left_whole():
    answer = [
        "29e983ca-7e86-4017-a9e3-ef6fe9cd5f2a",
        "2026-11-30T09:00:00.000Z",
        "job:20261122093015123-user:1234-channel:1170809721663422494",
    ]
    assert mask_answer(answer, ()) == answer
