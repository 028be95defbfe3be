"""Telling the team of account changes: by email (with EMAIL_URL) and to a chat webhook
(ALERT_WEBHOOK_URL, Slack's incoming-webhook JSON). Neither ever holds a token: the text is
built from channels and moderation messages only, both masked where token-like
(accounts/watching.py)."""

import logging

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail

from accounts.watching import Change, Kind, Watched
from mjadmin import upstream

logger = logging.getLogger(__name__)

# A team with thousands of accounts may see them all held at once: an alert lists this many
# changes and counts the rest, so it stays readable (and within a chat message's size).
MAX_LISTED = 50
WEBHOOK = "The alert webhook"


class NotSent(Exception):
    """An alert did not reach its way; the message (a sentence) says why, with no secret."""


def subject(watched: Watched, changes: list[Change]) -> str:
    whose = watched.whose
    if len(changes) == 1:
        change = changes[0]
        return f"mjadmin: Midjourney account {change.channel} {change.kind.value} ({whose})"
    return f"mjadmin: {len(changes)} Midjourney account changes ({whose})"


def text(watched: Watched, changes: list[Change]) -> str:
    if len(watched.holders) == 1:
        lines = [f"Midjourney accounts on {watched.whose}'s useapi.net token:"]
    else:
        lines = [f"Midjourney accounts on the useapi.net token of {watched.whose}:"]
    lines += [f"- {change.line()}" for change in changes[:MAX_LISTED]]
    if len(changes) > MAX_LISTED:
        lines.append(f"- and {len(changes) - MAX_LISTED} more changes")
    held = sum(1 for change in changes if change.kind is Kind.HELD)
    if held:
        lines.append(
            "A held account takes no jobs until its moderation message is acknowledged in "
            "Discord and the account is reset: Reset, on its row of mjadmin's Accounts page."
        )
    return "\n".join(lines)


def recipients(watched: Watched) -> list[str]:
    """Everyone who saved the token, then every active admin, each address once."""
    admins = User.objects.filter(is_active=True, is_superuser=True).exclude(email="")
    admin_emails = admins.order_by("pk").values_list("email", flat=True)
    addresses: list[str] = []
    seen: set[str] = set()
    for email in [*(user.email for user in watched.holders), *admin_emails]:
        if email and email.lower() not in seen:
            seen.add(email.lower())
            addresses.append(email)
    return addresses


def email(watched: Watched, changes: list[Change]) -> str:
    """Send the alert; what to report of it. Raises NotSent."""
    to = recipients(watched)
    if not to:
        return "nobody to email: neither whoever saved this token nor an admin has an address"
    try:
        send_mail(subject(watched, changes), text(watched, changes) + "\n", None, to)
    except Exception as exc:
        # Not the exception's text: a mail server's reply may quote the message.
        logger.warning("account alert email not sent: %s", type(exc).__name__)
        raise NotSent(f"The email could not be sent ({type(exc).__name__}).") from None
    return f"emailed {', '.join(to)}"


def _slack_escaped(value: str) -> str:
    # Slack reads <…> as links and mentions: a moderation message holding "<!channel>" must not
    # ping a whole channel.
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def post(watched: Watched, changes: list[Change]) -> str:
    """Post the alert to ALERT_WEBHOOK_URL; what to report of it. Raises NotSent."""
    body = {"text": _slack_escaped(text(watched, changes))}
    try:
        upstream.post_json(settings.ALERT_WEBHOOK_URL, body, service=WEBHOOK)
    except upstream.UpstreamError as exc:
        raise NotSent(exc.message) from None
    return "posted to the webhook"
