from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def portal_session_seconds():
    """(idle, warning) seconds of the session time-out, for the warning dialog's data attributes."""
    idle = settings.PORTAL_SESSION_IDLE_SECONDS
    return {"idle": idle, "warning": min(settings.PORTAL_SESSION_WARNING_SECONDS, idle)}


@register.filter
def elided_pages(page):
    """GOV.UK pagination's numbers: the first, the last, the current one and one either side, "…" between.

    Listing every page number rendered 500 links on a dashboard with 10,000 requests (docs/performance.md).
    """
    return page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
