"""The Content-Security-Policy every page carries (served by django-csp)."""

from typing import Any

from csp.constants import NONE, SELF


def policy(media_extra_origins: list[str]) -> dict[str, Any]:
    media = ["https:", *media_extra_origins]
    return {
        "DIRECTIVES": {
            "default-src": [SELF],
            "img-src": [SELF, *media],
            "media-src": media,
            "script-src": [SELF],
            "style-src": [SELF],
            "connect-src": [SELF],
            "object-src": [NONE],
            "base-uri": [NONE],
            "form-action": [SELF],
            "frame-ancestors": [NONE],
        }
    }
