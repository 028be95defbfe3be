"""The SQLite database holds every teammate's keys: only the app's own user may read it."""

import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_database_created_by_migrate_is_readable_by_the_owner_only(tmp_path):
    database = tmp_path / "team.sqlite3"
    env = {
        **os.environ,
        "MJADMIN_IGNORE_DOTENV": "1",
        "SECRET_KEY": "x" * 50,
        "FIELD_ENCRYPTION_KEYS": "uB9jWnZ1bXk6cH2p9Y5c1pQx8dWvC3nR0sT7aLmE4kI=",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests for Playwright
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert mode(database) == 0o600


def test_an_existing_world_readable_database_is_made_private(tmp_path, settings):
    from django.db.backends.signals import connection_created

    database = tmp_path / "var" / "db.sqlite3"
    database.parent.mkdir(mode=0o755)
    database.write_bytes(b"")
    database.chmod(0o644)
    settings.VAR_DIR = database.parent

    class Connection:
        vendor = "sqlite"
        settings_dict = {"NAME": str(database)}

    connection_created.send(sender=None, connection=Connection())
    assert mode(database) == 0o600
    assert mode(database.parent) == 0o700
