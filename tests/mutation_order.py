"""A pytest plugin for mutation runs only (`-p tests.mutation_order`, set in pyproject.toml's
[tool.mutmut]): with a mutant active, its likeliest killers run first.

mutmut runs each mutant against the tests that reach the mutated function and stops at the first
failure, so the order decides how long a killed mutant takes. The tests of the mutated module
(`tests/tasks/test_storage*.py` for tasks/storage.py) go first, then the rest of its app's,
then the others; within each, the quickest first, by the durations mutmut measured. As in
Django's own order, tests that flush the database still run after all the others.
"""

import json
import os
import re
from pathlib import Path

import pytest
from pytest_django.plugin import validate_django_db

_MUTANT = re.compile(r"^(?P<module>[\w.]+?)\.x[_ǁ]")


def _flushes_the_database(item: pytest.Item) -> bool:
    # Django runs these last: they empty the database (data migrations' rows included) after
    # themselves, which tests that roll back their own changes must not find.
    fixtures = getattr(item, "fixturenames", ())
    if "transactional_db" in fixtures or "live_server" in fixtures:
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    transaction, reset_sequences, *_ = validate_django_db(marker)
    return bool(transaction or reset_sequences)


def _durations() -> dict[str, float]:
    stats = Path("mutmut-stats.json")  # mutmut runs the tests from inside mutants/
    if not stats.exists():
        return {}
    return dict(json.loads(stats.read_text()).get("duration_by_test", {}))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    found = _MUTANT.match(os.environ.get("MUTANT_UNDER_TEST", ""))
    if found is None:
        return  # the stats, clean and forced-fail runs keep the usual order
    *package, name = found["module"].split(".")
    app = "tests/" + "/".join(package) + "/"
    durations = _durations()

    def closeness(item: pytest.Item) -> int:
        path = item.nodeid.split("::", 1)[0]
        if path.startswith(app) and name in Path(path).stem:
            return 0
        return 1 if path.startswith(app) else 2

    items.sort(
        key=lambda item: (
            _flushes_the_database(item),
            closeness(item),
            durations.get(item.nodeid, 0.0),
        )
    )
