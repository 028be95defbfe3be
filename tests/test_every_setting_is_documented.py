"""Every variable the settings read is described in .env.example and the README."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def variables_read_by_the_settings() -> list[str]:
    tree = ast.parse((ROOT / "mjadmin" / "settings.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "config"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.add(node.args[0].value)
    return sorted(names)


def test_the_settings_read_variables():
    assert "SECRET_KEY" in variables_read_by_the_settings()


@pytest.mark.parametrize("name", variables_read_by_the_settings())
def test_it_is_in_env_example(name):
    lines = (ROOT / ".env.example").read_text().splitlines()
    assert any(line.lstrip("# ").startswith(f"{name}=") for line in lines)


@pytest.mark.parametrize("name", variables_read_by_the_settings())
def test_it_is_in_the_readme(name):
    assert f"`{name}`" in (ROOT / "README.md").read_text()
