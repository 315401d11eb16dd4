from django import template
from django.db import DatabaseError
from django.utils.html import format_html

from cms.models import PortalSettings

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_settings(context):
    """The site's PortalSettings, or an unsaved default when there is no request or no database.

    Error pages use this, so it must never raise: a 500 page is often shown because the database failed.
    """
    request = context.get("request")
    if request is None:
        return PortalSettings()
    try:
        return PortalSettings.for_request(request)
    except (DatabaseError, AttributeError):
        return PortalSettings()


@register.simple_tag
def csrf_token_placeholder():
    """The CSRF hidden input for a form on a cacheable page: cms.cache swaps in each browser's own token."""
    from cms.cache import CSRF_TOKEN_PLACEHOLDER

    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', CSRF_TOKEN_PLACEHOLDER)
