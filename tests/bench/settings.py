"""Settings for `make bench`'s app server (tests/bench/pages.py): the real settings, plus one page
that only the benchmark mounts (tests/bench/urls.py), with static files collected into the run's
own folder.

Everything else (database cache, password hashing, middleware) is what `make run` serves; the
benchmark sets the environment (keys, DATABASE_URL, vendor URLs) before this is read.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from mjadmin.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"

# The run's own folder, so a benchmark never rewrites var/static under a running `make run`.
if not os.environ.get("MJADMIN_BENCH_STATIC_ROOT"):
    raise ImproperlyConfigured("MJADMIN_BENCH_STATIC_ROOT is not set: run this through make bench.")
STATIC_ROOT = Path(os.environ["MJADMIN_BENCH_STATIC_ROOT"])
