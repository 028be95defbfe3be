"""Whether a saved Apiframe key looks like a key of the API chosen for it.

Apiframe's v2 keys start with `afk_` (shared/api/apiframe-v2.md); the original API's do not. That
is the vendor's habit, not a documented rule, so a key that does not fit is saved as chosen and
only warned about: the page says which API the key looks like, never refuses it.
"""

from django.views.decorators.debug import sensitive_variables

V2_PREFIX = "afk_"


@sensitive_variables("secret")
def other_api_warning(secret: str, api: str) -> str:
    """A sentence when the key looks like the other API's; "" when it fits the chosen one."""
    looks_v2 = secret.startswith(V2_PREFIX)
    if looks_v2 == (api == "v2"):
        return ""
    if looks_v2:
        return (
            f"Your Apiframe key starts with {V2_PREFIX}, like a key for the v2 API, but is saved "
            "for the original API (v1). If Apiframe rejects it, choose the v2 API below and "
            "save: the key is kept."
        )
    return (
        f"Your Apiframe key does not start with {V2_PREFIX}, like a key for the original API "
        "(v1), but is saved for the v2 API, whose keys do. If Apiframe rejects it, choose the "
        "original API below and save: the key is kept."
    )
