from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from mjadmin.audit.log import record
from mjadmin.audit.models import Action
from mjadmin.keys import credentials
from mjadmin.keys.apiframe_key_prefix import other_api_warning
from mjadmin.keys.forms import ApiSettingsForm
from mjadmin.keys.models import ApiframeApi, Service
from mjadmin.team.auth import AuthenticatedHttpRequest


@sensitive_variables("secret")
def _looks_like_the_other_api(request: AuthenticatedHttpRequest) -> str:
    """After a save, whether the Apiframe key as now kept (new or not) looks like a key for the
    other API than the one chosen for it."""
    try:
        secret, api = credentials.get_secret_and_api(request.user, Service.APIFRAME)
    except credentials.CredentialProblem:
        return ""  # none saved, or unreadable: the Saved keys card says so
    return other_api_warning(secret, api)


@sensitive_post_parameters("useapi_token", "apiframe_key")
def api_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    saved = credentials.statuses(request.user)
    current = next((s.api for s in saved if s.service == Service.APIFRAME), ApiframeApi.V1)
    form = ApiSettingsForm(request.POST or None, initial={"apiframe_api": current})
    if request.method == "POST" and form.is_valid():
        to_save, to_remove = form.changes()
        api = form.cleaned_data["apiframe_api"] or None
        for service, secret in to_save.items():
            for_api = api if service == Service.APIFRAME else None
            credentials.save_secret(request.user, service, secret, api=for_api)
            record(Action.KEY_SAVED, subject=request.user.get_username(), detail=service.label)
        removed = [s for s in to_remove if credentials.remove_secret(request.user, s)]
        for service in removed:
            record(Action.KEY_REMOVED, subject=request.user.get_username(), detail=service.label)
        changed = [s.label for s in to_save] + [f"{s.label} removed" for s in removed]
        api_unsaved = False
        if api and api != current and Service.APIFRAME not in removed:
            # The choice is kept beside the key: with a new key, or on the saved one.
            said = f"Apiframe API: {ApiframeApi(api).label}"
            if Service.APIFRAME in to_save:
                changed.append(said)
            elif credentials.set_api(request.user, Service.APIFRAME, api):
                changed.append(said)
                record(Action.KEY_SAVED, subject=request.user.get_username(), detail=said)
            else:
                api_unsaved = True
        if api_unsaved:
            messages.warning(
                request,
                "The Apiframe API was not saved: it is kept with your Apiframe key, and none is "
                "saved yet. Paste the key, choose its API, then save.",
            )
        if changed:
            messages.success(request, "Saved: " + "; ".join(changed) + ".")
        elif not api_unsaved:
            messages.info(request, "Nothing changed: both fields were left blank.")
        if looks_other := _looks_like_the_other_api(request):
            messages.warning(request, looks_other)
        # Redirect so a reload never re-posts a secret.
        return redirect("keys:settings")
    return render(
        request,
        "keys/settings.html",
        {"form": form, "statuses": saved},
    )
