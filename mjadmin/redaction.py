"""Masking secrets in text that came from a vendor, before it is stored or shown.

A vendor may echo the key it was sent (in an error message, say) or someone else's. The key of
the request is masked wherever it appears; anything else shaped like a key (a long run of letters
and digits that is not a task id) is masked too, since lookups and their errors are shared with
the whole team.
"""

import re
from collections.abc import Iterable

from mjadmin.encryption import mask_tail

_UUID = re.compile(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")
# Keys and tokens: useapi's "user:1234-…", Apiframe's, Discord's "MTE….Gh7x2K.…": 20 or more
# characters of the alphabets they use.
_KEYISH = re.compile(r"[A-Za-z0-9_\-:.]{20,}")


def _mask_keyish(match: re.Match[str]) -> str:
    piece = match.group(0)
    if _UUID.fullmatch(piece) or not any(ch.isalpha() for ch in piece):
        return piece  # task ids, long numbers (older task ids, channels) are not secrets
    if not any(ch.isdigit() for ch in piece):
        return piece  # a long word (or a dotted name) is prose, not a key
    return mask_tail(piece)


def mask_secrets(text: str, secrets: Iterable[str]) -> str:
    """Each of these secrets (8 characters or more) masked to its tail wherever it appears."""
    for secret in secrets:
        if len(secret) >= 8:
            text = text.replace(secret, mask_tail(secret))
    return text


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    return _KEYISH.sub(_mask_keyish, mask_secrets(text, secrets))
