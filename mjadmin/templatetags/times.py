"""`{% time_with_utc moment "Y-m-d H:i T" %}`: a time as every page shows one."""

from datetime import datetime

from django import template
from django.templatetags.tz import utc
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def time_with_utc(moment: datetime, shown: str) -> SafeString:
    """In the viewer's zone, with the exact UTC time on hover: a teammate elsewhere, or a log
    on the server, speaks UTC."""
    local = timezone.localtime(moment)
    return format_html(
        '<time datetime="{}" title="{} UTC">{}</time>',
        formats.date_format(local, "c"),
        formats.date_format(utc(moment), "Y-m-d H:i:s"),
        formats.date_format(local, shown),
    )
