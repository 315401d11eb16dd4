"""Permission helpers shared by the admin screens of every app."""

import functools

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import URLPattern


def forbidden(request):
    """The site's 403 page, as an answer (Wagtail would turn PermissionDenied into a redirect to the dashboard)."""
    return TemplateResponse(request, "403.html", status=403)


def forbidden_without(permission: str):
    """Decorator: the site's 403 page for a user without ``permission``, before the view looks anything up or checks
    the method, so a wrong role gets the same answer as at a viewset wrapped by ForbiddenWithoutPermissionMixin."""

    def decorator(view):
        @functools.wraps(view)
        def checked(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                return forbidden(request)
            return view(request, *args, **kwargs)

        return checked

    return decorator


def superusers_only(view):
    """Refuse non-superusers before the view looks anything up, so no id tells whether it exists."""

    @functools.wraps(view)
    def checked(request, *args, **kwargs):
        if not (request.user.is_active and request.user.is_superuser):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return checked


class ForbiddenWithoutPermissionMixin:
    """Answer 403 to staff without any permission on the model.

    Wagtail turns PermissionDenied into a redirect to the dashboard; casework and form design are closed
    areas, and a plain 403 says so to people and to tests alike.
    """

    ACTIONS = ("add", "change", "delete", "view", "publish", "lock", "unlock")

    def get_urlpatterns(self):
        patterns = []
        for pattern in super().get_urlpatterns():
            view = self._forbid_without_permission(pattern.callback)
            patterns.append(URLPattern(pattern.pattern, view, pattern.default_args, pattern.name))
        return patterns

    def _forbid_without_permission(self, view):
        @functools.wraps(view)
        def checked(request, *args, **kwargs):
            if not self.permission_policy.user_has_any_permission(request.user, self.ACTIONS):
                return forbidden(request)
            return view(request, *args, **kwargs)

        return checked
