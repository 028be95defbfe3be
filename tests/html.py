"""Reading rendered pages the way a user sees them: one element at a time, by CSS selector.

Assertions go through these so that they are scoped to the element that shows a thing (the
notice, the card, the table row), never to text that the navigation or another part of the page
also holds.
"""

from bs4 import BeautifulSoup, Tag
from django.http import HttpResponse

# A response, its HTML, or an element already found (to look further inside it).
Source = HttpResponse | str | Tag


def page(source: Source) -> Tag:
    if isinstance(source, Tag):
        return source
    html = source if isinstance(source, str) else source.content.decode()
    return BeautifulSoup(html, "html.parser")


def all_of(source: Source, selector: str) -> list[Tag]:
    return page(source).select(selector)


def one(source: Source, selector: str) -> Tag:
    """The single element the selector names; fails if there is none or more than one."""
    found = all_of(source, selector)
    assert len(found) == 1, f"expected one {selector!r}, found {len(found)}"
    return found[0]


def text(element: Tag) -> str:
    """Its visible text with white space folded, as a reader would take it in."""
    return " ".join(element.get_text(" ").split())


def text_of(source: Source, selector: str) -> str:
    return text(one(source, selector))


def texts(source: Source, selector: str) -> list[str]:
    return [text(element) for element in all_of(source, selector)]


def notice(source: Source) -> Tag:
    """The problem notice (role=alert) a page shows when something went wrong."""
    return one(source, "[role=alert]")


def link(source: Source) -> tuple[str, str]:
    """The one link inside: what it says and where it goes."""
    anchor = one(source, "a")
    return text(anchor), str(anchor.get("href", ""))


def messages(source: Source) -> list[str]:
    """The messages shown above the page's content after an action (Django's messages)."""
    return texts(source, ".messages li")


def definition(source: Source, term: str) -> Tag:
    """The <dd> that a description list gives for the <dt> reading `term`."""
    found = [dt.find_next_sibling("dd") for dt in all_of(source, "dt") if text(dt) == term]
    assert len(found) == 1, f"expected one <dt> reading {term!r}, found {len(found)}"
    assert isinstance(found[0], Tag), f"the <dt> reading {term!r} has no <dd>"
    return found[0]


def field_errors(source: Source, name: str) -> list[str]:
    """The errors shown beside the form field whose input is named `name`."""
    return texts(one(source, f".field:has([name={name}])"), ".error")
