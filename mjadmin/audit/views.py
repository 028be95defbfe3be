from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mjadmin.audit.models import AuditEvent
from mjadmin.audit.models import events as event_names
from mjadmin.roles import admin_required
from mjadmin.text import printable

PAGE_SIZE = 50


@require_GET
@admin_required
def audit_log(request: HttpRequest) -> HttpResponse:
    events = AuditEvent.objects.all()
    action = request.GET.get("action", "")
    if action in dict(event_names()):
        events = events.filter(action=action)
    else:
        action = ""
    who = printable(request.GET.get("who", "")).strip()[:150]
    if who:
        # A teammate's own actions and what was done to them (or typed as their username).
        events = events.filter(actor_name__iexact=who) | events.filter(subject__iexact=who)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/log.html",
        {"page": page, "actions": event_names(), "action": action, "who": who},
    )
