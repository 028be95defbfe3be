from django.http import HttpRequest

from mjadmin.roles import is_admin

# The team app's pages that are a teammate's own, not the team's: the navigation marks them
# under the username, not under "Team".
_OWN_PAGES = {"profile", "password_change", "password_change_done"}


def roles(request: HttpRequest) -> dict[str, bool]:
    """`is_admin` for templates: the navigation shows team pages to admins only."""
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    return {
        "is_admin": bool(user is not None and is_admin(user)),
        "on_profile": bool(match and match.namespace == "team" and match.url_name in _OWN_PAGES),
    }
