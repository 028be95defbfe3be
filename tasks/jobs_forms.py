"""The Recent jobs page's forms: which jobs to list, and a listed page to look up."""

from typing import Any

from django import forms

from mjadmin.text import printable
from mjadmin.vendors.task_ids import UUID
from tasks import statuses
from tasks.ids import find_ids

# The statuses a job list is filtered by, as the app names and shows them (tasks/statuses.py);
# the vendor's own name for each is what it is asked for (its JobsList.statuses).
FILTERED = (
    statuses.FINISHED,
    statuses.RUNNING,
    statuses.PENDING,
    statuses.FAILED,
    statuses.CANCELLED,
)
# Jobs one look-up takes at most: a vendor's listed page (Apiframe v2 lists up to 100).
LIST_MAX = 100
# A cursor is the vendor's own opaque text and goes into this app's addresses: a longer one, or
# one with control characters, is not one to send back.
CURSOR_MAX = 1_000
EXAMPLE_ID = "29e983ca-7e86-4017-a9e3-ef6fe9cd5f2a"


def _status_choices() -> list[tuple[str, str]]:
    shown = [
        (state, f"{statuses.BADGES[state].symbol} {statuses.State(state).label}")
        for state in FILTERED
    ]
    return [("", "every status"), *shown]


class JobsFilterForm(forms.Form):
    """Read from the address (a GET form): a bad value is an error beside its field, and the
    text typed stays in it."""

    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=_status_choices,
        error_messages={"invalid_choice": "Choose a status from the list."},
    )
    job = forms.CharField(
        label="Job ID",
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "placeholder": EXAMPLE_ID}
        ),
    )
    # Where the vendor's next page starts: its own text, put in the Next link's address.
    cursor = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)

    def clean_job(self) -> str:
        """The one job ID in whatever was pasted (an address, a log line), as the Tasks page
        finds IDs; the same ID twice is still one."""
        typed = printable(self.cleaned_data["job"]).strip()
        if not typed:
            return ""
        # v2's jobs are UUIDs: a long number the Tasks page would take is no job's ID.
        found = [i for i in find_ids(typed).ids if UUID.fullmatch(i)]
        if not found:
            raise forms.ValidationError(
                f"No job ID in that text: a job ID is a UUID, like {EXAMPLE_ID}. Paste one "
                "whole (alone, or in an address or a log line), or leave this blank to list "
                "every job.",
                code="not_a_job_id",
            )
        if len(found) > 1:
            raise forms.ValidationError(
                f"That text holds {len(found)} different job IDs; search for one at a time. "
                "To see them all together, paste the text on the Tasks page instead.",
                code="several_job_ids",
            )
        return found[0]

    def clean_cursor(self) -> str:
        cursor: str = self.cleaned_data["cursor"]
        if cursor and not (len(cursor) <= CURSOR_MAX and cursor.isprintable()):
            raise forms.ValidationError("Not a page the vendor gave.", code="bad_cursor")
        return cursor

    def status_for(self, vendor_statuses: dict[str, str]) -> str | None:
        """The status asked of the vendor (its own name), if one was chosen."""
        return vendor_statuses.get(self.cleaned_data.get("status") or "")

    def filters(self) -> dict[str, str]:
        """The valid filters, for an address that shows the same list again."""
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}


class LookUpJobsForm(forms.Form):
    """A listed page of jobs, in the order listed, to be saved as a lookup."""

    id = forms.Field(widget=forms.MultipleHiddenInput, required=False)

    def clean_id(self) -> list[str]:
        ids: Any = self.cleaned_data["id"]
        if not isinstance(ids, list) or not ids:
            raise forms.ValidationError("No jobs to look up: list some first.", code="none")
        if len(ids) > LIST_MAX:
            raise forms.ValidationError(f"At most {LIST_MAX} jobs at once.", code="too_many")
        if not all(isinstance(i, str) and UUID.fullmatch(i) for i in ids):
            raise forms.ValidationError("Those are not the listed job IDs.", code="not_ids")
        return [str(i).lower() for i in ids]
