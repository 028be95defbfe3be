"""Runs a dev tool's command against the real settings, outside the product's packages:
`python -m tests.tool seed_demo` (tests/fakes/seed_demo.py, `make demo`'s teammates) and
`python -m tests.tool seed_volume --lookups N …` (tests/bench/seed_volume.py, a year of data)."""

import importlib
import os
import sys

import django

TOOLS = {"seed_demo": "tests.fakes.seed_demo", "seed_volume": "tests.bench.seed_volume"}


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in TOOLS:
        sys.exit(f"usage: python -m tests.tool {{{','.join(TOOLS)}}} [options]")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mjadmin.settings")
    django.setup()
    command = importlib.import_module(TOOLS[argv[0]]).Command()
    command.run_from_argv(["python -m tests.tool", *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
