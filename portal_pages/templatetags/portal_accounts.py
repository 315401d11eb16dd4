from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def portal_session_seconds():
    """(idle, warning) seconds of the session time-out, for the warning dialog's data attributes."""
    idle = settings.PORTAL_SESSION_IDLE_SECONDS
    return {"idle": idle, "warning": min(settings.PORTAL_SESSION_WARNING_SECONDS, idle)}
