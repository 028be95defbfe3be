"""`{% moderation_message account %}`: a held account's message, with the Discord message it
refers to as a link (Discord's own message links, or an id the text names)."""

import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from mjadmin.vendors.useapi.client import MidjourneyAccount

register = template.Library()

_SNOWFLAKE = re.compile(r"\d{15,21}")
# A Discord message link written out in the text, or an id the text calls a message's:
# "message 1573983255944900635", "message id: …", "messageId #…". A bare number is not
# linked: it may be a channel, a server or anything else. Every repeat is bounded, so a match
# costs the same whatever follows "message": unbounded runs side by side (`\s*[:#]?\s*\(?\s*`)
# backtracked cubically, and "message" then 2,000 spaces held a worker for 18 s.
_REFERENCE = re.compile(
    r"(?P<url>https://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/channels/"
    r"(?P<place>@me|\d{15,21})/(?P<in>\d{15,21})/(?P<of>\d{15,21}))(?![\w/])"
    r"|(?P<label>\bmessage(?:[ _-]?id)?[\s:#(]{0,6})(?P<id>\d{15,21})\b",
    re.IGNORECASE,
)
# Only this much of a message is searched for links (the rest is shown as text): a held
# account's message is a sentence or two, and a vendor's megabyte is no reason to scan it all.
LINKED_CHARS = 2000
# In a new tab: the link is read on the Reset confirmation, which must still be there to confirm
# once the message is acknowledged in Discord.
_LINK = '<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>'


def message_url(account: MidjourneyAccount, message_id: str) -> str | None:
    """Where Discord shows a message of the account's channel: in its server when useapi.net
    names one, else among direct messages (useapi.net's newer accounts are the Midjourney
    bot's DM channel, and its list no longer names a server)."""
    if not _SNOWFLAKE.fullmatch(account.channel):
        return None
    server = account.server if account.server and _SNOWFLAKE.fullmatch(account.server) else "@me"
    return f"https://discord.com/channels/{server}/{account.channel}/{message_id}"


@register.simple_tag
def moderation_message(account: MidjourneyAccount) -> SafeString:
    # Escaped first; what the pattern matches (digits, letters, ":/.@#( _-") escaping leaves as
    # it was, so the links are built around text that is already safe. Cut before escaping, so
    # the cut never splits an entity.
    message = account.pending_mod_message or ""
    searched, rest = message[:LINKED_CHARS], message[LINKED_CHARS:]
    escaped = str(escape(searched))

    def linked(match: re.Match[str]) -> str:
        if match.group("url"):
            place, in_, of = (str(part) for part in match.group("place", "in", "of"))
            href = f"https://discord.com/channels/{place.lower()}/{in_}/{of}"
            return str(format_html(_LINK, href, match.group("url")))
        found = message_url(account, match.group("id"))
        if found is None:
            return match.group(0)
        return match.group("label") + str(format_html(_LINK, found, match["id"]))

    linked_part = _REFERENCE.sub(linked, escaped)
    return mark_safe(linked_part + str(escape(rest)))  # noqa: S308 (built from escaped text)
