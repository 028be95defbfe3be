"""Reading and writing a user's stored API secrets; the only place that decrypts them."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from mjadmin.encryption import UndecryptableSecret, decrypt, encrypt, mask_tail
from mjadmin.keys.models import ApiCredential, ApiframeApi, Service


class CredentialProblem(Exception):
    """The user has no usable secret for a service; the message says what to do."""

    def __init__(self, service: Service, message: str) -> None:
        super().__init__(message)
        self.service = service
        self.message = message


@dataclass(frozen=True)
class CredentialStatus:
    service: Service
    is_set: bool
    masked: str = ""
    saved_at: datetime | None = None
    unreadable: bool = False
    api: str = ApiframeApi.V1  # which of the vendor's APIs it is for (Apiframe has two)

    @property
    def api_label(self) -> str:
        """For a saved Apiframe key, which API it is for ("the original API (v1)")."""
        if self.service != Service.APIFRAME or not self.is_set:
            return ""
        label = str(ApiframeApi(self.api).label)
        return label[:1].lower() + label[1:]


def _stored(user_id: int, service: Service) -> tuple[str, str] | None:
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
            [user_id, service.value],
        )
        row = cursor.fetchone()
    return None if row is None else (str(row[0]), str(row[1]))


@sensitive_variables("secret")
def get_secret(user: User, service: Service) -> str:
    secret, _api = get_secret_and_api(user, service)
    return secret


@sensitive_variables("secret")
def get_secret_and_api(user: User, service: Service) -> tuple[str, str]:
    """The secret, and which of the vendor's APIs it is for (an ApiframeApi value)."""
    stored = _stored(user.pk, service)
    if stored is None:
        raise CredentialProblem(service, f"You have not saved your {service.label} yet.")
    ciphertext, api = stored
    try:
        secret = decrypt(ciphertext)
    except UndecryptableSecret:
        raise CredentialProblem(
            service,
            f"Your saved {service.label} can no longer be decrypted. Re-enter this token.",
        ) from None
    return secret, api


@sensitive_variables("secret")
def save_secret(user: User, service: Service, secret: str, api: str | None = None) -> None:
    """Store the secret; `api` says which of the vendor's APIs it is for (None: as before,
    else the first, v1)."""
    fields: dict[str, object] = {"ciphertext": encrypt(secret), "saved_at": timezone.now()}
    if api is not None:
        fields["api"] = api
    ApiCredential.objects.update_or_create(user=user, service=service, defaults=fields)


def set_api(user: User, service: Service, api: str) -> bool:
    """Say which of the vendor's APIs the saved secret is for, keeping the secret; whether
    anything changed (False too when no secret is saved)."""
    changed = ApiCredential.objects.filter(user=user, service=service).exclude(api=api)
    return changed.update(api=api) > 0


def has_secret(user: User, service: Service) -> bool:
    return ApiCredential.objects.filter(user=user, service=service).exists()


def remove_secret(user: User, service: Service) -> bool:
    deleted, _ = ApiCredential.objects.filter(user=user, service=service).delete()
    return bool(deleted)


@sensitive_variables("secret")
def statuses(user: User) -> list[CredentialStatus]:
    stored = {c.service: c for c in ApiCredential.objects.filter(user=user)}
    result = []
    for service in Service:
        credential = stored.get(service.value)
        if credential is None:
            result.append(CredentialStatus(service, is_set=False))
            continue
        try:
            secret = decrypt(credential.ciphertext)
        except UndecryptableSecret:
            # Which API it was for still stands: Settings keeps offering the one chosen.
            result.append(
                CredentialStatus(
                    service,
                    True,
                    saved_at=credential.saved_at,
                    unreadable=True,
                    api=credential.api,
                )
            )
            continue
        masked = mask_tail(secret)
        result.append(
            CredentialStatus(service, True, masked, credential.saved_at, api=credential.api)
        )
    return result
