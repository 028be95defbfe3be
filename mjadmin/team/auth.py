"""The request type of every page behind sign-in."""

from django.contrib.auth.models import User
from django.http import HttpRequest


class AuthenticatedHttpRequest(HttpRequest):
    """What a view receives once LoginRequiredMiddleware has let the request through: its user
    is signed in, never anonymous. For type checking only; Django still passes an HttpRequest."""

    user: User
