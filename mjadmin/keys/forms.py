import re
from typing import Any

from django import forms

from mjadmin.keys.models import ApiframeApi, Service

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
    """Two write-only secrets: blank keeps the stored value, the checkbox removes it."""

    useapi_token = forms.CharField(
        label=Service.USEAPI.label,
        required=False,
        max_length=SECRET_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    remove_useapi_token = forms.BooleanField(label="Remove the saved token", required=False)
    apiframe_key = forms.CharField(
        label=Service.APIFRAME.label,
        required=False,
        max_length=SECRET_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    remove_apiframe_key = forms.BooleanField(label="Remove the saved key", required=False)
    # Which of Apiframe's APIs the key is for; not sent (an older form): left as it is.
    apiframe_api = forms.ChoiceField(
        label="Which Apiframe API this key is for",
        choices=ApiframeApi.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text="Changing it keeps the saved key: no need to paste it again.",
    )

    def _clean_secret(self, service: Service) -> str:
        value = self.cleaned_data[service.value]
        return validate_secret(value, service.label) if value else ""

    def clean_useapi_token(self) -> str:
        return self._clean_secret(Service.USEAPI)

    def clean_apiframe_key(self) -> str:
        return self._clean_secret(Service.APIFRAME)

    def clean(self) -> dict[str, Any]:
        super().clean()
        # BaseForm.clean() returns cleaned_data; the stubs type it optional for overrides.
        cleaned = self.cleaned_data
        if self.errors:
            # Password fields come back blank, so say plainly that the good one was not kept.
            raise forms.ValidationError(
                "Nothing was saved. Fix the field marked below, then enter every value you "
                "want to change again."
            )
        for service in Service:
            if cleaned.get(service.value) and cleaned.get(f"remove_{service.value}"):
                self.add_error(service.value, "Either enter a new value or tick remove, not both.")
        return cleaned

    def changes(self) -> tuple[dict[Service, str], list[Service]]:
        """(secrets to save, services to clear) from a valid form."""
        to_save = {s: self.cleaned_data[s.value] for s in Service if self.cleaned_data[s.value]}
        to_remove = [s for s in Service if self.cleaned_data[f"remove_{s.value}"]]
        return to_save, to_remove
