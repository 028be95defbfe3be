from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.cache import never_cache


def home(request: HttpRequest) -> HttpResponse:
    # Looking up tasks is the team's daily flow, so it is the front page.
    return redirect("tasks:lookup")


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    # Touch the database so a load balancer notices a broken one.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok\n", content_type="text/plain")


@login_not_required
def favicon(request: HttpRequest) -> HttpResponse:
    # Browsers ask for /favicon.ico on pages (the admin's) that do not name our icon.
    return redirect(static("favicon.svg"), permanent=True)
