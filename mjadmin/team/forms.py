from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordMixin, UserCreationForm
from django.contrib.auth.models import User
from django.contrib.auth.validators import UnicodeUsernameValidator

from mjadmin.team import invitations
from mjadmin.team.models import AUTOMATIC_TIME_ZONE, Profile, time_zone_choices


class FirstAdminForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")


class InviteForm(forms.Form):
    username = forms.CharField(
        label="Username",
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="What your teammate will sign in with: letters, digits and @ . + - _ only.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label="Email (optional)",
        required=False,
        help_text="The link is emailed here too when the server has a mail server (EMAIL_URL).",
    )

    def clean_username(self) -> str:
        # As Django stores it (NFKC): "bob" typed in full-width letters is bob.
        username: str = get_user_model().normalize_username(self.cleaned_data["username"])
        existing = get_user_model().objects.filter(username__iexact=username).first()
        if existing is not None and not existing.is_active:
            raise forms.ValidationError(
                f"{existing.get_username()} is a deactivated teammate: reactivate them instead."
            )
        if existing is not None:
            raise forms.ValidationError(f"{existing.get_username()} is already a teammate.")
        if invitations.pending_for(username):
            raise forms.ValidationError(
                f"{username} already has an invitation waiting; revoke it first to make a new one."
            )
        return username


class JoinForm(SetPasswordMixin, forms.Form):
    """The invitee's password, checked by the same validators as every other password."""

    password1, password2 = SetPasswordMixin.create_password_fields()

    def __init__(self, username: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The password validators compare against the username, so give them one.
        self.user = get_user_model()(username=username)

    def clean(self) -> dict[str, Any]:
        self.validate_passwords()
        self.validate_password_for_user(self.user)
        return self.cleaned_data


class ProfileForm(forms.Form):
    email = forms.EmailField(label="Email", required=False)
    time_zone = forms.ChoiceField(
        label="Time zone",
        choices=time_zone_choices,
        # The empty choice is "Automatic", a choice like any other.
        required=False,
        help_text="Times across the app are shown in this zone. Automatic follows the browser "
        "you are using.",
    )

    def __init__(self, user: User, data: Any = None) -> None:
        profile = Profile.objects.filter(user=user).first()
        zone = profile.time_zone if profile else AUTOMATIC_TIME_ZONE
        initial = {"email": user.email, "time_zone": zone}
        super().__init__(data, initial=initial)
        self.user = user

    def save(self) -> Profile:
        self.user.email = self.cleaned_data["email"]
        self.user.save(update_fields=["email"])
        profile, _ = Profile.objects.update_or_create(
            user=self.user, defaults={"time_zone": self.cleaned_data["time_zone"]}
        )
        return profile
