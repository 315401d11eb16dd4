"""Content Security Policy: strict everywhere, widened only under the Wagtail admin's path.

No response may be framed (`frame-ancestors 'none'`, with Django's `X-Frame-Options: DENY`) except the previews the
admin shows in its side panel, and those by the site itself alone. Wagtail renders a preview (of a page or a
snippet) by passing a made-up request for the object's public address through the middleware again, inside the
admin's request: that inner response is marked `is_preview`. Wagtail's preview views themselves (the preview, its
"preview not available" page, a block's preview) send `X-Frame-Options: SAMEORIGIN`: they are the only admin
responses that may be framed; every other admin page keeps 'none'.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.middleware.clickjacking import XFrameOptionsMiddleware


def _framed_by_the_admin(request, response, in_admin):
    if getattr(request, "is_preview", False):
        # Wagtail sets is_preview on its made-up request only (models/preview.py, make_preview_request).
        return True
    # Wagtail's preview views (xframe_options_sameorigin_override); an admin page without it keeps 'none'.
    return in_admin and (response.get("X-Frame-Options") or "").upper() == "SAMEORIGIN"


class PortalCSPMiddleware(CSPMiddleware):
    """Wagtail's admin needs inline scripts and styles; the public site and the portal never do."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        in_admin = request.path_info.startswith(settings.PORTAL_ADMIN_PATH_PREFIX)
        if in_admin:
            # 'unsafe-inline' is ignored by browsers when a nonce is present, so the admin gets none.
            parts.nonce = None
            parts.update = {**settings.PORTAL_ADMIN_CSP_UPDATE, **(parts.update or {})}
        if _framed_by_the_admin(request, response, in_admin):
            parts.replace = {**settings.PORTAL_PREVIEW_CSP_REPLACE, **(parts.replace or {})}
        return parts


class ErrorPageHeadersMiddleware:
    """Near the top, outside CommonMiddleware: an error answered before the request reaches the CSP and
    X-Frame-Options middleware (a Host header not in ALLOWED_HOSTS raises DisallowedHost in CommonMiddleware, and
    Django turns it into the 400 page there) gets the same two headers as any other page. A response that already
    has them, or is exempt from them, keeps its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.frame_options = XFrameOptionsMiddleware(get_response)
        self.csp = PortalCSPMiddleware(get_response)

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code >= 400:
            response = self.frame_options.process_response(request, response)
            response = self.csp.process_response(request, response)
        return response
