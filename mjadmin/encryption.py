"""Encrypting per-user secrets at rest with FIELD_ENCRYPTION_KEYS (never SECRET_KEY)."""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class UndecryptableSecret(Exception):
    """No configured key decrypts the stored value: the user must enter it again."""


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def _current() -> MultiFernet:
    # Keyed on the tuple so tests that override the setting get a matching MultiFernet.
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return _current().encrypt(plaintext.encode()).decode("ascii")


def decrypt(ciphertext: str) -> str:
    try:
        return _current().decrypt(ciphertext.encode("ascii")).decode()
    except (InvalidToken, UnicodeError, ValueError) as exc:
        raise UndecryptableSecret from exc


def reencrypt(ciphertext: str) -> str:
    """Re-encrypt under the newest key, so older keys can be retired."""
    try:
        return _current().rotate(ciphertext.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeError, ValueError) as exc:
        raise UndecryptableSecret from exc


def mask_tail(secret: str, visible: int = 4) -> str:
    """Only the last characters, and only when enough stays hidden."""
    if len(secret) <= visible * 2:
        return "•" * 4
    return "•" * 4 + secret[-visible:]
