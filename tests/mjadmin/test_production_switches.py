"""The production switches: HTTPS_ONLY turns every HTTPS setting on, each one can be set on its
own, and Django's deployment checklist then passes with not even a warning."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KEYS = {
    "SECRET_KEY": "a-long-random-value-for-the-deploy-check-0123456789abcdefghijklmnop",
    "FIELD_ENCRYPTION_KEYS": "uB9jWnZ1bXk6cH2p9Y5c1pQx8dWvC3nR0sT7aLmE4kI=",
    "MJADMIN_IGNORE_DOTENV": "1",
    "ALLOWED_HOSTS": "mjadmin.example.com",
}
SETTINGS = [
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in KEYS and not k.startswith("SECURE")}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    clean.pop("HTTPS_ONLY", None)
    # Set by the browser tests for Playwright; Django's checks rightly refuse it in production.
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **KEYS, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def effective(**env: str) -> dict[str, str]:
    code = "from django.conf import settings as s; " + "; ".join(
        f"print({name!r}, repr(s.{name}))" for name in SETTINGS
    )
    result = manage("shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return dict(line.split(" ", 1) for line in result.stdout.splitlines() if line.strip())


def test_https_only_passes_the_deploy_checklist_without_a_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING", HTTPS_ONLY="true")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_without_it_the_checklist_names_what_is_missing():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    # No W016 (CSRF cookie): the CSRF token lives in the session, there is no CSRF cookie.
    for warning in ("W004", "W008", "W012"):
        assert warning in result.stderr


def test_https_only_turns_each_https_setting_on_but_trusts_no_proxy_header():
    assert effective(HTTPS_ONLY="true") == {
        "SECURE_SSL_REDIRECT": "True",
        "SESSION_COOKIE_SECURE": "True",
        "CSRF_COOKIE_SECURE": "True",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "True",
        "SECURE_HSTS_PRELOAD": "True",
        "SECURE_PROXY_SSL_HEADER": "None",
    }


@pytest.mark.parametrize(
    ("env", "name", "value"),
    [
        ({"HTTPS_ONLY": "true", "SECURE_SSL_REDIRECT": "false"}, "SECURE_SSL_REDIRECT", "False"),
        ({"SESSION_COOKIE_SECURE": "true"}, "SESSION_COOKIE_SECURE", "True"),
        ({"SECURE_HSTS_SECONDS": "3600"}, "SECURE_HSTS_SECONDS", "3600"),
        (
            {"SECURE_PROXY_SSL_HEADER": "true"},
            "SECURE_PROXY_SSL_HEADER",
            "('HTTP_X_FORWARDED_PROTO', 'https')",
        ),
    ],
)
def test_each_switch_can_be_set_on_its_own(env, name, value):
    assert effective(**env)[name] == value


def test_the_health_check_answers_plain_http_even_with_https_only(db, settings):
    from django.test import Client

    settings.SECURE_SSL_REDIRECT = True
    assert Client().get("/healthz").status_code == 200
    assert Client().get("/login/").status_code == 301
