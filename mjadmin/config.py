"""Reading configuration from the environment, failing loudly and by name."""

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import environ
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

# FileAwareEnv also reads NAME_FILE, so secrets can come from mounted files.
env = environ.FileAwareEnv()


def read_dotenv(path: Path) -> None:
    # Real environment variables win over the file (read_env uses setdefault). The test suite
    # turns the file off so a developer's own .env cannot change what the tests see.
    if path.is_file() and not os.environ.get("MJADMIN_IGNORE_DOTENV"):
        environ.Env.read_env(path)


def _parsed(name: str, default: Any, parse: Callable[[str], Any], expected: str) -> Any:
    raw = env.str(name, default=None)
    if raw is None or raw.strip() == "":
        if default is environ.Env.NOTSET:
            raise ImproperlyConfigured(f"{name} is not set: {expected}. See .env.example.")
        return default
    try:
        return parse(raw.strip())
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"{name} is malformed: {expected}.") from exc


def required_str(name: str) -> str:
    def parse(raw: str) -> str:
        if raw.startswith("change-me"):
            raise ValueError("the placeholder from .env.example")
        return raw

    return _parsed(name, environ.Env.NOTSET, parse, "expected a long random value of your own")


def is_set(name: str) -> bool:
    return bool((env.str(name, default=None) or "").strip())


def string(name: str, default: str) -> str:
    return _parsed(name, default, str, "expected text")


def boolean(name: str, default: bool) -> bool:
    def parse(raw: str) -> bool:
        lowered = raw.lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off"}:
            return False
        raise ValueError(raw)

    return _parsed(name, default, parse, "expected true or false")


def positive_float(name: str, default: float) -> float:
    def parse(raw: str) -> float:
        value = float(raw)
        if not value > 0:
            raise ValueError(raw)
        return value

    return _parsed(name, default, parse, "expected a positive number of seconds")


def positive_int(name: str, default: int) -> int:
    def parse(raw: str) -> int:
        value = int(raw)
        if value <= 0:
            raise ValueError(raw)
        return value

    return _parsed(name, default, parse, "expected a positive whole number")


def non_negative_int(name: str, default: int) -> int:
    def parse(raw: str) -> int:
        value = int(raw)
        if value < 0:
            raise ValueError(raw)
        return value

    return _parsed(name, default, parse, "expected a whole number, 0 or more")


def choice(name: str, choices: tuple[str, ...], default: str) -> str:
    """One of a few words, case as given; anything else stops start-up naming the choices."""

    def parse(raw: str) -> str:
        if raw not in choices:
            raise ValueError("not one of the choices")
        return raw

    return _parsed(name, default, parse, "expected one of " + ", ".join(choices))


def string_list(name: str, default: list[str]) -> list[str]:
    return _parsed(
        name,
        default,
        lambda raw: [item.strip() for item in raw.split(",") if item.strip()],
        "expected a comma-separated list",
    )


def http_url(name: str, default: str) -> str:
    def parse(raw: str) -> str:
        if not raw.startswith(("https://", "http://")) or len(raw) < 10:
            # Not the value: a webhook's URL is its key, and the traceback would print it.
            raise ValueError("not an http(s):// URL")
        return raw.rstrip("/")

    return _parsed(name, default, parse, "expected an http(s):// URL")


def fernet_keys(name: str) -> list[str]:
    def parse(raw: str) -> list[str]:
        keys = [key.strip() for key in raw.split(",") if key.strip()]
        if not keys:
            raise ValueError("empty")
        for key in keys:
            Fernet(key)  # raises ValueError on anything but a 32-byte urlsafe-base64 key
        return keys

    return _parsed(
        name,
        environ.Env.NOTSET,
        parse,
        "expected comma-separated Fernet keys, newest first "
        '(make one with: python -c "from cryptography.fernet import Fernet; '
        'print(Fernet.generate_key().decode())")',
    )


def database(name: str, default: str) -> dict[str, Any]:
    url = _parsed(name, default, str, "expected a database URL")
    return _parsed_url(name, url, env.db_url_config, "expected a database URL")


def cache(name: str, default: str) -> dict[str, Any]:
    url = _parsed(name, default, str, "expected a cache URL")
    return _parsed_url(name, url, env.cache_url_config, "expected a cache URL")


def email(name: str, default: str) -> dict[str, Any]:
    url = _parsed(name, default, str, "expected an email URL such as smtp+tls://user:pass@host:587")
    return _parsed_url(name, url, env.email_url_config, "expected an email URL")


def _parsed_url(name: str, url: str, parse: Callable[[str], Any], expected: str) -> Any:
    try:
        parsed = parse(url)
    except (ValueError, KeyError, ImproperlyConfigured) as exc:
        raise ImproperlyConfigured(f"{name} is malformed: {expected}.") from exc
    # django-environ passes an unknown scheme through as a bogus engine name.
    engine = parsed.get("ENGINE") or parsed.get("BACKEND") or parsed.get("EMAIL_BACKEND") or ""
    if "." not in engine:
        raise ImproperlyConfigured(f"{name} is malformed: {expected}.")
    return parsed
