"""Sending a teammate their link by email, when the admin gave an address."""

import logging

from django.conf import settings
from django.core.mail import send_mail

logger = logging.getLogger(__name__)


def send_link(to: str, subject: str, text: str, link: str) -> str:
    """What to tell the admin about the email: sent, written to the console, or failed. A mail
    server that refuses or is down must not lose the link: the page shows it either way."""
    try:
        send_mail(subject, f"{text}\n\n{link}\n", None, [to])
    except Exception as exc:
        # Not the link, and not the exception's text, which may quote the message.
        logger.warning("email to a teammate not sent: %s", type(exc).__name__)
        return f"The email to {to} could not be sent ({type(exc).__name__}); copy the link instead."
    if settings.EMAIL_CONFIGURED:
        return f"Emailed to {to}."
    return (
        f"No mail server is configured (EMAIL_URL), so the email to {to} was written to the "
        "server console instead; copy the link."
    )
