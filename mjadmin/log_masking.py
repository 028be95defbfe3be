"""Keeping one-time links out of logs: an invitation's or a password reset link's token is a key
to an account until it is used, and request lines and error logs quote paths."""

import logging
import re

# /join/<token>/ and /reset/<uid>/<token>/: the path segments that let someone in.
_ONE_TIME_LINK = re.compile(r"(/join/|/reset/[^/\s?\"']+/)(?!set-password)[^/\s?\"']+")


def mask_one_time_links(text: str) -> str:
    return _ONE_TIME_LINK.sub(r"\1…", text)


class OneTimeLinkFilter(logging.Filter):
    """For a handler: every record it writes has such tokens masked (Django's request errors,
    a 404 or 410 for a used link, say)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_one_time_links(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
