"""How much of a secret is ever shown: its last four characters, and only when at least as many
stay hidden."""

import pytest

from mjadmin.encryption import mask_tail


@pytest.mark.parametrize(
    ("secret", "shown"),
    [
        ("", "••••"),
        ("abc", "••••"),
        ("abcdef", "••••"),
        ("abcdefgh", "••••"),  # 8: showing four would show half of it
        ("abcdefghi", "••••fghi"),
        ("abcdefghijkl", "••••ijkl"),
    ],
)
def test_only_the_last_four_characters_of_a_long_enough_secret_are_shown(secret, shown):
    assert mask_tail(secret) == shown
