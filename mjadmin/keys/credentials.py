"""Reading and writing a user's stored API secrets; the only place that decrypts them. A secret is
named by its kind's slug ("useapi", "apiframe": mjadmin/keys/kinds.py)."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from mjadmin.encryption import UndecryptableSecret, decrypt, encrypt, mask_tail
from mjadmin.keys import kinds
from mjadmin.keys.models import ApiCredential


class CredentialProblem(Exception):
    """The user has no usable secret for a service; the message says what to do."""

    def __init__(self, service: str, message: str) -> None:
        super().__init__(message)
        self.service = service
        self.message = message


@dataclass(frozen=True)
class CredentialStatus:
    kind: kinds.KeyKind
    is_set: bool
    masked: str = ""
    saved_at: datetime | None = None
    unreadable: bool = False
    api: str = ""  # which of the vendor's APIs it is for (Apiframe has two)
    for_lookups: bool = False

    @property
    def service(self) -> str:
        return self.kind.slug

    @property
    def api_label(self) -> str:
        """For a saved key of a vendor with several APIs, which one it is for ("the original
        API (v1)")."""
        label = self.kind.api_label(self.api) if self.is_set else ""
        return label[:1].lower() + label[1:]


def _stored(user_id: int, service: str) -> tuple[str, str] | None:
    # Every page that calls a vendor asks for this, the cached Accounts page included: one
    # fixed statement, since building it through the ORM costs six times running it (0.15 ms
    # against 0.02 on SQLite), a tenth of a cached page.
    meta = ApiCredential._meta
    quote = connection.ops.quote_name
    columns = {f.name: quote(str(f.column)) for f in meta.concrete_fields}
    wanted = f"{columns['ciphertext']}, {columns['api']}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {wanted} FROM {quote(meta.db_table)} "  # noqa: S608
            f"WHERE {columns['user']} = %s AND {columns['service']} = %s",
            [user_id, service],
        )
        row = cursor.fetchone()
    return None if row is None else (str(row[0]), str(row[1]))


@sensitive_variables("secret")
def get_secret(user: User, service: str) -> str:
    secret, _api = get_secret_and_api(user, service)
    return secret


@sensitive_variables("secret")
def get_secret_and_api(user: User, service: str) -> tuple[str, str]:
    """The secret, and which of the vendor's APIs it is for ("" for a vendor with one)."""
    stored = _stored(user.pk, service)
    if stored is None:
        raise CredentialProblem(service, f"You have not saved your {kinds.of(service).label} yet.")
    ciphertext, api = stored
    return _decrypted(service, ciphertext), api


@sensitive_variables("secret")
def _decrypted(service: str, ciphertext: str) -> str:
    try:
        secret = decrypt(ciphertext)
    except UndecryptableSecret:
        raise CredentialProblem(
            service,
            f"Your saved {kinds.of(service).label} can no longer be decrypted. Re-enter this "
            "token.",
        ) from None
    return secret


@sensitive_variables("secret")
def save_secret(user: User, service: str, secret: str, api: str | None = None) -> None:
    """Store the secret; `api` says which of the vendor's APIs it is for (None: as before,
    else the vendor's first). A user's first key that can look up tasks serves their lookups."""
    fields: dict[str, object] = {"ciphertext": encrypt(secret), "saved_at": timezone.now()}
    kind = kinds.of(service)
    create_defaults = {**fields, "api": kind.default_api if api is None else api}
    if api is not None:
        fields["api"] = api
    if kind.looks_up_tasks:
        create_defaults["for_lookups"] = not _lookups_key_exists(user)
    ApiCredential.objects.update_or_create(
        user=user, service=service, defaults=fields, create_defaults=create_defaults
    )


def _lookups_key_exists(user: User) -> bool:
    return ApiCredential.objects.filter(user=user, for_lookups=True).exists()


def use_for_lookups(user: User, service: str) -> bool:
    """Make the user's saved key of `service` the one their lookups use; whether anything
    changed (False too when no such key is saved)."""
    with transaction.atomic():
        chosen = ApiCredential.objects.filter(user=user, service=service)
        if not chosen.exists() or chosen.filter(for_lookups=True).exists():
            return False
        ApiCredential.objects.filter(user=user).exclude(service=service).update(for_lookups=False)
        chosen.update(for_lookups=True)
    return True


@sensitive_variables("secret")
def lookups_secret(user: User, candidates: list[str]) -> tuple[str, str, str] | None:
    """The key that serves the user's lookups, as (its kind, the secret, the API it is for): the
    one they chose, else the first saved of `candidates` (the vendors that look up tasks, in the
    registry's order); None when they saved none. One query: every page that looks up asks."""
    saved = {
        service: (ciphertext, api, for_lookups)
        for service, ciphertext, api, for_lookups in ApiCredential.objects.filter(
            user=user, service__in=candidates
        ).values_list("service", "ciphertext", "api", "for_lookups")
    }
    chosen = next((s for s, (_c, _a, for_lookups) in saved.items() if for_lookups), None)
    service = chosen or next((s for s in candidates if s in saved), None)
    if service is None:
        return None
    ciphertext, api, _for_lookups = saved[service]
    return service, _decrypted(service, ciphertext), api


def set_api(user: User, service: str, api: str) -> bool:
    """Say which of the vendor's APIs the saved secret is for, keeping the secret; whether
    anything changed (False too when no secret is saved)."""
    changed = ApiCredential.objects.filter(user=user, service=service).exclude(api=api)
    return changed.update(api=api) > 0


def has_secret(user: User, service: str) -> bool:
    return ApiCredential.objects.filter(user=user, service=service).exists()


def remove_secret(user: User, service: str) -> bool:
    """Remove the saved key; if it served the user's lookups, the next of their keys that looks
    up tasks (in the vendors' order) serves them now, and says so on Settings."""
    with transaction.atomic():
        removed = ApiCredential.objects.filter(user=user, service=service)
        served_lookups = removed.filter(for_lookups=True).exists()
        deleted, _ = removed.delete()
        if served_lookups:
            looking_up = [k.slug for k in kinds.every() if k.looks_up_tasks]
            left = set(
                ApiCredential.objects.filter(user=user, service__in=looking_up).values_list(
                    "service", flat=True
                )
            )
            following = next((slug for slug in looking_up if slug in left), None)
            if following is not None:
                chosen = ApiCredential.objects.filter(user=user, service=following)
                chosen.update(for_lookups=True)
    return bool(deleted)


@sensitive_variables("secret")
def statuses(user: User) -> list[CredentialStatus]:
    stored = {c.service: c for c in ApiCredential.objects.filter(user=user)}
    result = []
    for kind in kinds.every():
        credential = stored.get(kind.slug)
        if credential is None:
            result.append(CredentialStatus(kind, is_set=False, api=kind.default_api))
            continue
        try:
            secret = decrypt(credential.ciphertext)
        except UndecryptableSecret:
            # Which API it was for still stands: Settings keeps offering the one chosen.
            result.append(
                CredentialStatus(
                    kind,
                    True,
                    saved_at=credential.saved_at,
                    unreadable=True,
                    api=credential.api,
                    for_lookups=credential.for_lookups,
                )
            )
            continue
        masked = mask_tail(secret)
        result.append(
            CredentialStatus(
                kind,
                True,
                masked,
                credential.saved_at,
                api=credential.api,
                for_lookups=credential.for_lookups,
            )
        )
    return result


def saved_by_user(user_ids: list[int]) -> dict[int, dict[str, bool]]:
    """For each user, whether they have saved each kind of key (by its label): never the key,
    not even its mask. One query for the whole team."""
    saved: dict[int, set[str]] = {user_id: set() for user_id in user_ids}
    for user_id, service in ApiCredential.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "service"
    ):
        saved[user_id].add(service)
    every = kinds.every()
    return {user_id: {k.label: k.slug in got for k in every} for user_id, got in saved.items()}
