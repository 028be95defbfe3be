from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.cache import never_cache

from accounts import first_run


def home(request: HttpRequest) -> HttpResponse:
    return redirect("tasks:lookup")


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    # Touch the database so a load balancer notices a broken one.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok\n", content_type="text/plain")


class TeamLoginView(LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        # Before anyone has an account, point at the console's setup link, not at an admin.
        return super().get_context_data(**kwargs, needs_setup=first_run.needs_setup())


@login_not_required
def favicon(request: HttpRequest) -> HttpResponse:
    # Browsers ask for /favicon.ico on pages (the admin's) that do not name our icon.
    return redirect(static("favicon.svg"), permanent=True)
