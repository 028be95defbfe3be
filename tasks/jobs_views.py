"""Recent jobs: a v2 key's jobs as Apiframe lists them (`GET /v2/jobs`), each openable like a
lookup's result, and a listed page saved as a lookup through the same code as a paste."""

import uuid
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from mjadmin import upstream
from mjadmin.keys.credentials import CredentialProblem
from mjadmin.problems import Problem, describe
from mjadmin.team.auth import AuthenticatedHttpRequest
from mjadmin.vendors import registry
from mjadmin.vendors.base import CursorRefused, JobsList, JobsPage
from mjadmin.vendors.records import Task
from mjadmin.vendors.task_ids import UUID
from tasks import lookups
from tasks.ids import find_ids
from tasks.jobs_forms import JobsFilterForm, LookUpJobsForm
from tasks.models import Lookup, TaskResult
from tasks.statuses import State

# Jobs a page: one gallery page of the lookup that "Look these up" makes of them.
PAGE_SIZE = 36


def _key_or_page(request: AuthenticatedHttpRequest) -> tuple[str, JobsList, str] | HttpResponse:
    """The user's key, its API's job list and the API's choice, or the page that explains why
    there is none to list jobs with."""
    try:
        key = registry.lookup_key_of(request.user)
    except CredentialProblem as exc:
        return render(request, "tasks/jobs_need_v2.html", {"problem": describe(exc)})
    if key.api.jobs is None:
        return render(request, "tasks/jobs_need_v2.html", {"problem": None})
    return key.secret, key.api.jobs, key.api.choice


def _as_result(task: Task, position: int, api: str) -> TaskResult:
    # Shown by the same tags and templates as a lookup's results, never saved; read again by
    # its API as a lookup's would be.
    return TaskResult(
        lookup=Lookup(api=api),
        position=position,
        task_id=task.task_id,
        state=task.group,
        data=task.raw,
        shown=task.stored(),
        fetched_at=timezone.now(),
    )


def _jobs_url(filters: dict[str, str]) -> str:
    query = urlencode(filters)
    return reverse("tasks:jobs") + (f"?{query}" if query else "")


@require_GET
def jobs(request: AuthenticatedHttpRequest) -> HttpResponse:
    keyed = _key_or_page(request)
    if isinstance(keyed, HttpResponse):
        return keyed
    secret, lister, api = keyed
    form = JobsFilterForm(request.GET)
    context: dict[str, Any] = {"form": form, "problem": None, "rows": None}
    if not form.is_valid():
        if "cursor" in form.errors:
            context["problem"] = _gone(form, "That address does not hold a page the vendor gave.")
        return render(request, "tasks/jobs.html", context)
    try:
        listed = lister.list_jobs(
            secret,
            limit=PAGE_SIZE,
            status=form.status_for(lister.statuses),
            cursor=form.cleaned_data["cursor"] or None,
            search=form.cleaned_data["job"] or None,
        )
    except CursorRefused as exc:
        context["problem"] = _gone(form, exc.message)
    except upstream.UpstreamError as exc:
        context["problem"] = describe(exc)
    else:
        context |= _listing(form, listed, api)
    return render(request, "tasks/jobs.html", context)


def _listing(form: JobsFilterForm, listed: JobsPage, api: str) -> dict[str, Any]:
    filters = form.filters()
    first_page = {name: value for name, value in filters.items() if name != "cursor"}
    following = listed.next_cursor
    status = form.cleaned_data["status"]
    return {
        "rows": [(_as_result(t, n, api), _job_link(t.task_id)) for n, t in enumerate(listed.jobs)],
        "looked_up": timezone.now(),
        "stuck_after": settings.TASKS_STUCK_AFTER_MINUTES,
        "searched": form.cleaned_data["job"],
        "status_label": State(status).label if status else "",
        "later_page": bool(form.cleaned_data["cursor"]),
        "first_page_url": _jobs_url(first_page),
        "next_page_url": _jobs_url(first_page | {"cursor": following}) if following else "",
        "filters": filters,
        # What "Look these up" saves: the listed jobs, in the order listed.
        "look_up_ids": list(dict.fromkeys(t.task_id.lower() for t in listed.jobs if _is_id(t))),
    }


def _is_id(task: Task) -> bool:
    return bool(UUID.fullmatch(task.task_id))


def _job_link(job_id: str) -> str:
    # A job whose id is no UUID (never documented) is listed, but has no page to open.
    return reverse("tasks:job", args=[job_id.lower()]) if UUID.fullmatch(job_id) else ""


def _gone(form: JobsFilterForm, message: str) -> Problem:
    """A cursor the vendor refused, or one it never gave: back to the first page of the list."""
    filters = {name: str(form.data.get(name, "")) for name in ("status", "job")}
    valid = JobsFilterForm(filters)
    return Problem(
        CursorRefused.title,
        message,
        (),
        _jobs_url(valid.filters()),
        "Back to the newest jobs",
    )


@require_GET
def job(request: AuthenticatedHttpRequest, job_id: uuid.UUID) -> HttpResponse:
    keyed = _key_or_page(request)
    if isinstance(keyed, HttpResponse):
        return keyed
    secret, lister, api = keyed
    context: dict[str, Any] = {"job_id": str(job_id), "problem": None, "result": None}
    try:
        found = lister.fetch_job(secret, str(job_id))
    except upstream.UpstreamError as exc:
        context["problem"] = describe(exc)
        return render(request, "tasks/job.html", context)
    if found is None:
        return render(request, "tasks/job.html", context, status=404)
    context |= {
        "result": _as_result(found, 0, api),
        "vendor": registry.task_api_vendor(api),
        # _task.html ages a task with no date of its own from its lookup's: here, from now.
        "lookup": {"created_at": timezone.now()},
        "stuck_after": settings.TASKS_STUCK_AFTER_MINUTES,
    }
    return render(request, "tasks/job.html", context)


@require_POST
def look_up(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Save the listed jobs as a lookup, in the order listed, as if they had been pasted."""
    form = LookUpJobsForm(request.POST)
    listing = JobsFilterForm(request.POST)
    back = _jobs_url(listing.filters())
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for error in form.errors.get("id", [])))
        return redirect(back)
    found = find_ids("\n".join(form.cleaned_data["id"]))
    status = listing.cleaned_data.get("status") if listing.is_valid() else ""
    name = f"Recent jobs: {State(status).label}" if status else "Recent jobs"
    try:
        key = registry.lookup_key_of(request.user)
        # The whole page is asked before the results open: at most PAGE_SIZE calls at once.
        saved = lookups.create(request.user, found, key, name, len(found.ids))
    except (CredentialProblem, upstream.UpstreamError) as exc:
        messages.error(request, f"Nothing was saved: {describe(exc).message}")
        return redirect(back)
    return redirect("tasks:results", lookup_id=saved.id)
