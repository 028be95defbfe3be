from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters

from mjadmin.audit.log import record
from mjadmin.audit.models import Action
from mjadmin.keys import credentials
from mjadmin.keys.forms import ApiSettingsForm
from mjadmin.team.auth import AuthenticatedHttpRequest


@sensitive_post_parameters("useapi_token", "apiframe_key")
def api_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ApiSettingsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        to_save, to_remove = form.changes()
        for service, secret in to_save.items():
            credentials.save_secret(request.user, service, secret)
            record(Action.KEY_SAVED, subject=request.user.get_username(), detail=service.label)
        removed = [s for s in to_remove if credentials.remove_secret(request.user, s)]
        for service in removed:
            record(Action.KEY_REMOVED, subject=request.user.get_username(), detail=service.label)
        changed = [s.label for s in to_save] + [f"{s.label} removed" for s in removed]
        if changed:
            messages.success(request, "Saved: " + "; ".join(changed) + ".")
        else:
            messages.info(request, "Nothing changed: both fields were left blank.")
        # Redirect so a reload never re-posts a secret.
        return redirect("keys:settings")
    return render(
        request,
        "keys/settings.html",
        {"form": form, "statuses": credentials.statuses(request.user)},
    )
