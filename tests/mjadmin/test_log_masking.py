"""One-time links' tokens never reach a log line: Django's own, or gunicorn's access log."""

import logging
from datetime import timedelta
from types import SimpleNamespace

from mjadmin.gunicorn_logging import MaskedLinksLogger
from mjadmin.log_masking import OneTimeLinkFilter, mask_one_time_links

TOKEN = "q9T1Zx0vYpL2-Wm3_aBcDeFgHiJkLmNoPqRsTuVwXyZ0"


def test_join_and_reset_tokens_are_masked_and_nothing_else():
    assert mask_one_time_links(f"GET /join/{TOKEN}/ HTTP/1.1") == "GET /join/…/ HTTP/1.1"
    assert mask_one_time_links(f"/reset/MQ/{TOKEN}/") == "/reset/MQ/…/"
    assert mask_one_time_links("/reset/MQ/set-password/") == "/reset/MQ/set-password/"
    assert mask_one_time_links("/join/ /tasks/?q=x") == "/join/ /tasks/?q=x"


def test_a_log_record_quoting_a_link_is_written_masked(caplog):
    logger = logging.getLogger("tests.masking")
    handler = logging.Handler()
    written = []
    handler.emit = lambda record: written.append(record.getMessage())
    handler.addFilter(OneTimeLinkFilter())
    logger.addHandler(handler)
    try:
        logger.warning("Gone: %s", f"/join/{TOKEN}/")
    finally:
        logger.removeHandler(handler)
    assert written == ["Gone: /join/…/"]


def test_the_settings_put_the_filter_on_the_console(settings):
    console = settings.LOGGING["handlers"]["console"]
    assert "one_time_links" in console["filters"]


def test_gunicorns_access_log_line_is_masked():
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/join/{TOKEN}/",
        "PATH_INFO": f"/join/{TOKEN}/",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://mjadmin.example.com/reset/MQ/{TOKEN}/",
    }
    response = SimpleNamespace(status="302 Found", sent=0, headers=[])
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    logger = MaskedLinksLogger.__new__(MaskedLinksLogger)
    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=5))
    assert TOKEN not in str(atoms)
    assert atoms["r"] == "GET /join/…/ HTTP/1.1"
