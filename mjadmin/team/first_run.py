"""The one-time link that lets whoever holds the console create the first admin."""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from mjadmin.team.models import SetupToken

LINK_LIFETIME = timedelta(hours=24)


def digest(token: str) -> str:
    """What is stored of a one-time link's token (here and for invitations): never the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def needs_setup() -> bool:
    return not get_user_model().objects.exists()


def issue_token() -> str:
    """A fresh token; any earlier link stops working so only the latest printed one counts."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        SetupToken.objects.all().delete()
        SetupToken.objects.create(digest=digest(token))
    return token


def _live(token: str) -> QuerySet[SetupToken]:
    cutoff = timezone.now() - LINK_LIFETIME
    return SetupToken.objects.filter(digest=digest(token), created_at__gte=cutoff)


def is_valid(token: str) -> bool:
    return needs_setup() and _live(token).exists()


def consume(token: str) -> bool:
    """Claim the token exactly once; call inside the transaction that creates the admin, so
    two browsers submitting at the same moment cannot both succeed."""
    deleted, _ = _live(token).delete()
    if not deleted or not needs_setup():
        return False
    SetupToken.objects.all().delete()
    return True
