"""House rules for templates that a reviewer would otherwise have to remember."""

import re
from pathlib import Path

import pytest

TEMPLATES = sorted((Path(__file__).resolve().parents[1] / "templates").rglob("*.html"))
# Django's own help texts (password rules) are HTML written by developers, never by a user or a
# vendor; that is the one place |safe may stand.
ALLOWED_SAFE = {"field.help_text|safe"}


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 10


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_no_line_is_over_120_characters(path):
    long = [n for n, line in enumerate(path.read_text().splitlines(), 1) if len(line) > 120]
    assert long == [], f"{path.name}: lines {long}"


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_nothing_a_form_or_a_vendor_sent_is_marked_safe(path):
    source = path.read_text()
    unsafe = set(re.findall(r"[\w.]+\|safe\b", source)) - ALLOWED_SAFE
    assert unsafe == set()
    assert "{% autoescape off" not in source
