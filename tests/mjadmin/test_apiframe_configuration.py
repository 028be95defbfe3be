"""Apiframe's settings: v1's auth scheme and v2's base URL are read at start-up, and a malformed
one stops it with a message that names the variable and says what it takes."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.mjadmin.test_configuration import GOOD, ROOT, start

SHOW = (
    "from django.conf import settings as s; print(s.APIFRAME_AUTH_SCHEME, s.APIFRAME_V2_BASE_URL)"
)


def settings_shown(tmp_path: Path, **overrides: str) -> str:
    """The two settings as the app reads them from this environment (and no .env)."""
    env = {k: v for k, v in os.environ.items() if k not in GOOD and not k.startswith("APIFRAME")}
    env.update(GOOD, MJADMIN_IGNORE_DOTENV="1", DJANGO_SETTINGS_MODULE="mjadmin.settings")
    env.update(overrides, PYTHONPATH=str(ROOT))
    result = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", SHOW],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize("value", ["basic", "Bearer", "raw,bearer", "token"])
def test_an_unknown_auth_scheme_stops_start_up_saying_which_ones_there_are(tmp_path, value):
    result = start(tmp_path, APIFRAME_AUTH_SCHEME=value)
    assert result.returncode != 0
    last = result.stderr.splitlines()[-1]
    assert last.endswith("APIFRAME_AUTH_SCHEME is malformed: expected one of raw, bearer.")


def test_a_v2_base_url_that_is_no_url_stops_start_up(tmp_path):
    result = start(tmp_path, APIFRAME_V2_BASE_URL="api.apiframe.ai")
    assert result.returncode != 0
    assert "APIFRAME_V2_BASE_URL is malformed" in result.stderr.splitlines()[-1]


def test_the_defaults_are_the_raw_key_and_apiframes_v2_address(tmp_path):
    assert settings_shown(tmp_path) == "raw https://api.apiframe.ai"


def test_bearer_and_a_v2_address_are_taken(tmp_path):
    shown = settings_shown(
        tmp_path,
        APIFRAME_AUTH_SCHEME="bearer",
        APIFRAME_V2_BASE_URL="http://127.0.0.1:8765/apiframe-v2/",
    )
    assert shown == "bearer http://127.0.0.1:8765/apiframe-v2"
