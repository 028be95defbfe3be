from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def lookup(request: HttpRequest) -> HttpResponse:
    return render(request, "tasks/lookup.html")
