"""Masking secrets in text that came from a vendor, before it is stored or shown.

A vendor may echo the key it was sent (in an error message, say) or someone else's. The key of
the request is masked wherever it appears; anything else shaped like a key (a long run of letters
and digits that is not a task id) is masked too, since lookups and their errors are shared with
the whole team.
"""

import base64
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from mjadmin.encryption import mask_tail

_UUID = re.compile(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")
# A time as vendors write one ("2026-11-30T09:00:00.000Z"): letters and digits, never a key.
_MOMENT = re.compile(r"\d{4}-\d\d-\d\d[T ]?[0-9:.]*Z?")
# Keys and tokens: useapi's "user:1234-…", Apiframe's, Discord's "MTE….Gh7x2K.…": 20 or more
# characters of the alphabets they use.
_KEYISH = re.compile(r"[A-Za-z0-9_\-:.]{20,}")


def _mask_keyish(match: re.Match[str]) -> str:
    piece = match.group(0)
    if _UUID.fullmatch(piece) or _MOMENT.fullmatch(piece) or not any(ch.isalpha() for ch in piece):
        return piece  # task ids, long numbers (older task ids, channels) are not secrets
    parts = _PARTS.split(piece)
    if not any(ch.isdigit() for ch in piece):
        # A long word (or a dotted name) is prose, not a key; a long run of letters in both
        # cases is no word ("sk-ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef").
        return mask_tail(piece) if any(_random_letters(part) for part in parts) else piece
    if not any(_mixed(part) for part in parts):
        # Words and numbers joined ("job:2026…-user:791-channel:1170…"): an id, not a key,
        # whose every random run mixes letters and digits.
        return piece
    return mask_tail(piece)


_PARTS = re.compile(r"[-_:.]")


def _mixed(part: str) -> bool:
    return any(ch.isdigit() for ch in part) and any(ch.isalpha() for ch in part)


def _random_letters(part: str) -> bool:
    # Words have at most a capital at the start (or are all capitals); 24 letters that switch
    # case inside are generated.
    return len(part) >= 24 and any(ch.isupper() for ch in part[1:]) and not part.isupper()


def spellings(secret: str) -> set[str]:
    """The ways a vendor may echo a secret back: as sent, URL-encoded, and base64 (standard and
    URL-safe, with or without padding). Case is handled by the match itself (mask_secrets)."""
    raw = secret.encode()
    encoded = {base64.b64encode(raw).decode(), base64.urlsafe_b64encode(raw).decode()}
    return {secret, quote(secret, safe=""), *encoded, *(e.rstrip("=") for e in encoded)}


def _pattern(secrets: Iterable[str]) -> re.Pattern[str] | None:
    wanted = {s for secret in secrets if len(secret) >= 8 for s in spellings(secret)}
    if not wanted:
        return None
    # Longest first, so a base64 copy is masked whole rather than around a shorter spelling;
    # only where it stands whole, so a short token ("12345678") never rewrites the digits of a
    # task id or a word of an image's address that happen to hold it.
    ordered = "|".join(re.escape(s) for s in sorted(wanted, key=len, reverse=True))
    return re.compile(f"(?<![A-Za-z0-9])(?:{ordered})(?![A-Za-z0-9])", re.IGNORECASE)


def _mask_match(match: re.Match[str]) -> str:
    return mask_tail(match.group(0))


def mask_secrets(text: str, secrets: Iterable[str]) -> str:
    """Each of these secrets (8 characters or more) masked to its tail wherever it appears, in
    any of its spellings and any case."""
    pattern = _pattern(secrets)
    return text if pattern is None else pattern.sub(_mask_match, text)


_URL = re.compile(r"https?://\S+\Z", re.IGNORECASE)


def _mask_text(text: str, pattern: re.Pattern[str] | None, key_shaped: bool) -> str:
    if pattern is not None:
        text = pattern.sub(_mask_match, text)
    # A link is left whole: image URLs carry long signatures and ids that are not secrets, and
    # the request's own key was masked in it above.
    if key_shaped and not _URL.match(text):
        text = _KEYISH.sub(_mask_keyish, text)
    return text


def mask_answer(payload: Any, secrets: Iterable[str], *, key_shaped: bool = True) -> Any:
    """A vendor's parsed JSON with every string (keys of objects too) masked: the secrets in
    any spelling and, with `key_shaped`, anything shaped like a key. Recursive: the payload is
    at most upstream.MAX_JSON_DEPTH deep."""
    pattern = _pattern(secrets)

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return _mask_text(value, pattern, key_shaped)
        if isinstance(value, list):
            return [walk(item) for item in value]
        if isinstance(value, dict):
            return {_mask_text(k, pattern, key_shaped): walk(v) for k, v in value.items()}
        return value

    return walk(payload)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    return _KEYISH.sub(_mask_keyish, mask_secrets(text, secrets))
