"""`{% apiframe_key_box %}`: the signed-in teammate's Apiframe key as the Tasks and Settings pages
show it beside their forms: its credits and plan (tasks/credits.py) and, for a v2 key, the way
to its Recent jobs."""

from typing import Any

from django import template
from django.views.decorators.debug import sensitive_variables

from mjadmin.keys.credentials import CredentialProblem
from mjadmin.vendors import registry
from tasks import credits

register = template.Library()


@register.inclusion_tag("tasks/_key_account.html", takes_context=True)
@sensitive_variables("key")
def apiframe_key_box(context: template.Context) -> dict[str, Any]:
    """Nothing without a key (each page says so in its own way). Only what is cached is shown:
    the page never waits for Apiframe; its script asks when nothing is."""
    try:
        key = registry.lookup_key_of(context["user"])
    except CredentialProblem:
        return {"has_key": False}
    return {
        "has_key": True,
        "known": credits.cached(context["user"], key),
        "lists_jobs": key.api.jobs is not None,
        "vendor": key.api.vendor_name,
    }
