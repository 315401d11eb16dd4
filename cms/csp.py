"""Content Security Policy: strict everywhere, widened only under the Wagtail admin's path.

Wagtail renders a preview (of a page or a snippet) by passing a made-up request for the object's public address
through the middleware again, inside the admin's request; that inner response keeps the public policy, which
forbids framing. The admin shows previews in an iframe, so a preview alone may be framed by the site itself.
"""

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
        elif getattr(request, "is_preview", False):
            # Wagtail sets is_preview on its made-up request only (models/preview.py, make_preview_request).
            parts.replace = {**settings.PORTAL_PREVIEW_CSP_REPLACE, **(parts.replace or {})}
        return parts
