"""The kinds of key a teammate can save, one per vendor: registered by the vendors' folders
(mjadmin/vendors/*/vendor.py) when the app starts, so the keys app knows each kind's label, form
field and APIs without knowing any vendor."""

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as attribute

# A sentence when a saved key looks wrong for the API chosen for it ("" when it fits).
Warning = Callable[[str, str], str]


@dataclass(frozen=True)
class KeyKind:
    slug: str  # stored with each key (ApiCredential.service): "apiframe"
    label: str  # "Apiframe API key"
    # The Settings form's field for it ("apiframe_key"); `remove_<field>` clears it.
    field: str
    # The fieldset's legend on Settings: the vendor and what its key serves.
    legend: str
    # Which of the vendor's APIs a key may be for, (value, label) with the default first; empty
    # when the vendor has one API.
    apis: tuple[tuple[str, str], ...] = ()
    # Whether a key of this kind can serve its owner's task lookups.
    looks_up_tasks: bool = False
    help_text: str = ""
    warn: Warning | None = attribute(default=None, compare=False)

    @property
    def default_api(self) -> str:
        return self.apis[0][0] if self.apis else ""

    def api_label(self, api: str) -> str:
        return dict(self.apis).get(api, "")


_KINDS: dict[str, KeyKind] = {}


def register(kind: KeyKind) -> None:
    _KINDS[kind.slug] = kind


def every() -> list[KeyKind]:
    """In the order the vendors registered them (the registry's order)."""
    return list(_KINDS.values())


def of(slug: str) -> KeyKind:
    """The kind stored as `slug`; one no vendor registers (a vendor removed since) is shown by
    its stored name."""
    return _KINDS.get(slug) or KeyKind(slug, f"{slug} key", f"{slug}_key", slug)
