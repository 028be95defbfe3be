"""Settings for the test suite: fixed throwaway keys, then the real settings module."""

import os
import tempfile
from pathlib import Path

# Test-only values, set before mjadmin.settings reads the environment (and .env, which
# cannot override them). They protect nothing.
os.environ["MJADMIN_IGNORE_DOTENV"] = "1"
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "uB9jWnZ1bXk6cH2p9Y5c1pQx8dWvC3nR0sT7aLmE4kI=")
os.environ.setdefault("UPSTREAM_TIMEOUT", "2")

from mjadmin.settings import *  # noqa: F403

# Hashing passwords slowly is the point in production and a waste in tests.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if not os.environ.get("CACHE_URL"):
    # A shared cache (CACHE_URL=redis://…) is tested when given; otherwise per-process memory.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Serve static files straight from the source tree, as collectstatic would have them.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not SQLite's shared in-memory database: there a writer that meets another gets
    # "table is locked" at once instead of waiting its turn, as it does in production. Lookups
    # fill in from a thread of their own while the page polls, so tests must see the real thing.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"mjadmin-test-{os.getpid()}.sqlite3")
    }
