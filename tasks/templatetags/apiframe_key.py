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
    the page never waits for the vendor; its script asks when nothing is. A page that has read
    the key already (the Tasks form) passes it as `lookup_key`, None when there is none."""
    if "lookup_key" in context:
        key = context["lookup_key"]
    else:
        try:
            key = registry.lookup_key_of(context["user"])
        except CredentialProblem:
            key = None
    if key is None:
        return {"has_key": False}
    return {
        "has_key": True,
        "known": credits.cached(context["user"], key),
        "lists_jobs": key.api.jobs is not None,
        "vendor": key.api.vendor_name,
    }
