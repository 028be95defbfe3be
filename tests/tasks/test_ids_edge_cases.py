"""How the pieces of pasted text that held no id are shown back: long ones cut, token-like ones
masked from twelve characters on."""

from tasks.ids import find_ids


def test_a_piece_of_60_characters_is_shown_back_whole():
    piece = "abcdefghij" * 6
    assert find_ids(piece).not_ids == [piece]


def test_a_longer_piece_is_cut_to_57_characters_and_an_ellipsis():
    for piece in ["abcdefghij" * 6 + "k", "abcdefghij" * 7]:
        assert find_ids(piece).not_ids == [piece[:57] + "…"]


def test_a_token_like_piece_of_12_characters_is_masked():
    assert find_ids("token123wxyz").not_ids == ["tok…yz"]


def test_a_token_like_piece_of_11_characters_is_shown_whole():
    assert find_ids("token123xyz").not_ids == ["token123xyz"]
