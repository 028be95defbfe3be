from django.http import HttpRequest

from mjadmin.team.roles import is_admin


def roles(request: HttpRequest) -> dict[str, bool]:
    """`is_admin` for templates: the navigation shows team pages to admins only."""
    user = getattr(request, "user", None)
    return {"is_admin": bool(user is not None and is_admin(user))}
