"""Real-browser fixtures: Debian's Chromium driven by Playwright, the app on a live server,
the local fake upstream serving its own thumbnails."""

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from mjadmin import content_security
from mjadmin.keys import credentials
from tests.conftest import PASSWORD
from tests.fakes.fake_vendors import DEMO_APIFRAME_KEY, DEMO_USEAPI_TOKEN

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
# Without these, Chromium tries to reach Google's services, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERIOUS = {"critical", "serious"}


def pytest_collection_modifyitems(items) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM:
        message = "BROWSER TESTS NOT RUN: no Chromium found (apt-get install chromium)"
        if os.environ.get("MJADMIN_REQUIRE_BROWSER"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def fake(_fake_server, settings):
    """The fake serves its own PNG thumbnails over http, allowed like the demo allows them."""
    _fake_server.image_base_url = f"{_fake_server.base_url}/images"
    _fake_server.reset()
    settings.USEAPI_BASE_URL = _fake_server.base_url
    settings.APIFRAME_BASE_URL = _fake_server.base_url
    settings.APIFRAME_V2_BASE_URL = _fake_server.apiframe_v2_base_url
    settings.LEGNEXT_BASE_URL = _fake_server.legnext_base_url
    settings.MJ_PROXY_BASE_URL = _fake_server.mj_proxy_base_url
    settings.MEDIA_EXTRA_ORIGINS = [_fake_server.base_url]
    settings.CONTENT_SECURITY_POLICY = content_security.policy(settings.MEDIA_EXTRA_ORIGINS)
    yield _fake_server
    _fake_server.image_base_url = None
    _fake_server.reset()


class Problems:
    """Console errors, uncaught exceptions and CSP violations seen during one test."""

    def __init__(self) -> None:
        self.console: list[str] = []
        # Pages the server answered with an error status on purpose (a dead link's 404):
        # Chromium logs those as console errors, but they are the page working as designed.
        self.error_documents: set[str] = set()

    def attach(self, page) -> None:
        page.on("response", self._on_response)
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.console.append(f"uncaught: {exc}"))

    def _on_response(self, response) -> None:
        if response.request.resource_type == "document" and response.status >= 400:
            self.error_documents.add(response.url)

    def _on_console(self, msg) -> None:
        if msg.type != "error":
            return
        if msg.text.startswith("Failed to load resource") and (
            msg.location.get("url") in self.error_documents
        ):
            return
        self.console.append(f"{msg.text} at {msg.location.get('url')}")


@pytest.fixture
def app(live_server, transactional_db, fake, chromium) -> Iterator["App"]:
    app = App(live_server.url, chromium)
    yield app
    app.close()
    assert app.problems.console == [], "JavaScript console errors or CSP violations"


class App:
    def __init__(self, url: str, browser) -> None:
        self.url = url
        self.browser = browser
        self.problems = Problems()
        self.contexts = []

    def new_page(
        self,
        *,
        width: int = 1280,
        height: int = 800,
        dark: bool = False,
        timezone_id: str | None = None,
    ):
        context = self.browser.new_context(
            viewport={"width": width, "height": height},
            color_scheme="dark" if dark else "light",
            timezone_id=timezone_id,
            accept_downloads=True,
            base_url=self.url,
        )
        context.set_default_timeout(15_000)
        self.contexts.append(context)
        page = context.new_page()
        self.problems.attach(page)
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def audit(page) -> None:
    """axe-core finds no critical or serious violation, and nothing overflows sideways."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in SERIOUS]
    described = [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}" for v in bad]
    assert not bad, f"accessibility violations on {page.url}: {described}"
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} overflows sideways by {overflow}px"


def make_user(username: str, *, keys: bool = True, admin: bool = False):
    """A teammate, by default with the fake's keys saved."""
    user = get_user_model().objects.create_user(
        username, f"{username}@example.com", PASSWORD, is_staff=admin, is_superuser=admin
    )
    if keys:
        credentials.save_secret(user, "useapi", DEMO_USEAPI_TOKEN)
        credentials.save_secret(user, "apiframe", DEMO_APIFRAME_KEY)
    return user


def signed_in_page(app: "App", username: str, *, keys: bool = True, **page_options):
    make_user(username, keys=keys)
    page = app.new_page(**page_options)
    sign_in(page, username)
    return page


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


def tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until the focused element matches, checking that focus is visible there."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", f"no visible focus on {selector}"
            return
    raise AssertionError(f"could not reach {selector} with Tab")


RESULTS_URL = re.compile(r".*/tasks/([0-9a-f-]{36})/$")


def paste(page, pasted: str, name: str = "") -> str:
    """Paste on /tasks/ (and name the lookup) and submit, as a teammate does; returns the
    results page's path."""
    page.goto("/tasks/")
    page.fill("#id_ids", pasted)
    if name:
        page.fill("#id_name", name)
    page.click("main button[type=submit]")
    page.wait_for_url(RESULTS_URL)
    return f"/tasks/{RESULTS_URL.match(page.url).group(1)}/"
