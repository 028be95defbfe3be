"""The app's URLs plus `bench/bare/`: a signed-in page that renders base.html and nothing else,
the yardstick `make bench` measures real pages against. Mounted only by tests/bench/settings.py."""

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path

# Compiled once, as the template loader caches the app's own templates.
BARE = engines["django"].from_string('{% extends "base.html" %}{% block title %}Bare{% endblock %}')


def bare(request: HttpRequest) -> HttpResponse:
    # The same middleware as every page (sign-in required, session saved, no-store).
    return HttpResponse(BARE.render({}, request))


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("", include("mjadmin.urls")),
]
