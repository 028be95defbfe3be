from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from mjadmin.audit.log import record
from mjadmin.keys import credentials, kinds
from mjadmin.keys.forms import ApiSettingsForm
from mjadmin.team.auth import AuthenticatedHttpRequest


@sensitive_variables("secret")
def _warnings(request: AuthenticatedHttpRequest) -> list[str]:
    """After a save, what each kept key (new or not) looks wrong for: a key that looks like a
    key for another of its vendor's APIs than the one chosen, say."""
    said = []
    for kind in kinds.every():
        if kind.warn is None:
            continue
        try:
            secret, api = credentials.get_secret_and_api(request.user, kind.slug)
        except credentials.CredentialProblem:
            continue  # none saved, or unreadable: the Saved keys card says so
        if warning := kind.warn(secret, api):
            said.append(warning)
    return said


def _save_apis(
    request: AuthenticatedHttpRequest,
    form: ApiSettingsForm,
    current: dict[str, str],
    saved: set[str],
    removed: set[str],
) -> tuple[list[str], list[str]]:
    """The APIs chosen for saved keys (kept beside each key): what changed, and the vendors
    whose choice could not be kept because no key of theirs is saved."""
    changed, unsaved = [], []
    for slug, api in form.apis().items():
        if api == current.get(slug) or slug in removed:
            continue
        kind = kinds.of(slug)
        said = f"{kind.legend.split(' (')[0]} API: {kind.api_label(api)}"
        if slug in saved:
            changed.append(said)
        elif credentials.set_api(request.user, slug, api):
            changed.append(said)
            record("key_saved", subject=request.user.get_username(), detail=said)
        else:
            unsaved.append(kind.legend.split(" (")[0])
    return changed, unsaved


@sensitive_post_parameters()
def api_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    statuses = credentials.statuses(request.user)
    current = {s.service: s.api for s in statuses}
    lookups = next((s.service for s in statuses if s.for_lookups), "")
    initial = {f"{slug}_api": api for slug, api in current.items()}
    lookup_keys = tuple(s.service for s in statuses if s.is_set and s.kind.looks_up_tasks)
    form = ApiSettingsForm(
        request.POST or None,
        initial={**initial, "lookups_vendor": lookups},
        lookup_keys=lookup_keys,
    )
    if request.method == "POST" and form.is_valid():
        to_save, to_remove = form.changes()
        apis = form.apis()
        for slug, secret in to_save.items():
            credentials.save_secret(request.user, slug, secret, api=apis.get(slug))
            record("key_saved", subject=request.user.get_username(), detail=kinds.of(slug).label)
        removed = [s for s in to_remove if credentials.remove_secret(request.user, s)]
        for slug in removed:
            record("key_removed", subject=request.user.get_username(), detail=kinds.of(slug).label)
        changed = [kinds.of(s).label for s in to_save]
        changed += [f"{kinds.of(s).label} removed" for s in removed]
        api_changes, api_unsaved = _save_apis(request, form, current, set(to_save), set(removed))
        changed += api_changes
        chosen = form.cleaned_data.get("lookups_vendor")
        if chosen and chosen != lookups and credentials.use_for_lookups(request.user, chosen):
            changed.append(f"lookups use {kinds.of(chosen).legend.split(' (')[0]}")
        for vendor in api_unsaved:
            messages.warning(
                request,
                f"The {vendor} API was not saved: it is kept with your {vendor} key, and none is "
                f"saved yet. Paste the key, choose its API, then save.",
            )
        if changed:
            messages.success(request, "Saved: " + "; ".join(changed) + ".")
        elif not api_unsaved:
            messages.info(request, "Nothing changed: every field was left blank.")
        for warning in _warnings(request):
            messages.warning(request, warning)
        # Redirect so a reload never re-posts a secret.
        return redirect("keys:settings")
    # Which key serves lookups is worth saying only once there is a choice.
    context = {"form": form, "statuses": statuses, "lookup_choice": len(lookup_keys) > 1}
    return render(request, "keys/settings.html", context)
