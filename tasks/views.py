import hashlib
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, OrderBy
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mjadmin import upstream
from mjadmin.keys import credentials
from mjadmin.problems import Problem, describe
from mjadmin.refresh import refreshable
from mjadmin.team.auth import AuthenticatedHttpRequest
from mjadmin.text import printable
from mjadmin.vendors import registry
from mjadmin.vendors.base import VendorKey
from tasks import exports, fetching, lookups, statuses, storage
from tasks.forms import LookupForm, NameForm
from tasks.models import NAME_MAX, Lookup, ResultsView, TaskResult, ViewerChoice
from tasks.statuses import State

RECENT_LOOKUPS = 10
# Cards per page: a gallery page of 36 tiles (full rows at 2, 3, 4 or 6 across) and a table of
# 100 rows both stay under 150 KB of HTML for tasks with five images each and their raw JSON.
RESULTS_PAGE_SIZE = {"gallery": 36, "table": 100}
HISTORY_PAGE_SIZE = 50
SEARCH_MAX = 2_000
# A search lists its newest matches up to this many: counting every lookup that holds a common
# word in a year of history cost more than the rest of the page, and nobody pages that far.
SEARCH_LISTED = 1_000


@require_http_methods(["GET", "POST"])
def lookup(request: AuthenticatedHttpRequest) -> HttpResponse:
    key, missing = _viewer_key(request.user)
    form = LookupForm(request.POST or None, id_shape=key.api.id_shape if key else None)
    problem = None
    if request.method == "POST" and form.is_valid():
        try:
            if key is None:
                raise missing or credentials.CredentialProblem("", "No key to look up with.")
            found = form.cleaned_data["ids"]
            # The page opens once its first page of results is in: as many as the owner sees.
            first = RESULTS_PAGE_SIZE[_kept_view(request.user)]
            saved = lookups.create(request.user, found, key, form.cleaned_data["name"], first)
        except (credentials.CredentialProblem, upstream.UpstreamError) as exc:
            problem = describe(exc)
        else:
            return redirect("tasks:results", lookup_id=saved.id)
    context = {
        "form": form,
        "problem": problem,
        "recent": lookups.history().filter(owner=request.user)[:RECENT_LOOKUPS],
        "has_key": key is not None,
        "vendor": key.api.vendor_name if key else "",
        # For the key's box beside the form, which would otherwise read and decrypt it again.
        "lookup_key": key,
    }
    return render(request, "tasks/lookup.html", context)


@require_GET
def history(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every lookup of the team, newest first, by teammate and by search."""
    found = lookups.history()
    owner = printable(request.GET.get("owner", "")).strip()[:150]
    if request.GET.get("mine"):
        owner = request.user.get_username()
    if owner:
        found = found.filter(owner__username=owner)
    query = printable(request.GET.get("q", "")).strip()[:SEARCH_MAX]
    matched = lookups.search(found, query) if query else found
    listed = matched[:SEARCH_LISTED] if query else matched
    paginator = Paginator(listed, HISTORY_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    more = bool(query) and paginator.count == SEARCH_LISTED and matched[SEARCH_LISTED:].exists()
    teammates = get_user_model().objects.order_by("username").values_list("username", flat=True)
    context = {
        "page": page,
        "owner": owner,
        "query": query,
        "more_matched": more,
        "teammates": list(teammates),
        "history_version": storage.history_version(),
        # One cache key part for both: Django joins the parts with ":", so an owner and a query
        # given apart could otherwise make the same key as another pair.
        "search_key": hashlib.sha256(f"{owner}\0{query}".encode()).hexdigest(),
    }
    return render(request, "tasks/history.html", context)


@require_POST
def rename(request: AuthenticatedHttpRequest, lookup_id: uuid.UUID) -> HttpResponse:
    saved = get_object_or_404(Lookup, pk=lookup_id)
    if saved.owner_id != request.user.pk:
        raise PermissionDenied("Only whoever ran a lookup can rename it.")
    form = NameForm(request.POST)
    if form.is_valid():
        Lookup.objects.filter(pk=saved.pk).update(name=form.cleaned_data["name"])
        storage.history_changed()
        messages.success(request, "The lookup's name is saved.")
    else:
        messages.error(request, f"That name is too long: at most {NAME_MAX} characters.")
    return redirect("tasks:results", lookup_id=saved.id)


def _other_api_problem(lookup_api: str, key_api: str) -> Problem:
    made_with = registry.task_api(lookup_api)
    same_vendor = made_with is not None and made_with.vendor_name == registry.task_api_vendor(
        key_api
    )
    return Problem(
        f"This lookup is for the other {made_with.vendor_name} API"
        if same_vendor and made_with
        else "This lookup is for another vendor",
        f"It was made with {registry.task_api_label(lookup_api)}; your key is for "
        f"{registry.task_api_label(key_api)}, which does not know its task IDs. Its results are "
        "shown as last stored; a teammate with a key for its API can bring them up to date.",
        (),
        reverse("keys:settings"),
        "Open Settings",
    )


def _viewer_key(
    user: User,
) -> tuple[VendorKey | None, credentials.CredentialProblem | None]:
    """The key that serves the viewer's lookups, or why there is none (said only when something
    is due)."""
    try:
        return registry.lookup_key_of(user), None
    except credentials.CredentialProblem as exc:
        return None, exc


@refreshable
def results(
    request: AuthenticatedHttpRequest, lookup_id: uuid.UUID, *, fresh: bool
) -> HttpResponse:
    # Any teammate may open a lookup; what still changes is fetched with the viewer's own key.
    # What this page reads grows with the page, not with the lookup: the results that can
    # still change, one page of cards, and the counts kept with the lookup.
    saved = get_object_or_404(Lookup, pk=lookup_id)
    problem = None
    # Polling stops only for what waiting cannot fix: no key, or a key the vendor refuses.
    can_poll = True
    filling = saved.is_filling
    changing_rows = saved.results.exclude(state__in=statuses.TERMINAL)
    if filling:
        # The ids not yet answered are the filler's: reading them would cost a row each.
        changing_rows = changing_rows.exclude(fetched_at__isnull=True)
    changing = list(changing_rows)
    refreshed = lookups.Refreshed()
    # Read on every view, not only when something is due (one small query): a finished lookup
    # opened with a key for the other API says so too, and offers no Refresh that would ask
    # nothing.
    key, missing = _viewer_key(request.user)
    other_api = key is not None and key.api.choice != saved.api
    if key is not None and other_api:
        # Its ids are the other API's: asked of this key's, every one would come back
        # "not found" and overwrite what the team knows.
        problem = _other_api_problem(saved.api, key.api.choice)
        can_poll = filling
    elif lookups.has_due(changing, force=fresh):
        if key is None:
            problem = describe(missing) if missing else None
            # Waiting cannot fix a missing key; a lookup filling in still moves on its own.
            can_poll = filling
        else:
            by_owner = saved.owner_id == request.user.pk
            refreshed = lookups.refresh(changing, key, force=fresh, by_owner=by_owner)
            if refreshed.failure:
                problem = describe(refreshed.failure)
                can_poll = not isinstance(refreshed.failure, upstream.UpstreamAuthError)
    counts = lookups.counts_as_shown(saved, refreshed)
    status = _status_filter(request)
    shown = saved.results.filter(state=status) if status else saved.results.all()
    view = _results_view(request)
    sort = request.GET.get("sort", "")
    if view == ResultsView.TABLE and sort in TABLE_SORTS:
        shown = shown.order_by(*TABLE_SORTS[sort])
    else:
        sort = ""
    page = Paginator(shown, RESULTS_PAGE_SIZE[view]).get_page(request.GET.get("page"))
    # Cards show what is stored, and what this request learned without storing it.
    learned = {r.pk: r for r in refreshed.unstored}
    cards = [learned.get(r.pk, r) for r in page.object_list]
    unfetched = saved.results.filter(fetched_at__isnull=True).count() if filling else 0
    total = sum(counts.values())
    vendor = registry.task_api_vendor(saved.api) or "The vendor"
    context = {
        "lookup": saved,
        "results": cards,
        "page": page,
        "total": total,
        "summary": lookups.summary(counts),
        "not_found": counts.get(statuses.NOT_FOUND, 0),
        "not_found_text": fetching.not_found_group_text(vendor),
        "vendor": vendor,
        "unfetched": unfetched,
        "status": status,
        "view": view,
        "sort": sort,
        "table_sorts": [(name, name.title()) for name in TABLE_SORTS],
        "stuck_after": settings.TASKS_STUCK_AFTER_MINUTES,
        # Until the filler is done (its last answers and counts stored together), keep looking.
        "filling": filling or bool(unfetched),
        "polling": can_poll and (filling or bool(unfetched) or lookups.needs_polling(changing)),
        "problem": problem,
        "shared": saved.owner_id != request.user.pk,
        "can_refresh": not other_api,
    }
    template = "tasks/_live.html" if request.GET.get("partial") else "tasks/results.html"
    return render(request, template, context)


# The table's sortable columns; ties keep the user's order. Each vendor says a task's type and
# start under its own names (its folder's parser reads them the same way); a lookup holds one
# vendor's tasks, so only its names are ever found.
_TYPE = Coalesce(
    F("data__task_type"),
    F("data__input__action"),
    F("data__input__type"),
    F("data__input__task_type"),
    F("data__action"),
    F("data__model"),
)
TABLE_SORTS: dict[str, tuple[str | OrderBy, ...]] = {
    "status": ("state", "position"),
    "type": (_TYPE.asc(nulls_last=True), "position"),
    # Youngest first, so the Age column grows down the page as its "ascending" header says.
    "age": (
        Coalesce(
            F("data__created_at"),
            F("data__createdAt"),
            F("data__meta__created_at"),
            F("data__submitTime"),
        ).desc(nulls_last=True),
        "position",
    ),
}


def _results_view(request: AuthenticatedHttpRequest) -> str:
    """Gallery or table: as asked in the address (and then remembered), else as last chosen."""
    asked = request.GET.get("view", "")
    kept = _kept_view(request.user)
    if asked in ResultsView.values:
        if asked != kept:  # written once per change, not on every poll of the page
            ViewerChoice.objects.update_or_create(
                user=request.user, defaults={"results_view": asked}
            )
        return asked
    return kept


def _kept_view(user: User) -> str:
    chosen = ViewerChoice.objects.filter(user=user).values_list("results_view", flat=True)
    return next(iter(chosen), ResultsView.GALLERY)


def _status_filter(request: HttpRequest) -> str:
    status = request.GET.get("status", "")
    return status if status in State.values else ""


def _filtered(results: list[TaskResult], status: str) -> list[TaskResult]:
    return [r for r in results if not status or r.state == status]


@require_GET
def export_csv(request: HttpRequest, lookup_id: uuid.UUID) -> HttpResponse:
    saved = get_object_or_404(Lookup, pk=lookup_id)
    results = _filtered(list(saved.results.all()), _status_filter(request))
    response = HttpResponse(exports.as_csv(results), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="lookup-{saved.id}.csv"'
    return response


@require_GET
def export_json(request: HttpRequest, lookup_id: uuid.UUID) -> HttpResponse:
    saved = get_object_or_404(Lookup, pk=lookup_id)
    results = _filtered(list(saved.results.all()), _status_filter(request))
    response = JsonResponse(
        exports.as_json(saved, results),
        json_dumps_params={"indent": 2, "ensure_ascii": False},
    )
    response["Content-Disposition"] = f'attachment; filename="lookup-{saved.id}.json"'
    return response


@require_GET
def export_image_urls(request: HttpRequest, lookup_id: uuid.UUID) -> HttpResponse:
    """Every image URL of the lookup (or of the filtered tasks), one per line, for a downloader."""
    saved = get_object_or_404(Lookup, pk=lookup_id)
    results = _filtered(list(saved.results.all()), _status_filter(request))
    response = HttpResponse(exports.image_urls(results), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="lookup-{saved.id}-images.txt"'
    return response
