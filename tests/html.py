"""Reading rendered pages the way a user sees them: one element at a time, by CSS selector.

Assertions go through these so that they are scoped to the element that shows a thing (the
notice, the card, the table row), never to text that the navigation or another part of the page
also holds.
"""

from bs4 import BeautifulSoup, Tag
from django.http import HttpResponse


def page(response: HttpResponse | str) -> BeautifulSoup:
    html = response if isinstance(response, str) else response.content.decode()
    return BeautifulSoup(html, "html.parser")


def all_of(response: HttpResponse | str, selector: str) -> list[Tag]:
    return page(response).select(selector)


def one(response: HttpResponse | str, selector: str) -> Tag:
    """The single element the selector names; fails if there is none or more than one."""
    found = all_of(response, selector)
    assert len(found) == 1, f"expected one {selector!r}, found {len(found)}"
    return found[0]


def text(element: Tag) -> str:
    """Its visible text with white space folded, as a reader would take it in."""
    return " ".join(element.get_text(" ").split())


def text_of(response: HttpResponse | str, selector: str) -> str:
    return text(one(response, selector))


def texts(response: HttpResponse | str, selector: str) -> list[str]:
    return [text(element) for element in all_of(response, selector)]


def notice(response: HttpResponse | str) -> Tag:
    """The problem notice (role=alert) a page shows when something went wrong."""
    return one(response, "[role=alert]")
