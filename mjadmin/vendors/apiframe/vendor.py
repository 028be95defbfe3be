"""Apiframe as the registry knows it: its key (for one of its two APIs), and both APIs' lookups."""

from mjadmin.keys.kinds import KeyKind
from mjadmin.vendors.apiframe.apis import V1, V2
from mjadmin.vendors.apiframe.key_prefix import other_api_warning
from mjadmin.vendors.base import Vendor

KEY = KeyKind(
    slug="apiframe",
    label="Apiframe API key",
    field="apiframe_key",
    legend="Apiframe (Tasks page)",
    apis=(("v1", "The original API (v1)"), ("v2", "The v2 API (its keys start with afk_)")),
    looks_up_tasks=True,
    warn=other_api_warning,
)
VENDOR = Vendor(slug="apiframe", name="Apiframe", key=KEY, task_apis={"v1": V1, "v2": V2})
