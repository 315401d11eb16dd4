"""Django's PostgreSQL backend, except that a connection that failed is not tried again in the same request.

A database that takes connections and never answers (a network fault, a failover in progress) costs each attempt
``connect_timeout`` seconds (DATABASE_CONNECT_TIMEOUT). After the first attempt of a request has failed, the request
still reaches for the database: the user for its log line, the site settings and navigation of its error page. Each
reach waited again, and a page took three times the time-out, or more, to show its error. The first failure
(``OperationalError``: the server refused, did not answer or is unknown) is kept on the request, and every later
attempt in it fails at once with an error of its own caused by it. Another error at connect (a mistyped option in
DATABASE_URL) is not an outage and is not kept. Outside a request (the task worker, management commands) every
attempt connects.
"""

from django.db.backends.postgresql import base

from cms.logs import current_request
from cms.postgresql_backend import FAILED_CONNECTIONS


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        request = current_request()
        failed = getattr(request, FAILED_CONNECTIONS, {}) if request is not None else {}
        if self.alias in failed:
            first = failed[self.alias]
            # A new error each time: raising the first again would grow its traceback with every later caller's
            # frames, and a log would show where this attempt came from spliced onto where the first one failed.
            # This one's traceback is this attempt's; its cause is the first, with the first's own traceback.
            raise type(first)(f"not connecting again in this request, as the first attempt failed: {first}") from first
        try:
            return super().get_new_connection(conn_params)
        except self.Database.OperationalError as error:
            if request is not None:
                setattr(request, FAILED_CONNECTIONS, {**failed, self.alias: error})
            raise
