from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache


def home(request: HttpRequest) -> HttpResponse:
    return redirect("tasks:lookup")


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    # Touch the database so a load balancer notices a broken one.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok\n", content_type="text/plain")
