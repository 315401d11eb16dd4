"""Django's PostgreSQL backend, except that a connection that failed is not tried again in the same request.

A database that takes connections and never answers (a network fault, a failover in progress) costs each attempt
``connect_timeout`` seconds (DATABASE_CONNECT_TIMEOUT). After the first attempt of a request has failed, the request
still reaches for the database: the user for its log line, the site settings and navigation of its error page. Each
reach waited again, and a page took three times the time-out, or more, to show its error. The first failure is kept
on the request and raised again at once by every later attempt in it, so a request waits once. Outside a request
(the task worker, management commands) every attempt connects.
"""

from django.db.backends.postgresql import base

from cms.logs import current_request

FAILED_CONNECTIONS = "_portal_failed_database_connections"


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        request = current_request()
        failed = getattr(request, FAILED_CONNECTIONS, {}) if request is not None else {}
        if self.alias in failed:
            raise failed[self.alias]
        try:
            return super().get_new_connection(conn_params)
        except self.Database.Error as error:
            if request is not None:
                setattr(request, FAILED_CONNECTIONS, {**failed, self.alias: error})
            raise
