import re
from itertools import groupby

from django import template
from django.conf import settings
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html, format_html_join

from portal_pages.kept_typing import view_keeps_typing

register = template.Library()


@register.simple_tag
def portal_session_seconds():
    """(idle, warning) seconds of the session time-out, for the warning dialog's data attributes."""
    idle = settings.PORTAL_SESSION_IDLE_SECONDS
    return {"idle": idle, "warning": min(settings.PORTAL_SESSION_WARNING_SECONDS, idle)}


@register.simple_tag(takes_context=True)
def portal_keeps_typing(context):
    """What the time-out dialog's countdown posts at its end, for its ``data-keeps-typing``: on a page whose view keeps
    typing (portal_pages/kept_typing.py), "kept" when the page shows typing kept at a time-out (leaving it asks
    first, too), "unsaved" when it shows another post's typing, redrawn with its errors, else "changed" (only what was
    changed on the page); "" where the view keeps nothing (the dialog signs out, as ever)."""
    request = context.get("request")
    if request is None or not view_keeps_typing(request):
        return ""
    if context.get("kept_at_time_out"):
        return "kept"
    return "unsaved" if request.method == "POST" else "changed"


def _block(lines, listed):
    if listed:
        items = format_html_join("", "<li>{}</li>", ((line[2:],) for line in lines))
        return format_html('<ul class="govuk-list govuk-list--bullet">{}</ul>', items)
    return format_html('<p class="govuk-body">{}</p>', linebreaksbr("\n".join(lines), autoescape=True))


@register.filter
def message_paragraphs(body):
    """An inbox message's plain text (the words its email would carry) as HTML: paragraphs split by a blank line, a
    line break kept within one, and lines that start "- " (the sections a return names) a bulleted list, so a
    screen reader says how many there are and reads each as an item, not as a line that starts with a dash."""
    return format_html_join(
        "",
        "{}",
        (
            (_block(list(lines), listed),)
            for paragraph in re.split(r"\n\s*\n", body.strip())
            for listed, lines in groupby(paragraph.splitlines(), key=lambda line: line.startswith("- "))
        ),
    )
