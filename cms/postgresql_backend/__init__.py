"""Django's PostgreSQL backend, except that a connection that failed is not tried again in the same request (base.py).

What the rest of the site asks of it lives here, away from psycopg: whether this request's connection failed.
"""

FAILED_CONNECTIONS = "_portal_failed_database_connections"


def connection_failed(request) -> bool:
    """Whether a connection to a database failed to open in this request (the database is down or unreachable): its
    error page then asks the database nothing. An error of a query on a working connection is not one."""
    return bool(getattr(request, FAILED_CONNECTIONS, None))
