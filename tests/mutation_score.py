"""The mutation score of the last `make mutation` run, per module and overall.

Reads mutmut's own results (mutants/<module>.meta) for the modules named in pyproject.toml's
[tool.mutmut] only_mutate, prints `module  killed/total  pct` rows and a total line, then the
mutants that were not killed (`mutmut show NAME` prints the change each one makes).

A mutant counts as killed when a test failed (or ran out of time) with it in place. Mutants no
test reaches count as not killed: a line no test covers is the plainest gap there is.

    python -m tests.mutation_score [--fail-under 85]
"""

import argparse
import json
import sys
import tomllib
from pathlib import Path

from mutmut.stats import status_by_exit_code

ROOT = Path(__file__).resolve().parent.parent
KILLED = frozenset({"killed", "timeout", "caught by type check"})


def scoped_modules() -> list[str]:
    """The modules mutmut mutates: only_mutate's files and globs ("mjadmin/vendors/*", every
    module below), less do_not_mutate's."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    left_out = {
        str(path.relative_to(ROOT))
        for pattern in config.get("do_not_mutate", [])
        for path in ROOT.glob(pattern)
    }
    found: list[str] = []
    for pattern in config["only_mutate"]:
        if not pattern.endswith("*"):
            found.append(pattern)
            continue
        matched = sorted(ROOT.glob(pattern.removesuffix("*") + "**/*.py"))
        found += [str(path.relative_to(ROOT)) for path in matched]
    return [module for module in dict.fromkeys(found) if module not in left_out]


def statuses(module: str) -> dict[str, str]:
    """Mutant name -> mutmut's status for it, from the module's results file."""
    meta = ROOT / "mutants" / f"{module}.meta"
    if not (ROOT / "mutants").is_dir():
        sys.exit("No results (mutants/ is missing): run `make mutation` first.")
    if not meta.exists():
        return {}  # a module with nothing to mutate (an __init__, a table of constants)
    exit_codes = json.loads(meta.read_text())["exit_code_by_key"]
    return {name: status_by_exit_code[code] for name, code in exit_codes.items()}


def percent(killed: int, total: int) -> float:
    return 100.0 * killed / total if total else 100.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The mutation score of the last run.")
    parser.add_argument(
        "--fail-under",
        type=float,
        default=0.0,
        help="exit 1 when the overall score, or any module's, is below this percentage",
    )
    args = parser.parse_args(argv)

    modules = scoped_modules()
    width = max(len(m) for m in modules)
    rows: list[tuple[str, int, int]] = []
    not_killed: list[tuple[str, str]] = []
    unchecked = 0
    for module in modules:
        found = statuses(module)
        killed = sum(1 for status in found.values() if status in KILLED)
        rows.append((module, killed, len(found)))
        for name, status in sorted(found.items()):
            if status == "not checked":
                unchecked += 1
            if status not in KILLED:
                not_killed.append((name, status))

    for module, killed, total in rows:
        if not total:
            continue
        print(f"{module:<{width}}  {f'{killed}/{total}':>9}  {percent(killed, total):5.1f}%")
    all_killed = sum(row[1] for row in rows)
    all_total = sum(row[2] for row in rows)
    overall = percent(all_killed, all_total)
    print(f"{'total':<{width}}  {f'{all_killed}/{all_total}':>9}  {overall:5.1f}%")

    if not_killed:
        print(f"\nNot killed ({len(not_killed)}); `mutmut show NAME` prints the change:")
        for name, status in not_killed:
            print(f"  {status:<12} {name}")
    if unchecked:
        print(f"\n{unchecked} mutants were never checked: the run was cut short.")
        return 1
    below = [m for m, killed, total in rows if percent(killed, total) < args.fail_under]
    if overall < args.fail_under or below:
        print(f"\nBelow {args.fail_under:g}%: {', '.join(below) or 'the total'}.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
