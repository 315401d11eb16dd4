"""The site's URLs plus views that fail on purpose, so every error page is rendered for real."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError
from django.urls import path

from cms.urls import handler400, handler403, handler404, handler500  # noqa: F401
from cms.urls import urlpatterns as site_urlpatterns


def raise_permission_denied(request):
    raise PermissionDenied


def raise_suspicious(request):
    raise SuspiciousOperation("bad input")


def raise_error(request):
    raise RuntimeError("boom: a secret stack detail")


def raise_database_error(request):
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")


urlpatterns = [
    path("test-errors/403/", raise_permission_denied),
    path("test-errors/400/", raise_suspicious),
    path("test-errors/500/", raise_error),
    path("test-errors/500-database/", raise_database_error),
    *site_urlpatterns,
]
