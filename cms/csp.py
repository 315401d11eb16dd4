"""Content Security Policy: strict everywhere, widened only under the Wagtail admin's path."""

from csp.middleware import CSPMiddleware
from django.conf import settings


class PortalCSPMiddleware(CSPMiddleware):
    """Wagtail's admin needs inline scripts and styles; the public site and the portal never do."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith(settings.PORTAL_ADMIN_PATH_PREFIX):
            # 'unsafe-inline' is ignored by browsers when a nonce is present, so the admin gets none.
            parts.nonce = None
            parts.update = {**settings.PORTAL_ADMIN_CSP_UPDATE, **(parts.update or {})}
            parts.replace = {**settings.PORTAL_ADMIN_CSP_REPLACE, **(parts.replace or {})}
        return parts
