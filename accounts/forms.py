"""The forms that change Midjourney accounts at useapi.net. Two steps each: maxJobs first, then
a confirmation page where the Discord token is typed, so the token is sent the moment it is
confirmed and never has to be carried from one page to the next."""

from typing import Any

from django import forms

from mjadmin.keys.forms import SECRET_MAX_LENGTH, validate_secret
from mjadmin.vendors.useapi.client import MAX_JOBS_RANGE, mask_discord_token

LOW, HIGH = MAX_JOBS_RANGE
# Beside the token field whenever the form comes back: a password field is never refilled.
NOT_KEPT = "For your safety the Discord token is never kept: type it again to try again."
# Said for every way a maxJobs can be wrong (missing, not a number, out of range): Django's
# "Ensure this value is less than or equal to 15." says neither the range nor why it is that.
MAX_JOBS_RANGE_MESSAGE = (
    f"maxJobs is a whole number from {LOW} to {HIGH}: useapi.net allows at most 3 jobs at once "
    f"on Midjourney's Basic and Standard plans, and {HIGH} on Pro and Mega."
)
MAX_JOBS_ERRORS = {
    code: MAX_JOBS_RANGE_MESSAGE for code in ("required", "invalid", "min_value", "max_value")
}


class MaxJobsForm(forms.Form):
    max_jobs = forms.IntegerField(
        label="maxJobs",
        min_value=LOW,
        max_value=HIGH,
        initial=3,
        error_messages=MAX_JOBS_ERRORS,
        help_text=(
            f"How many jobs useapi.net may run on the account at once, {LOW} to {HIGH}: at most "
            "3 on Midjourney's Basic and Standard plans, 15 on Pro and Mega. More than the plan "
            "allows stops the account from working."
        ),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class DiscordTokenForm(forms.Form):
    """The confirmation: maxJobs as chosen on the step before, and the token, typed here."""

    max_jobs = forms.IntegerField(min_value=LOW, max_value=HIGH, widget=forms.HiddenInput)
    discord_token = forms.CharField(
        label="Discord token",
        max_length=SECRET_MAX_LENGTH,
        strip=True,
        # render_value=False (the default) is the point: a re-shown form is never refilled.
        widget=forms.PasswordInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "aria-describedby": "id_discord_token_helptext",
            }
        ),
    )

    def __init__(self, *args: Any, expected_mask: str = "", channel: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        # What useapi.net shows of the account's own token ("MTE…q9A"), when a change is
        # meant for one account: a token that does not match it is for another account.
        self.expected_mask = expected_mask
        self.channel = channel

    def clean_discord_token(self) -> str:
        value: str = validate_secret(self.cleaned_data["discord_token"], "Discord token")
        expected = self.expected_mask
        # Only a mask that shows both ends can be compared; "•••" or none says nothing.
        if "…" in expected and mask_discord_token(value) != expected:
            raise forms.ValidationError(
                f"That is not the Discord token of account {self.channel}: useapi.net shows "
                f"its token as {expected}. Nothing was sent.",
                code="other_account",
            )
        return value
