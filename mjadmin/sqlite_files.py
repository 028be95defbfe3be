"""The SQLite database holds every teammate's encrypted keys and sessions: its file and folder
are readable by the app's own user only, however they were created."""

import os
import stat
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.dispatch import receiver

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def make_private(path: Path, mode: int) -> None:
    if path.exists() and stat.S_IMODE(path.stat().st_mode) & 0o077:
        os.chmod(path, mode)


@receiver(connection_created)
def _private_sqlite_file(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict["NAME"])
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    database = Path(name)
    make_private(database, PRIVATE_FILE)
    # The folder too (journals are written beside the file), but only the project's own var/:
    # a DATABASE_URL elsewhere names a folder this app does not own.
    if database.parent.resolve() == Path(settings.VAR_DIR).resolve():
        make_private(database.parent, PRIVATE_DIR)
