"""Start-up refuses missing or malformed configuration and names the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "SECRET_KEY": "x" * 50,
    "FIELD_ENCRYPTION_KEYS": "uB9jWnZ1bXk6cH2p9Y5c1pQx8dWvC3nR0sT7aLmE4kI=",
}


def start(tmp_path: Path, **overrides: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in GOOD and k != "DJANGO_SETTINGS_MODULE"}
    env.update(GOOD)
    env.update(overrides)
    # Run from an empty directory: the settings read the project's own .env by absolute path,
    # but real environment variables (set here) win over it.
    env["DJANGO_SETTINGS_MODULE"] = "mjadmin.settings"
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("FIELD_ENCRYPTION_KEYS", "not-a-fernet-key"),
        ("FIELD_ENCRYPTION_KEYS", ""),
        ("UPSTREAM_TIMEOUT", "soon"),
        ("UPSTREAM_TIMEOUT", "-1"),
        ("DEBUG", "maybe"),
        ("USEAPI_BASE_URL", "ftp://example.com"),
        ("APIFRAME_BASE_URL", "api.apiframe.pro"),
        ("DATABASE_URL", "nosuchdb://x"),
        ("CACHE_URL", "nosuchcache://x"),
        ("ACCOUNTS_CACHE_SECONDS", "half a minute"),
        ("TASKS_MAX_IDS", "0"),
        ("SECRET_KEY", ""),
        ("SECRET_KEY", "change-me-to-a-long-random-string"),
    ],
)
def test_a_malformed_value_stops_start_up_naming_the_variable(tmp_path, name, value):
    result = start(tmp_path, **{name: value})
    assert result.returncode != 0
    assert name in result.stderr.splitlines()[-1]


def test_a_missing_encryption_key_names_it_and_says_how_to_make_one(tmp_path):
    result = start(tmp_path, FIELD_ENCRYPTION_KEYS="")
    assert "FIELD_ENCRYPTION_KEYS is not set" in result.stderr
    assert "Fernet.generate_key()" in result.stderr


def test_values_can_come_from_files(tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text("from-a-file-" + "y" * 40 + "\n")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            "print(settings.SECRET_KEY)",
        ],
        cwd=tmp_path,
        env={
            **{k: v for k, v in os.environ.items() if k not in GOOD},
            "FIELD_ENCRYPTION_KEYS": GOOD["FIELD_ENCRYPTION_KEYS"],
            "SECRET_KEY_FILE": str(secret_file),
            "DJANGO_SETTINGS_MODULE": "mjadmin.settings",
            "PYTHONPATH": str(ROOT),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "from-a-file-" + "y" * 40


def test_good_values_start(tmp_path):
    result = start(tmp_path)
    assert result.returncode == 0, result.stderr
