"""The one module that talks HTTP to third parties.

Every failure leaves here as an UpstreamError whose message a user can act on. Credentials are
passed per request, never kept on the shared session, and never logged (only method, path,
status and duration are).
"""

import contextlib
import json
import logging
import math
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar
from urllib.parse import urlparse

import requests
from django.conf import settings
from django.views.decorators.debug import sensitive_variables
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NewConnectionError,
    ReadTimeoutError,
)

from mjadmin.redaction import mask_answer, redact

logger = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({502, 503, 504})


class UpstreamError(Exception):
    # The notice's heading (see mjadmin/problems.py); a client may add a page that helps.
    title = "Service unavailable"
    # Seconds the vendor asked to wait before asking again (its Retry-After), when it said.
    retry_after: float | None = None

    def __init__(
        self, message: str, *, status: int | None = None, help_url: str = "", help_label: str = ""
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.help_url = help_url
        self.help_label = help_label


class UpstreamAuthError(UpstreamError):
    """401/403: the credential was refused."""

    title = "Key rejected"


class UpstreamPaymentRequired(UpstreamError):
    """402: the vendor account has no active subscription."""

    title = "Subscription needed"


class UpstreamNotFound(UpstreamError):
    """404: nothing there (the client decides what that means to the user)."""

    title = "Not found"

    def __init__(
        self,
        message: str,
        *,
        status: int | None = 404,
        details: list[str] | None = None,
        help_url: str = "",
        help_label: str = "",
    ) -> None:
        super().__init__(message, status=status, help_url=help_url, help_label=help_label)
        # The vendor's own words, when its 404 came as JSON: a web server's bare 404 for a
        # wrong address has none.
        self.details = details or []


class UpstreamBadRequest(UpstreamError):
    """400: the vendor explained what it did not like, in `details`."""

    title = "Request refused"

    def __init__(
        self, message: str, details: list[str], *, summary: str = "", status: int | None = 400
    ) -> None:
        super().__init__(message, status=status)
        self.details = details
        # The message without the vendor's words, for pages that list `details` beneath it.
        self.summary = summary or message


class UpstreamUnavailable(UpstreamError):
    """5xx, timeouts, refused connections, answers that are not the JSON we expect."""


_local = threading.local()
# Seconds to wait before asking again after a 502/503/504 or a refused connection.
RETRY_BACKOFF = (0.2, 0.4)
CHUNK = 64 * 1024
# Deeper JSON than this is no answer any documented endpoint gives, and deep enough to exhaust
# the stack of whatever walks it later (templates, the database's JSON encoder).
MAX_JSON_DEPTH = 64

# When the page being served must be done by (time.monotonic()); every call made for it ends by
# then, whatever its own deadline. Set by `page_deadline`.
_page_deadline: ContextVar[float | None] = ContextVar("upstream_page_deadline", default=None)


@contextmanager
def page_deadline(seconds: float) -> Iterator[None]:
    """Every upstream call made inside (in this context) ends within `seconds` from now."""
    at = time.monotonic() + seconds
    outer = _page_deadline.get()
    token = _page_deadline.set(at if outer is None else min(at, outer))
    try:
        yield
    finally:
        _page_deadline.reset(token)


def time_left() -> float:
    """Seconds left before the page's deadline (infinite outside one)."""
    page = _page_deadline.get()
    return float("inf") if page is None else page - time.monotonic()


def _call_deadline() -> float:
    """One call: connect, headers and the whole body, retries included, within UPSTREAM_TIMEOUT
    (and within the page's deadline, if it is sooner)."""
    at = time.monotonic() + settings.UPSTREAM_TIMEOUT
    page = _page_deadline.get()
    return at if page is None else min(at, page)


class _Watch:
    """The connection one call is using, so that the deadline can cut it wherever the call is
    waiting: connecting, for the status line and headers, or for the body."""

    def __init__(self) -> None:
        self.connection: HTTPConnection | None = None
        self.cut = False

    def cut_off(self) -> None:
        self.cut = True
        sock = getattr(self.connection, "sock", None)
        if sock is not None:
            # shutdown (unlike close) wakes a thread blocked reading this socket.
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class _WatchedHTTPConnection(HTTPConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:
        watch = getattr(_local, "watch", None)
        if watch is not None:
            watch.connection = self
        super().request(*args, **kwargs)


class _WatchedHTTPSConnection(_WatchedHTTPConnection, HTTPSConnection):
    """The same, over TLS (HTTPSConnection's request is HTTPConnection's)."""


class _WatchedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class _WatchedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _WatchedHTTPConnectionPool,
            "https": _WatchedHTTPSConnectionPool,
        }


def _session() -> requests.Session:
    # One pooled session per thread: requests.Session is not documented as thread-safe.
    session = getattr(_local, "session", None)
    if session is None:
        session = requests.Session()
        # Retries are ours (_send), so that they count against the call's deadline.
        adapter = _WatchedAdapter(pool_connections=4, pool_maxsize=8, max_retries=0)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        session.headers.update({"User-Agent": "mjadmin/0.1", "Accept": "application/json"})
        session.trust_env = False  # no proxy or .netrc credentials picked up from the host
        _local.session = session
    return session


def _unavailable(service: str, detail: str, status: int | None = None) -> UpstreamUnavailable:
    return UpstreamUnavailable(
        f"{service} is unavailable right now ({detail}). Try again in a minute.", status=status
    )


def _failed(
    service: str, method: str, path: str, detail: str, *, cannot_reach: bool = False
) -> UpstreamUnavailable:
    logger.warning("%s %s %s failed: %s", service, method, path, detail)
    if cannot_reach:
        return UpstreamUnavailable(
            f"{service} could not be reached ({detail}). Check that this server can reach it "
            "(network, DNS, proxy), then try again."
        )
    return _unavailable(service, detail)


class _OutOfTime(Exception):
    """The call's deadline passed."""


def _read_capped(response: requests.Response, service: str, deadline: float) -> bytes:
    """The whole body, within the size cap and the deadline however slowly it arrives."""
    limit = settings.UPSTREAM_MAX_RESPONSE_BYTES
    raw = response.raw
    connection = getattr(raw, "connection", None)
    sock = getattr(connection, "sock", None)
    body = bytearray()
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _OutOfTime
        if sock is not None:
            # Each read waits at most until the deadline, so a body that trickles in a byte at
            # a time cannot hold this worker past it.
            sock.settimeout(remaining)
        chunk = raw.read1(CHUNK, decode_content=True)
        if not chunk:
            return bytes(body)
        body += chunk
        if len(body) > limit:
            raise _unavailable(service, f"its answer was larger than {limit // 1024 // 1024} MB")


# A request body may carry a secret too (useapi.net's Discord token): kept out of error reports.
@sensitive_variables("authorization", "json_body")
def _attempt(
    method: str,
    url: str,
    service: str,
    authorization: str,
    json_body: Any,
    deadline: float,
    *,
    header: str = "Authorization",
    answered: dict[str, str] | None = None,
) -> tuple[int, bytes]:
    """The status and body; `answered` (if given) gets the answer's Retry-After header."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _OutOfTime
    # Socket timeouts bound each wait, not their sum: a vendor sending its headers a byte at a
    # time never trips them. At the deadline the watchdog cuts the connection instead.
    watch = _Watch()
    _local.watch = watch
    watchdog = threading.Timer(remaining, watch.cut_off)
    watchdog.daemon = True
    watchdog.start()
    try:
        response = _session().request(
            method,
            url,
            # None drops the header: a webhook (post_json) is sent no credential at all.
            headers={header: authorization or None},
            json=json_body,
            timeout=(remaining, remaining),
            allow_redirects=False,
            stream=True,
        )
        with response:
            if answered is not None:  # this answer's, never an earlier attempt's
                answered["Retry-After"] = response.headers.get("Retry-After", "")
            return response.status_code, _read_capped(response, service, deadline)
    except Exception:
        if watch.cut:
            raise _OutOfTime from None
        raise
    finally:
        watchdog.cancel()
        _local.watch = None


def _scrubbed(payload: Any) -> Any:
    """The payload with NUL characters dropped from every string (PostgreSQL refuses them in
    JSON and text), or None when it nests deeper than MAX_JSON_DEPTH. Iterative, so walking a
    hostile answer cannot itself exhaust the stack."""
    if isinstance(payload, str):
        return payload.replace("\x00", "")
    stack = [(payload, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return None
        if isinstance(value, dict):
            for key in [k for k in value if "\x00" in k]:
                value[key.replace("\x00", "")] = value.pop(key)
            items = list(value.items())
        elif isinstance(value, list):
            items = list(enumerate(value))
        else:
            continue
        for place, item in items:
            if isinstance(item, str):
                if "\x00" in item:
                    value[place] = item.replace("\x00", "")
            else:
                stack.append((item, depth + 1))
    return payload


def _parse_json(body: bytes) -> Any:
    """The JSON in a body, or None when there is none a client could use. NaN and Infinity
    (not JSON, but Python would accept them) become null: no database stores them as JSON."""
    if not body.strip():
        return None
    try:
        payload = json.loads(body, parse_constant=lambda _name: None)
    except (ValueError, RecursionError):
        return None
    return _scrubbed(payload)


def _error_texts(payload: Any) -> list[str]:
    """The vendor's own words: Apiframe's errors[].msg, useapi's error/errorDetails, Legnext's
    error.message (or its flat message)."""
    if not isinstance(payload, dict):
        return []
    texts = []
    nested = payload.get("error")
    if isinstance(nested, dict):
        payload = {**payload, **{k: nested.get(k) for k in ("message",) if k not in payload}}
    errors = payload.get("errors")
    if isinstance(errors, list):
        for item in errors:
            msg = item.get("msg") if isinstance(item, dict) else item
            if isinstance(msg, str) and msg.strip():
                texts.append(msg.strip())
    for key in ("error", "errorDetails", "message"):
        value = payload.get(key)
        if isinstance(value, str) and value.strip():
            texts.append(value.strip())
    return texts


@sensitive_variables("authorization", "json_body", "payload")
def request_json(
    method: str,
    url: str,
    *,
    service: str,
    credential: str,
    authorization: str,
    json_body: Any = None,
    header: str = "Authorization",
    key_shaped: bool = True,
    masked: bool = True,
) -> Any:
    """Send one request and return its parsed JSON body, or raise an UpstreamError.

    `service` ("useapi.net") and `credential` ("token") only shape the messages. `authorization`
    is sent as the `header` (Apiframe v2 wants its key as X-API-Key). Whatever the vendor says
    back, a 2xx included, is masked before anything stores or shows it: the key in any spelling,
    and (unless `key_shaped` is off, for a client that masks its own secrets-bearing fields)
    anything shaped like a key. Only a client that sends an answer straight back to the same
    vendor, and never stores or shows it, turns `masked` off (a proxy's account, written back
    whole).
    """
    answered: dict[str, str] = {}
    status, body = _send(method, url, service, authorization, json_body, header, answered)
    # The vendor's own words are shown and may be stored: never with this request's key in them.
    secrets = (authorization, authorization.removeprefix("Bearer "))
    try:
        payload = _classify(status, body, service, credential, secrets)
    except UpstreamError as exc:
        exc.retry_after = retry_after_seconds(answered.get("Retry-After"))
        raise
    return mask_answer(payload, secrets, key_shaped=key_shaped) if masked else payload


# Asking again after a 429, at most this many times: a vendor that keeps saying "in 0 seconds"
# must not keep a worker forever.
RATE_LIMITED_RETRIES = 3
# A wait is worth it only if an answer can still arrive after it.
ANSWER_TIME = 0.5
T = TypeVar("T")


def _can_wait_for(seconds: float | None) -> bool:
    """Whether a Retry-After of `seconds` ends in time: within the page's deadline, and never
    longer than a page may take when there is none (a management command, a test)."""
    if seconds is None:
        return False
    limit = min(time_left(), settings.UPSTREAM_PAGE_TIMEOUT)
    return seconds + ANSWER_TIME <= limit


def waiting_out_429(call: Callable[[], T]) -> T:
    """`call` (one request_json), asked again after a 429 as long as its Retry-After asks, while
    that wait ends within the page's time; past that, the 429 is the answer."""
    for retry in range(RATE_LIMITED_RETRIES + 1):
        try:
            return call()
        except UpstreamUnavailable as exc:
            waits = exc.status == 429 and _can_wait_for(exc.retry_after)
            if not waits or retry == RATE_LIMITED_RETRIES:
                raise
            time.sleep(exc.retry_after or 0)
    raise AssertionError("unreachable: the last try returns or raises")


@sensitive_variables("kwargs")
def request_json_waiting(method: str, url: str, **kwargs: Any) -> Any:
    """request_json, a 429 waited out as its Retry-After asks while the page has time."""
    return waiting_out_429(lambda: request_json(method, url, **kwargs))


def retry_after_seconds(value: str | None) -> float | None:
    """A Retry-After header as seconds from now: a number of seconds or an HTTP date."""
    if value is None or len(value) > 64:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            return None
        seconds = when.timestamp() - time.time()
    return max(0.0, seconds) if math.isfinite(seconds) else None


@sensitive_variables("authorization", "json_body")
def _send(
    method: str,
    url: str,
    service: str,
    authorization: str,
    json_body: Any,
    header: str = "Authorization",
    answered: dict[str, str] | None = None,
    *,
    resend: bool = True,
) -> tuple[int, bytes]:
    """The status and the whole (capped) body, or an UpstreamError when none arrived in time.

    A 502/503/504 or a refused connection is tried again (twice at most) while time is left;
    without `resend`, only a refused connection (which nothing reached).
    """
    path = urlparse(url).path
    host = urlparse(url).hostname
    started = time.monotonic()
    deadline = _call_deadline()
    # What the message names; never "0 s" when a page's deadline left a call no time at all.
    budget = max(deadline - started, 0.1)
    for attempt, backoff in enumerate((*RETRY_BACKOFF, None)):
        try:
            status, body = _attempt(
                method,
                url,
                service,
                authorization,
                json_body,
                deadline,
                header=header,
                answered=answered,
            )
        except (_OutOfTime, requests.Timeout, ReadTimeoutError, TimeoutError):
            raise _failed(
                service, method, path, f"no answer within {round(budget, 1):g} s"
            ) from None
        except requests.ConnectionError as exc:
            reason = getattr(exc.args[0] if exc.args else None, "reason", None)
            # urllib3's NewConnectionError (refused, unreachable) subclasses its timeout error.
            timed_out = isinstance(reason, (ConnectTimeoutError, ReadTimeoutError))
            if timed_out and not isinstance(reason, NewConnectionError):
                raise _failed(
                    service, method, path, f"no answer within {round(budget, 1):g} s"
                ) from None
            if not isinstance(reason, NewConnectionError):
                # Connected, then the connection broke: the vendor may have acted on the
                # request already, so it is not sent again.
                raise _failed(service, method, path, "the answer broke off") from None
            if backoff is not None and _can_wait(backoff, deadline):
                time.sleep(backoff)
                continue
            # Usually this server's own network (DNS, firewall, proxy), so name the host.
            raise _failed(
                service, method, path, f"could not connect to {host}", cannot_reach=True
            ) from None
        except (requests.RequestException, HTTPError, OSError):
            # A connection reset or a broken chunk in the middle of the body, among others.
            raise _failed(service, method, path, "the answer broke off") from None
        elapsed_ms = (time.monotonic() - started) * 1000
        logger.info("%s %s %s -> %s in %d ms", service, method, path, status, elapsed_ms)
        retry = resend and status in RETRY_STATUSES
        if retry and backoff is not None and _can_wait(backoff, deadline):
            logger.info("%s %s %s: trying again (attempt %d)", service, method, path, attempt + 2)
            time.sleep(backoff)
            continue
        return status, body
    raise AssertionError("unreachable: the last attempt always returns or raises")


def _can_wait(backoff: float, deadline: float) -> bool:
    # Only worth it if there is time for the wait and something of an answer after it.
    return time.monotonic() + backoff + 0.5 < deadline


@sensitive_variables("authorization", "json_body", "also_secret", "secrets")
def request_answer(
    method: str,
    url: str,
    *,
    service: str,
    credential: str,
    authorization: str,
    json_body: Any = None,
    own_statuses: frozenset[int] = frozenset(),
    also_secret: tuple[str, ...] = (),
    key_shaped: bool = True,
    header: str = "Authorization",
) -> tuple[int, Any]:
    """As request_json, for a client that reads some answers itself: the status with the
    parsed JSON of a 2xx (None for a 2xx without a body, such as a 204), or of any status in
    `own_statuses` (a vendor's own codes, like useapi.net's 596). Any other answer raises as in
    request_json.

    `also_secret` is what the body carries that is as secret as the key (a Discord token): it is
    masked like the key in the vendor's words, here and in the errors raised. `key_shaped` as in
    request_json.
    """
    # A write a proxy answered with 502 may have been done: never sent twice (nor its secret).
    status, body = _send(
        method, url, service, authorization, json_body, header, resend=method == "GET"
    )
    secrets = (authorization, authorization.removeprefix("Bearer "), *also_secret)
    if status in own_statuses or (200 <= status < 300 and not body.strip()):
        payload = _parse_json(body)
    else:
        payload = _classify(status, body, service, credential, secrets)
    return status, mask_answer(payload, secrets, key_shaped=key_shaped)


def rate_limited(service: str, said: Sequence[str]) -> str:
    """What a 429 tells the user, with the vendor's own words (already redacted) if any."""
    quoted = f": {'; '.join(said)}" if said else ""
    return (
        f"{service} is limiting how often it is asked (HTTP 429){quoted}. Wait a minute, then "
        "try again."
    )


def _classify(
    status: int, body: bytes, service: str, credential: str, secrets: tuple[str, ...]
) -> Any:
    """The parsed JSON of a 2xx answer; any other answer as the matching UpstreamError."""
    payload = _parse_json(body)

    if 200 <= status < 300:
        if payload is None:
            raise _unavailable(service, "it answered with something other than JSON", status)
        return payload
    texts = [redact(text, secrets) for text in _error_texts(payload)]
    if status in (401, 403):
        raise UpstreamAuthError(
            f"{service} rejected your {credential}. Check it on the Settings page.", status=status
        )
    if status == 402:
        raise UpstreamPaymentRequired(
            f"{service} says the subscription on this {credential} is missing or expired. "
            f"Renew it at {service}, then try again.",
            status=status,
        )
    if status == 404:
        message = texts[0] if texts else f"{service} found nothing."
        raise UpstreamNotFound(message, status=status, details=texts)
    if status == 429:
        # Not retried here: a Retry-After can be hours, far past any page's deadline.
        raise UpstreamUnavailable(rate_limited(service, texts), status=status)
    if 400 <= status < 500:
        raise UpstreamBadRequest(
            f"{service} refused the request: " + ("; ".join(texts) or f"HTTP {status}") + ".",
            texts,
            summary=f"{service} refused the request (HTTP {status}).",
            status=status,
        )
    if 300 <= status < 400:
        raise _unavailable(service, f"it answered with a redirect, HTTP {status}", status)
    raise _unavailable(service, f"HTTP {status}", status)


@sensitive_variables("url")
def post_json(url: str, body: Any, *, service: str) -> int:
    """POST `body` as JSON to a receiver such as a chat webhook; the status of its 2xx answer,
    whatever that answer holds (Slack's is "ok"), or an UpstreamError.

    The URL is a secret (a Slack webhook's path is its key): logs and messages name its host
    only. Never sent twice: a post that broke off may have been delivered, and the caller
    sends it again on its next run if it must.
    """
    host = urlparse(url).hostname or "its host"
    started = time.monotonic()
    deadline = _call_deadline()
    budget = max(deadline - started, 0.1)
    try:
        status, answer = _attempt("POST", url, service, "", body, deadline)
    except (_OutOfTime, requests.Timeout, ReadTimeoutError, TimeoutError):
        detail = f"no answer from {host} within {round(budget, 1):g} s"
    except (requests.RequestException, HTTPError, OSError):
        detail = f"could not post to {host}"
    else:
        elapsed_ms = (time.monotonic() - started) * 1000
        logger.info("%s POST to %s -> %s in %d ms", service, host, status, elapsed_ms)
        if 200 <= status < 300:
            return status
        # A receiver's reason ("no_service", "invalid_payload") helps whoever fixes the URL.
        said = redact(" ".join(answer[:200].decode("utf-8", "replace").split()))
        said = "".join(ch for ch in said if ch.isprintable())
        detail = f"{host} answered HTTP {status}" + (f": {said}" if said else "")
        raise UpstreamError(f"{service} refused the post ({detail}).", status=status)
    logger.warning("%s POST to %s failed: %s", service, host, detail)
    raise UpstreamUnavailable(f"{service} could not be reached ({detail}).")
