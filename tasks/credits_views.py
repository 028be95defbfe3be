"""The page (and the fragment the Tasks and Settings pages load) with a key's credits and plan."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mjadmin.keys.credentials import CredentialProblem
from mjadmin.problems import describe
from mjadmin.team.auth import AuthenticatedHttpRequest
from mjadmin.vendors import registry
from tasks import credits


@require_GET
def key_account(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Asks the vendor (within credits.ASK_SECONDS) unless a recent answer is cached. With
    `?partial=1`, only the figures, for the script of the page that shows them."""
    partial = bool(request.GET.get("partial"))
    try:
        key = registry.lookup_key_of(request.user)
    except CredentialProblem as exc:
        if partial:
            return render(request, "tasks/_key_account_problem.html", {"problem": describe(exc)})
        return render(request, "tasks/key_account.html", {"problem": describe(exc)})
    known = credits.load(request.user, key)
    template = "tasks/_key_account_figures.html" if partial else "tasks/key_account.html"
    return render(request, template, {"known": known, "vendor": key.api.vendor_name})
