"""The one place that turns the project's own errors into a notice a user can act on."""

from dataclasses import dataclass

from django.urls import reverse

from mjadmin import upstream
from mjadmin.keys.credentials import CredentialProblem


@dataclass(frozen=True)
class Problem:
    title: str
    message: str
    details: tuple[str, ...] = ()
    link_url: str = ""
    link_label: str = ""


def describe(exc: CredentialProblem | upstream.UpstreamError) -> Problem:
    # Both of these are fixed on the Settings page, so the notice links there.
    if isinstance(exc, CredentialProblem):
        return Problem("API key needed", exc.message, (), reverse("keys:settings"), "Open Settings")
    if isinstance(exc, upstream.UpstreamAuthError):
        return Problem(exc.title, exc.message, (), reverse("keys:settings"), "Open Settings")
    if isinstance(exc, upstream.UpstreamBadRequest):
        # The vendor's own words are listed beneath a message that does not repeat them.
        return Problem(exc.title, exc.summary, tuple(exc.details))
    return Problem(exc.title, exc.message, (), exc.help_url, exc.help_label)
