"""gunicorn's access log with one-time links masked (`--logger-class` in the Makefile and the
systemd unit): the request line and the referrer would otherwise quote their tokens."""

from typing import Any

from gunicorn.glogging import Logger  # type: ignore[import-untyped]

from mjadmin.log_masking import mask_one_time_links


class MaskedLinksLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        # Every atom a log format can name: the request line, the path, the referrer, and the
        # headers and environ entries that repeat them.
        return {
            name: mask_one_time_links(value) if isinstance(value, str) else value
            for name, value in atoms.items()
        }
