"""The site's URLs plus views that fail on purpose, so every error page is rendered for real."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import IntegrityError, OperationalError
from django.urls import path

from cms.postgresql_backend import FAILED_CONNECTIONS
from cms.urls import handler400, handler403, handler404, handler500  # noqa: F401
from cms.urls import urlpatterns as site_urlpatterns


def _raises(error, *args):
    """A view that raises a new ``error(*args)`` at each request."""

    def view(request):
        raise error(*args)

    return view


def raise_database_error(request):
    # As cms.postgresql_backend leaves a request whose connection failed to open (SQLite, the tests' database, has no
    # outage of its own; tests/cms/test_database_outage.py fails a real PostgreSQL connection).
    error = OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")
    setattr(request, FAILED_CONNECTIONS, {"default": error})
    raise error


def raise_from_database_error(request):
    # Code that turns a database's failure into an error of its own, with the failure as its cause.
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError as error:
        raise RuntimeError("could not save the draft") from error


def raise_while_handling_database_error(request):
    # An error raised while handling the database's failure (its context, not its cause).
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        raise RuntimeError("could not log the failure")  # noqa: B904


urlpatterns = [
    path("test-errors/403/", _raises(PermissionDenied)),
    path("test-errors/400/", _raises(SuspiciousOperation, "bad input")),
    path("test-errors/500/", _raises(RuntimeError, "boom: a secret stack detail")),
    path("test-errors/500-database/", raise_database_error),
    # A query that fails on a database that answers (a bug): the database is not down.
    path(
        "test-errors/500-query/", _raises(IntegrityError, 'duplicate key value violates unique constraint "cms_x_pkey"')
    ),
    # An error of a connection that opened: SQLite's lock, or a PostgreSQL connection that died mid-request.
    path("test-errors/500-locked/", _raises(OperationalError, "database is locked")),
    path("test-errors/500-from-database/", raise_from_database_error),
    path("test-errors/500-while-database/", raise_while_handling_database_error),
    *site_urlpatterns,
]
