from tasks.ids import find_ids

A = "29e983ca-7e86-4017-a9e3-ef6fe9cd5f2a"
B = "71cfa6bd-f0d2-4f0c-b11d-56f256fc55a4"
C = "8274fd0f-259b-42e3-af07-4ac6d4ab7c6e"


def test_ids_separated_by_newlines_spaces_and_commas():
    assert find_ids(f"{A}\n{B} {C}").ids == [A, B, C]
    assert find_ids(f"{A},{B}, {C};").ids == [A, B, C]


def test_ids_inside_json_log_lines_and_urls():
    text = f"""
    {{"task_ids": ["{A}", "{B}"]}}
    2026-11-22 09:30:15 INFO task {C} finished in 42s
    https://app.apiframe.pro/tasks/{A}?tab=images
    """
    found = find_ids(text)
    assert found.ids == [A, B, C]
    assert found.duplicates == [A]
    assert "task_ids" in found.not_ids
    assert "INFO" in found.not_ids
    assert "2026-11-22" in found.not_ids  # a date is not an id


def test_duplicates_are_dropped_keeping_first_seen_order():
    found = find_ids(f"{B}\n{A}\n{B}\n{A.upper()}\n{C}")
    assert found.ids == [B, A, C]
    assert found.duplicates == [B, A]


def test_older_numeric_ids_are_found_but_short_numbers_are_not():
    found = find_ids('1234567890123 42 100 2026 percentage:100 "98765432101",')
    assert found.ids == ["1234567890123", "98765432101"]
    assert "42" in found.not_ids


def test_long_numbers_inside_other_text_are_not_ids():
    found = find_ids("ts=1732262415123 job:1-channel:1170809721663422494")
    assert found.ids == []


def test_token_like_pieces_are_masked_when_shown_back():
    found = find_ids("Authorization: af_live_3c9f1e2d7b6a5c4d 29e983ca-7e86 https://x.test/a")
    assert found.not_ids == ["Authorization", "af_…4d", "29e983ca-7e86", "https://x.test/a"]


def test_pieces_that_are_not_ids_are_reported_once_each():
    found = find_ids(f"hello {A} hello 29e983ca-7e86 world")
    assert found.ids == [A]
    assert found.not_ids == ["hello", "29e983ca-7e86", "world"]


def test_an_id_glued_to_other_letters_is_not_an_id():
    found = find_ids(f"x{A} {A}0")
    assert found.ids == []


def test_nothing_in_empty_text():
    found = find_ids("   \n ,, ")
    assert found.ids == [] and found.not_ids == []


def test_control_characters_in_pasted_noise_are_dropped():
    found = find_ids("29e983ca-7e86-4017-a9e3-ef6fe9cd5f2a \x1b[31mred\x1b[0m nul\x00here")
    assert found.ids == ["29e983ca-7e86-4017-a9e3-ef6fe9cd5f2a"]
    assert found.not_ids == ["[31mred[0m", "nulhere"]
