"""Permissions-Policy: every response tells the browser which powerful features the page and its frames may not use.

Django's SecurityMiddleware sets the other security headers from settings, and django-csp the Content Security
Policy; neither writes this one. The policy is read from PORTAL_PERMISSIONS_POLICY once, when the server starts.
"""

from django.conf import settings


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """``{"camera": [], "fullscreen": ["self"]}`` -> ``camera=(), fullscreen=(self)``: an empty list denies the
    feature everywhere, the page itself included."""
    return ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in policy.items())


class PermissionsPolicyMiddleware:
    """Beside SecurityMiddleware, outside the page cache, so cache hits, static files, probes and error pages
    carry the header too; a view that sets its own keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy_header(settings.PORTAL_PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
