"""Turning the project's own errors into a notice a user can act on."""

from dataclasses import dataclass

from django.urls import reverse

from accounts.credentials import CredentialProblem
from mjadmin import upstream


@dataclass(frozen=True)
class Problem:
    title: str
    message: str
    details: tuple[str, ...] = ()
    link_url: str = ""
    link_label: str = ""


def describe(exc: CredentialProblem | upstream.UpstreamError) -> Problem:
    settings_url = reverse("accounts:settings")
    if isinstance(exc, CredentialProblem):
        return Problem("API key needed", exc.message, (), settings_url, "Open Settings")
    if isinstance(exc, upstream.UpstreamAuthError):
        return Problem("Key rejected", exc.message, (), settings_url, "Open Settings")
    if isinstance(exc, upstream.UpstreamPaymentRequired):
        return Problem("Subscription needed", exc.message)
    if isinstance(exc, upstream.UpstreamNotFound):
        return Problem("Not found", exc.message)
    if isinstance(exc, upstream.UpstreamBadRequest):
        return Problem("Request refused", exc.summary, tuple(exc.details))
    return Problem("Service unavailable", exc.message)
