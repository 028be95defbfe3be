"""Imports point one way: the two features stand on the platform (mjadmin/), never the other
way round, never on each other, and nothing the product runs imports the test suite."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FEATURES = ("accounts", "tasks")


def modules_of(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts)


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return {name.split(".")[0] for name in names}


def test_the_checker_sees_imports():
    assert "mjadmin" in imported(ROOT / "tasks" / "views.py")


@pytest.mark.parametrize("path", modules_of("mjadmin"), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_platform_imports_no_feature_and_no_test(path):
    assert imported(path) & {*FEATURES, "tests"} == set()


@pytest.mark.parametrize(
    ("feature", "other"), [("accounts", "tasks"), ("tasks", "accounts")], ids=FEATURES
)
def test_a_feature_imports_neither_the_other_feature_nor_the_tests(feature, other):
    for path in modules_of(feature):
        assert imported(path) & {other, "tests"} == set(), path
