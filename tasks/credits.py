"""A key's credits and plan as the Tasks and Settings pages show them: asked of its vendor within a
few seconds, and kept a minute in the shared cache, so that every process and page load reuses
one answer.

The pages never wait for the vendor themselves: they show what is cached, or leave a place that
their script fills from tasks:key_account (which asks). A slow or failing `/account` can then
never hold up the paste form.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.core.cache import cache
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from mjadmin import upstream
from mjadmin.vendors.base import VendorKey
from mjadmin.vendors.records import KeyAccount

# Seconds the vendor has to answer: the figures are a side note, never worth a long wait.
ASK_SECONDS = 3.0
# How long an answer is reused; a failure is asked again sooner.
CACHE_SECONDS = 60
UNSAID_CACHE_SECONDS = 15


def not_said(vendor: str) -> str:
    return f"{vendor} does not say this key's credits or plan."


@dataclass(frozen=True)
class Known:
    """What the vendor said of a key's account, or why it said nothing (`unsaid`)."""

    account: KeyAccount | None
    asked_at: datetime
    unsaid: str = ""


@sensitive_variables("key")
def _cache_key(user_id: int, key: VendorKey) -> str:
    # Per user, key and API: a new key, or the same key said to be for the other API, is never
    # shown the figures of the one before. The key itself is never part of a cache key.
    fingerprint = hashlib.sha256(f"{key.api.choice}\0{key.secret}".encode()).hexdigest()[:16]
    return f"tasks:key-account:{user_id}:{fingerprint}"


@sensitive_variables("key")
def cached(user: User, key: VendorKey) -> Known | None:
    """What is known without asking the vendor."""
    hit = cache.get(_cache_key(user.pk, key))
    return hit if isinstance(hit, Known) else None


@sensitive_variables("key")
def load(user: User, key: VendorKey) -> Known:
    """What is cached, else the vendor's answer within ASK_SECONDS (then cached)."""
    hit = cached(user, key)
    if hit is not None:
        return hit
    known = _ask(key)
    seconds = UNSAID_CACHE_SECONDS if known.account is None else CACHE_SECONDS
    cache.set(_cache_key(user.pk, key), known, seconds)
    return known


@sensitive_variables("key")
def _ask(key: VendorKey) -> Known:
    now = timezone.now()
    vendor = key.api.vendor_name
    try:
        with upstream.page_deadline(ASK_SECONDS):
            return Known(key.api.account(key.secret), now)
    except upstream.UpstreamNotFound:
        # Not every vendor (nor every deployment of Apiframe's original API) says it.
        return Known(None, now, not_said(vendor))
    except upstream.UpstreamAuthError:
        return Known(
            None, now, f"{vendor} rejected this key, so it says nothing of its credits or plan."
        )
    except upstream.UpstreamError as exc:
        return Known(None, now, f"{vendor} did not say this key's credits or plan: {exc.message}")
