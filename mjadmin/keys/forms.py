import re
from typing import Any

from django import forms

from mjadmin.keys import kinds

SECRET_MIN_LENGTH = 8
SECRET_MAX_LENGTH = 512
# What vendors' keys and tokens are made of ("user:1234-…", base64, hex). Anything else (quotes,
# angle brackets, a semicolon) is a paste accident or an attack, never a key.
KEY_CHARACTERS = re.compile(r"[A-Za-z0-9\-_.:=+/~]+")


def validate_secret(value: str, label: str) -> str:
    # HTTP headers carry these values, so only visible ASCII is ever sensible; anything else is
    # a paste accident (a line break, a "Bearer " prefix, a smart quote) worth telling the user.
    if any(ch.isspace() for ch in value):
        raise forms.ValidationError(
            f"The {label} cannot contain spaces or line breaks. Paste the value only"
            ' (without "Bearer" or quotes).',
            code="whitespace",
        )
    if not KEY_CHARACTERS.fullmatch(value):
        raise forms.ValidationError(
            f"The {label} can only contain letters, digits and - _ . : = + / ~ (no quotes, "
            "brackets, control characters or accents).",
            code="charset",
        )
    if len(value) < SECRET_MIN_LENGTH:
        raise forms.ValidationError(
            f"That is too short for a {label} (at least {SECRET_MIN_LENGTH} characters).",
            code="too_short",
        )
    return value


class ApiSettingsForm(forms.Form):
    """Every vendor's key, write-only: blank keeps the stored value, the checkbox removes it. Its
    fields come from the key kinds the vendors register: `<field>`, `remove_<field>`,
    `<slug>_api` for a vendor with several APIs, and which key serves lookups."""

    def __init__(self, *args: Any, lookup_keys: tuple[str, ...] = (), **kwargs: Any) -> None:
        """`lookup_keys`: the kinds of the user's saved keys that look up tasks, of which they
        choose the one that serves their lookups."""
        super().__init__(*args, **kwargs)
        self.kinds = kinds.every()
        for kind in self.kinds:
            self.fields[kind.field] = forms.CharField(
                label=kind.label,
                required=False,
                max_length=SECRET_MAX_LENGTH,
                help_text=kind.help_text,
                widget=forms.PasswordInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            )
            self.fields[f"remove_{kind.field}"] = forms.BooleanField(
                label=f"Remove the saved {kind.label.split()[-1]}", required=False
            )
            if kind.apis:
                # Not sent (an older form): left as it is.
                self.fields[f"{kind.slug}_api"] = forms.ChoiceField(
                    label=f"Which {kind.legend.split(' (')[0]} API this key is for",
                    choices=kind.apis,
                    required=False,
                    widget=forms.RadioSelect,
                    help_text="Changing it keeps the saved key: no need to paste it again.",
                )
        lookups = [(k.slug, k.legend.split(" (")[0]) for k in self.kinds if k.slug in lookup_keys]
        self.fields["lookups_vendor"] = forms.ChoiceField(
            label="Your lookups on the Tasks page use",
            choices=lookups,
            required=False,
            widget=forms.RadioSelect,
            help_text="Each lookup keeps the vendor it was made with.",
        )

    def fieldsets(self) -> list[dict[str, Any]]:
        """Each vendor's fields together, for the template."""
        return [
            {
                "legend": kind.legend,
                "secret": self[kind.field],
                "api": self[f"{kind.slug}_api"] if kind.apis else None,
                "remove": self[f"remove_{kind.field}"],
            }
            for kind in self.kinds
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        # BaseForm.clean() returns cleaned_data; the stubs type it optional for overrides.
        cleaned = self.cleaned_data
        for kind in self.kinds:
            value = cleaned.get(kind.field)
            if value:
                try:
                    validate_secret(value, kind.label)
                except forms.ValidationError as exc:
                    self.add_error(kind.field, exc)
        if self.errors:
            # Password fields come back blank, so say plainly that the good one was not kept.
            raise forms.ValidationError(
                "Nothing was saved. Fix the field marked below, then enter every value you "
                "want to change again."
            )
        for kind in self.kinds:
            if cleaned.get(kind.field) and cleaned.get(f"remove_{kind.field}"):
                self.add_error(kind.field, "Either enter a new value or tick remove, not both.")
        return cleaned

    def changes(self) -> tuple[dict[str, str], list[str]]:
        """(secrets to save by kind slug, kind slugs to clear) from a valid form."""
        data = self.cleaned_data
        to_save = {k.slug: data[k.field] for k in self.kinds if data[k.field]}
        to_remove = [k.slug for k in self.kinds if data[f"remove_{k.field}"]]
        return to_save, to_remove

    def apis(self) -> dict[str, str]:
        """The API chosen for each kind that has several, by kind slug (when sent)."""
        chosen = ((k.slug, self.cleaned_data.get(f"{k.slug}_api")) for k in self.kinds)
        return {slug: api for slug, api in chosen if api}
