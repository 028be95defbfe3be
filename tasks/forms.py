from typing import Any

from django import forms
from django.conf import settings

from mjadmin.text import printable
from mjadmin.vendors.task_ids import IdShape
from tasks.ids import ANY_VENDOR, FoundIds, find_ids
from tasks.models import NAME_MAX


class LookupForm(forms.Form):
    ids = forms.CharField(
        label="Task IDs",
        widget=forms.Textarea(
            attrs={
                "rows": 10,
                "spellcheck": "false",
                "autocomplete": "off",
                "placeholder": (
                    "29e983ca-7e86-4017-a9e3-ef6fe9cd5f2a\n71cfa6bd-f0d2-4f0c-b11d-56f256fc55a4"
                ),
            }
        ),
        strip=False,
        error_messages={"required": "Paste at least one task ID."},
        help_text=(
            "One per line, or separated by spaces or commas. Pasting JSON, log lines or URLs "
            "works too: the IDs are picked out of them. Up to {max} IDs per lookup, from up to "
            "{chars} characters of text."
        ),
    )

    name = forms.CharField(
        label="Name (optional)",
        max_length=NAME_MAX,
        required=False,
        help_text="To find this lookup again in the history, e.g. “Friday's product shots”.",
    )

    def __init__(self, *args: Any, id_shape: IdShape | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # What the viewer's vendor's ids look like (midjourney-proxy's are 16-digit numbers).
        self.id_shape = id_shape or ANY_VENDOR
        field = self.fields["ids"]
        field.help_text = field.help_text.format(
            max=f"{settings.TASKS_MAX_IDS:,}", chars=f"{settings.TASKS_PASTE_CHARS:,}"
        )
        # The page's script refuses a longer paste before sending it, keeping it in the box.
        field.widget.attrs["data-max-chars"] = str(settings.TASKS_PASTE_CHARS)

    def clean_name(self) -> str:
        return clean_name(self.cleaned_data["name"])

    def clean_ids(self) -> FoundIds:
        text = self.cleaned_data["ids"]
        # A whole log may be pasted. Checked here and by the page's script, never by a maxlength
        # attribute, which would make the browser cut a long paste without a word.
        limit = settings.TASKS_PASTE_CHARS
        if len(text) > limit:
            raise forms.ValidationError(
                f"That text is {len(text):,} characters long; one lookup reads at most "
                f"{limit:,}. Paste it in parts.",
                code="too_long",
            )
        found = find_ids(text, self.id_shape)
        if not found.ids:
            raise forms.ValidationError(
                f"No task ID found in that text. Task IDs look like {self.id_shape.example}.",
                code="no_ids",
            )
        limit = settings.TASKS_MAX_IDS
        if len(found.ids) > limit:
            raise forms.ValidationError(
                f"Found {len(found.ids):,} different task IDs; one lookup takes at most {limit:,}. "
                "Split the list and look them up in parts.",
                code="too_many",
            )
        return found


def clean_name(typed: str) -> str:
    # Shown in the history to the whole team: no control or direction-changing characters.
    return printable(typed).strip()


class NameForm(forms.Form):
    name = forms.CharField(label="Name", max_length=NAME_MAX, required=False)

    def clean_name(self) -> str:
        return clean_name(self.cleaned_data["name"])
