import logging
import uuid

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    # Looking up tasks is the team's daily flow, so it is the front page.
    return redirect("tasks:lookup")


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True


def _cache_ok() -> bool:
    # Every cache backend raises its own errors (Redis, the database cache's table); a health
    # check must report any of them rather than fail itself.
    probe = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(probe, "1", 10)
        ok = cache.get(probe) == "1"
        cache.delete(probe)
    except Exception:
        logger.exception("health check: the cache failed")
        return False
    return ok


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers: 200 when the database and the shared cache answer, else 503 naming
    what failed. No sign-in, no secret, no detail beyond that."""
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    lines = [f"{name}: {'ok' if ok else 'unreachable'}" for name, ok in checks.items()]
    status = 200 if all(checks.values()) else 503
    body = ("ok" if status == 200 else "unhealthy") + "\n" + "\n".join(lines) + "\n"
    return HttpResponse(body, content_type="text/plain", status=status)


@login_not_required
def favicon(request: HttpRequest) -> HttpResponse:
    # Browsers ask for /favicon.ico on pages (the admin's) that do not name our icon.
    return redirect(static("favicon.svg"), permanent=True)
