"""The one module that talks HTTP to third parties.

Every failure leaves here as an UpstreamError whose message a user can act on. Credentials are
passed per request, never kept on the shared session, and never logged (only method, path,
status and duration are).
"""

import json
import logging
import threading
import time
from typing import Any
from urllib.parse import urlparse

import requests
from django.conf import settings
from django.views.decorators.debug import sensitive_variables
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ReadTimeoutError
from urllib3.util.retry import Retry

logger = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({502, 503, 504})


class UpstreamError(Exception):
    # The notice's heading (see mjadmin/problems.py); a client may add a page that helps.
    title = "Service unavailable"

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


def _session() -> requests.Session:
    # One pooled session per thread: requests.Session is not documented as thread-safe.
    session = getattr(_local, "session", None)
    if session is None:
        session = requests.Session()
        retry = Retry(
            total=2,
            connect=2,
            read=0,
            status=2,
            other=0,
            redirect=0,
            allowed_methods=None,  # the calls we make are reads, POST included
            status_forcelist=RETRY_STATUSES,
            backoff_factor=0.2,
            raise_on_status=False,
            # An upstream's Retry-After could hold a worker far past UPSTREAM_TIMEOUT.
            respect_retry_after_header=False,
        )
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=8, max_retries=retry)
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


def _read_capped(response: requests.Response, service: str) -> bytes:
    limit = settings.UPSTREAM_MAX_RESPONSE_BYTES
    body = bytearray()
    for chunk in response.iter_content(chunk_size=64 * 1024):
        body += chunk
        if len(body) > limit:
            response.close()
            raise _unavailable(service, f"its answer was larger than {limit // 1024 // 1024} MB")
    return bytes(body)


def _error_texts(payload: Any) -> list[str]:
    """The vendor's own words: Apiframe's errors[].msg, useapi's error/errorDetails."""
    if not isinstance(payload, dict):
        return []
    texts = []
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


@sensitive_variables("authorization")
def request_json(
    method: str,
    url: str,
    *,
    service: str,
    credential: str,
    authorization: str,
    json_body: Any = None,
) -> Any:
    """Send one request and return its parsed JSON body, or raise an UpstreamError.

    `service` ("useapi.net") and `credential` ("token") only shape the messages.
    """
    status, body = _send(method, url, service, authorization, json_body)
    return _classify(status, body, service, credential)


@sensitive_variables("authorization")
def _send(
    method: str, url: str, service: str, authorization: str, json_body: Any
) -> tuple[int, bytes]:
    """The status and the whole (capped) body, or an UpstreamError when none arrived."""
    timeout = settings.UPSTREAM_TIMEOUT
    parts = urlparse(url)
    path = parts.path
    started = time.monotonic()
    try:
        response = _session().request(
            method,
            url,
            headers={"Authorization": authorization},
            json=json_body,
            timeout=(timeout, timeout),
            allow_redirects=False,
            stream=True,
        )
        with response:
            body = _read_capped(response, service)
    except requests.Timeout:
        raise _failed(service, method, path, f"no answer within {timeout:g} s") from None
    except requests.ConnectionError as exc:
        # With retries configured, urllib3 reports a read timeout as MaxRetryError, which
        # requests turns into a ConnectionError; tell the two apart for the user.
        reason = getattr(exc.args[0] if exc.args else None, "reason", None)
        if isinstance(reason, ReadTimeoutError):
            raise _failed(service, method, path, f"no answer within {timeout:g} s") from None
        # Usually this server's own network (DNS, firewall, proxy), so name the host.
        raise _failed(
            service, method, path, f"could not connect to {parts.hostname}", cannot_reach=True
        ) from None
    except requests.RequestException:
        raise _failed(service, method, path, "the request failed") from None
    elapsed_ms = (time.monotonic() - started) * 1000
    logger.info("%s %s %s -> %s in %d ms", service, method, path, response.status_code, elapsed_ms)
    return response.status_code, body


def _classify(status: int, body: bytes, service: str, credential: str) -> Any:
    """The parsed JSON of a 2xx answer; any other answer as the matching UpstreamError."""
    try:
        payload = json.loads(body) if body.strip() else None
    except ValueError:
        payload = None

    if 200 <= status < 300:
        if payload is None:
            raise _unavailable(service, "it answered with something other than JSON", status)
        return payload
    texts = _error_texts(payload)
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
        raise UpstreamNotFound(texts[0] if texts else f"{service} found nothing.", status=status)
    if 400 <= status < 500 and status != 429:
        raise UpstreamBadRequest(
            f"{service} refused the request: " + ("; ".join(texts) or f"HTTP {status}") + ".",
            texts,
            summary=f"{service} refused the request (HTTP {status}).",
            status=status,
        )
    if 300 <= status < 400:
        raise _unavailable(service, f"it answered with a redirect, HTTP {status}", status)
    raise _unavailable(service, f"HTTP {status}", status)
