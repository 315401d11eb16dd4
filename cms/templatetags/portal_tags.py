from django import template
from django.db import DatabaseError

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
