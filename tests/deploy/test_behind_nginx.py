"""mjadmin as it is deployed: two gunicorn processes behind nginx (deploy/nginx.conf), sharing
PostgreSQL and Redis. Whichever process answers, a teammate sees one app: one session, one
sign-in lock, one Accounts answer; and behind TLS the app is https-only.

Needs nginx, PostgreSQL and Redis on 127.0.0.1 (see tests/deploy/stack.py); skipped without
them, failed without them when MJADMIN_REQUIRE_DEPLOY=1 (as CI sets it).
"""

import os
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import requests

from tests.conftest import PASSWORD
from tests.deploy import stack
from tests.deploy.stack import Stack
from tests.fakes.fake_vendors import DEMO_USEAPI_TOKEN, FakeUpstream
from tests.html import one, text, text_of

pytestmark = pytest.mark.deploy

LOGIN_FAILURE_LIMIT = 5
# Long enough that no answer expires during the test, so every change seen is the cache's doing.
ACCOUNTS_CACHE_SECONDS = 600
RELOADS = 10
# The address nginx appends to X-Forwarded-For for this test's requests: the client as the app
# sees it through the proxy (TRUSTED_PROXY_COUNT=1).
CLIENT = "127.0.0.1"
ANOTHER_CLIENT = "127.0.0.2"

CREATE_USERS = f"""
from django.contrib.auth import get_user_model
from mjadmin.keys import credentials

User = get_user_model()
alice = User.objects.create_user(
    "alice", "alice@example.com", {PASSWORD!r}, is_staff=True, is_superuser=True
)
User.objects.create_user("bob", "bob@example.com", {PASSWORD!r})
credentials.save_secret(alice, "useapi", {DEMO_USEAPI_TOKEN!r})
"""


class Browser:
    """A requests.Session on one origin that posts forms the way a browser does: the form's CSRF
    token, an Origin and a Referer. Redirects are not followed unless asked for."""

    def __init__(self, origin: str, *, verify: str | bool = True, **headers: str) -> None:
        self.origin = origin
        self.session = requests.Session()
        # Only what is given here: no proxy or CA bundle from the environment.
        self.session.trust_env = False
        self.session.verify = verify
        self.form_page: requests.Response | None = None
        self.session.headers.update(headers)

    def get(self, path: str) -> requests.Response:
        return self.session.get(
            self.origin + path, timeout=stack.REQUEST_SECONDS, allow_redirects=False
        )

    def post(
        self, path: str, data: dict[str, str], *, token_from: str, form: str = "main form"
    ) -> requests.Response:
        """Post the `form` on `token_from`'s page (CSRF_USE_SESSIONS: the token is in it)."""
        self.form_page = self.get(token_from)
        assert self.form_page.status_code == 200, f"GET {token_from}: {self.form_page.status_code}"
        token = one(self.form_page.text, f"{form} input[name=csrfmiddlewaretoken]")["value"]
        return self.session.post(
            self.origin + path,
            data={"csrfmiddlewaretoken": token, **data},
            headers={"Origin": self.origin, "Referer": self.origin + token_from},
            timeout=stack.REQUEST_SECONDS,
            allow_redirects=False,
        )

    def sign_in(self, username: str, password: str = PASSWORD) -> requests.Response:
        return self.post(
            "/login/", {"username": username, "password": password}, token_from="/login/"
        )


def signed_in(origin: str, username: str, **options) -> Browser:
    browser = Browser(origin, **options)
    answer = browser.sign_in(username)
    assert answer.status_code == 302, f"{username} not signed in: HTTP {answer.status_code}"
    return browser


# -- fixtures: the back ends once per module, then each arrangement of app servers -----------


@pytest.fixture(scope="module")
def machine() -> None:
    missing = stack.unavailable()
    if missing:
        message = "DEPLOY TESTS NOT RUN: " + "; ".join(missing)
        if os.environ.get("MJADMIN_REQUIRE_DEPLOY"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("deploy")


@pytest.fixture(scope="module")
def certificate(folder) -> tuple[Path, Path]:
    return stack.self_signed_certificate(folder)


@pytest.fixture(scope="module")
def upstream(machine) -> Iterator[FakeUpstream]:
    """The local fake of useapi.net, which both app servers ask."""
    with FakeUpstream() as server:
        yield server


@pytest.fixture(scope="module")
def environment(machine, folder, upstream) -> Iterator[dict[str, str]]:
    """A migrated database holding alice (useapi token saved) and bob, and an empty Redis."""
    with stack.empty_redis_database() as cache_url, stack.fresh_database() as database_url:
        environment = stack.app_environment(
            folder,
            database_url,
            CACHE_URL=cache_url,
            USEAPI_BASE_URL=upstream.base_url,
            LOGIN_FAILURE_LIMIT=str(LOGIN_FAILURE_LIMIT),
            ACCOUNTS_CACHE_SECONDS=str(ACCOUNTS_CACHE_SECONDS),
        )
        stack.manage(environment, "migrate", "--noinput")
        stack.manage(environment, "createcachetable")
        stack.manage(environment, "collectstatic", "--noinput")
        stack.manage(environment, "shell", "-c", CREATE_USERS)
        yield environment


@pytest.fixture(scope="module")
def pair(environment, folder, certificate) -> Iterator[Stack]:
    """Both app servers behind nginx, plain http in front."""
    with Stack(folder / "pair", environment, certificate).running() as running:
        yield running


@pytest.fixture(scope="module")
def https_pair(environment, folder, certificate) -> Iterator[Stack]:
    """The same pair restarted with the production switches, behind nginx's TLS."""
    https_only = {
        **environment,
        "HTTPS_ONLY": "true",
        "SECURE_PROXY_SSL_HEADER": "true",
        # gunicorn itself believes X-Forwarded-Proto from 127.0.0.1; trusting nobody, as with
        # nginx on another machine, leaves the app's SECURE_PROXY_SSL_HEADER to do the work.
        "FORWARDED_ALLOW_IPS": "",
    }
    with Stack(folder / "https-pair", https_only, certificate).running() as running:
        yield running


# -- a: one session --------------------------------------------------------------------------


def test_a_session_signed_in_through_the_proxy_holds_on_both_instances(pair):
    browser = Browser(pair.http_origin)
    assert browser.get("/healthz").text.startswith("ok\n")

    answer = browser.sign_in("alice")
    assert answer.status_code == 302, answer.text[:500]
    assert answer.headers["Location"] == "/"
    pages = [browser.get("/tasks/") for _ in range(RELOADS)]

    assert [page.status_code for page in pages] == [200] * RELOADS
    assert {text_of(page.text, ".nav-user a") for page in pages} == {"alice"}
    served = Counter(pair.instance(page) for page in pages)
    assert set(served) == {"A", "B"}, served
    print(
        f"\na: sign-in form from {pair.instance(browser.form_page)}, posted to "
        f"{pair.instance(answer)}; {RELOADS} x /tasks/ signed in, served {dict(served)}"
    )


def test_static_files_come_through_the_proxy_from_whitenoise(pair):
    login_page = Browser(pair.http_origin).get("/login/")
    stylesheet = one(login_page.text, "link[rel=stylesheet]")["href"]

    answer = Browser(pair.http_origin).get(stylesheet)

    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/css")
    # Hashed names from collectstatic, so browsers may keep them for good.
    assert "immutable" in answer.headers["Cache-Control"]


# -- b: one sign-in lock ---------------------------------------------------------------------


def test_a_sign_in_lock_set_through_one_instance_holds_on_the_other(pair):
    # Straight to A, with the header nginx would have added for this client.
    at_a = Browser(pair.direct_origin("A"), **{"X-Forwarded-For": CLIENT})
    guesses = [at_a.sign_in("bob", "wrong-guess").status_code for _ in range(LOGIN_FAILURE_LIMIT)]
    assert guesses == [200] * (LOGIN_FAILURE_LIMIT - 1) + [429]

    at_b = Browser(pair.direct_origin("B"), **{"X-Forwarded-For": CLIENT})
    refused = at_b.sign_in("bob")
    assert refused.status_code == 429
    assert text_of(refused.text, "main h1") == "Too many failed sign-ins"
    assert at_b.get("/tasks/").headers["Location"].startswith("/login/")

    # Through nginx on either instance, even with a forged X-Forwarded-For: nginx appends the
    # real address, and the app reads only that last entry.
    forged = Browser(pair.http_origin, **{"X-Forwarded-For": ANOTHER_CLIENT})
    refusals = []
    for _ in range(2):
        refusals.append(forged.sign_in("bob"))
        forged.get("/healthz")  # one request more, so the next post goes to the other instance
    assert [r.status_code for r in refusals] == [429, 429]
    assert {pair.instance(r) for r in refusals} == {"A", "B"}

    # The lock is bob's from this address only: alice signs in, and so does bob elsewhere.
    signed_in(pair.http_origin, "alice")
    elsewhere = Browser(pair.direct_origin("B"), **{"X-Forwarded-For": ANOTHER_CLIENT})
    assert elsewhere.sign_in("bob").status_code == 302
    refused_by = sorted(pair.instance(r) for r in refusals)
    print(
        f"\nb: {LOGIN_FAILURE_LIMIT} wrong at A -> {guesses}; right password at B -> 429; "
        f"through nginx with a forged X-Forwarded-For -> 429 from {refused_by}"
    )


# -- c: one Accounts cache -------------------------------------------------------------------


def fetched_at(page: requests.Response) -> datetime:
    assert page.status_code == 200, page.status_code
    stamp = one(page.text, ".toolbar time")
    return datetime.fromisoformat(stamp["datetime"])


def useapi_calls(upstream: FakeUpstream) -> int:
    return sum(1 for request in upstream.requests if request.path == "/v2/account/midjourney")


def test_the_accounts_cache_is_one_for_both_instances(pair, upstream):
    upstream.reset()
    browser = signed_in(pair.http_origin, "alice")

    pages = [browser.get("/accounts/") for _ in range(RELOADS)]
    first = {fetched_at(page) for page in pages}
    served = Counter(pair.instance(page) for page in pages)
    assert len(first) == 1, sorted(first)
    assert set(served) == {"A", "B"}, served
    assert useapi_calls(upstream) == 1

    refresh_form = pages[-1].text
    assert text(one(refresh_form, ".toolbar form button")) == "Refresh"
    refresh = browser.post("/accounts/", {}, token_from="/accounts/", form=".toolbar form")
    assert refresh.status_code == 302
    assert refresh.headers["Location"] == "/accounts/"
    # The page Refresh leads to (asks again), then the reloads (reuse that answer).
    after = [browser.get("/accounts/") for _ in range(1 + RELOADS)]
    second = {fetched_at(page) for page in after}
    served_after = Counter(pair.instance(page) for page in after)

    assert len(second) == 1, sorted(second)
    assert min(second) > max(first)
    assert set(served_after) == {"A", "B"}, served_after
    assert useapi_calls(upstream) == 2
    print(
        f"\nc: {RELOADS} loads: 1 Fetched-at ({min(first):%H:%M:%S.%f}), served {dict(served)}; "
        f"after Refresh 1 + {RELOADS} loads: 1 Fetched-at ({min(second):%H:%M:%S.%f}), served "
        f"{dict(served_after)}; useapi.net asked {useapi_calls(upstream)} times"
    )


# -- d: https only behind the proxy ----------------------------------------------------------

HSTS = "max-age=31536000; includeSubDomains; preload"


def test_plain_http_through_the_proxy_is_sent_to_https(https_pair):
    plain = Browser(https_pair.http_origin)

    answer = plain.get("/login/?next=/tasks/")
    # A client cannot pass for https: nginx overwrites the header.
    spoofed = Browser(https_pair.http_origin, **{"X-Forwarded-Proto": "https"}).get("/login/")

    assert answer.status_code == 301
    # Django keeps the host and port the browser used; on 80 and 443 there is no port.
    assert (
        answer.headers["Location"]
        == f"https://127.0.0.1:{https_pair.http_port}/login/?next=/tasks/"
    )
    assert "Strict-Transport-Security" not in answer.headers
    assert spoofed.status_code == 301


def test_https_through_the_proxy_is_served_with_hsts_and_a_secure_session(https_pair, certificate):
    browser = Browser(https_pair.https_origin, verify=str(certificate[0]))

    login_page = browser.get("/login/")
    answer = browser.sign_in("alice")
    pages = [browser.get("/tasks/") for _ in range(4)]

    assert login_page.status_code == 200
    assert login_page.headers["Strict-Transport-Security"] == HSTS
    assert answer.status_code == 302, answer.text[:500]
    (session_cookie,) = [c for c in browser.session.cookies if c.name == "sessionid"]
    assert session_cookie.secure
    assert "HttpOnly" in answer.headers["Set-Cookie"]
    assert [page.status_code for page in pages] == [200] * 4
    assert {text_of(page.text, ".nav-user a") for page in pages} == {"alice"}
    assert {page.headers["Strict-Transport-Security"] for page in pages} == {HSTS}
    assert {https_pair.instance(page) for page in pages} == {"A", "B"}


def test_healthz_answers_a_load_balancer_through_the_proxy_and_on_each_app_server(
    https_pair, certificate
):
    through_proxy = Browser(https_pair.https_origin, verify=str(certificate[0])).get("/healthz")
    # On an app server itself, plain http is redirected like any page unless the check says it
    # stands for https, as the proxy does.
    direct = {
        instance: Browser(https_pair.direct_origin(instance), **{"X-Forwarded-Proto": "https"}).get(
            "/healthz"
        )
        for instance in ("A", "B")
    }

    assert through_proxy.status_code == 200
    assert through_proxy.text == "ok\ndatabase: ok\ncache: ok\n"
    assert {i: (r.status_code, r.text) for i, r in direct.items()} == {
        "A": (200, through_proxy.text),
        "B": (200, through_proxy.text),
    }


def test_the_deploy_check_passes_with_https_only(environment):
    https_only = {**environment, "HTTPS_ONLY": "true", "SECURE_PROXY_SSL_HEADER": "true"}

    output = stack.manage(https_only, "check", "--deploy", "--fail-level", "WARNING")

    assert "no issues" in output
