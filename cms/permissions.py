"""Permission helpers shared by the admin screens of every app."""

import functools

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import URLPattern
from wagtail.admin.auth import permission_denied


def forbidden(request):
    """The admin's refusal, as every other admin screen gives it: back to the dashboard with Wagtail's "Sorry, you do
    not have permission to access this area." (a script's request gets a 403). The site's 403 page, in the public
    site's layout, would leave a member of staff with only the home page to go on to."""
    return permission_denied(request)


def forbidden_without(permission: str):
    """Decorator: the admin's refusal (``forbidden``) for a user without ``permission``, before the view looks
    anything up or checks the method, so a wrong role gets the same answer as at a viewset wrapped by
    ForbiddenWithoutPermissionMixin."""

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
    """Refuse staff without any permission on the model (``forbidden``) at every URL of the viewset, before the view
    looks anything up or reads the method, so no id and no method tells a wrong role more than another."""

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


class NotFoundWithoutPermissionMixin:
    """A Wagtail view of one object (edit, delete, history, usage) that answers 404 to a user without its permission,
    before it looks the id up: the same answer as for an id that does not exist. Wagtail looks the object up first
    (a 404 for a made-up id) and refuses after (a redirect for a real one), which tells which ids exist."""

    def setup(self, request, *args, **kwargs):
        self.request = request
        required, any_required = self.permission_required, self.any_permission_required
        if (required is not None and not self.user_has_permission(required)) or (
            any_required is not None and not self.user_has_any_permission(any_required)
        ):
            raise Http404
        super().setup(request, *args, **kwargs)
