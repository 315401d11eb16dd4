"""A PostgreSQL server that vanishes after the connection is made (its host lost, a firewall dropping the connection)
ends the connection within about a minute: TCP keepalives and tcp_user_timeout reach the connection's socket, so a
query or an idle kept connection does not wait for the kernel's defaults (hours).

Read from a real connection's socket when the tests run on PostgreSQL over TCP (CI's second run); what the settings
give libpq for each environment is tested in tests/cms/test_production_profile.py.
"""

import socket

import pytest
from django.db import connection

KEEPALIVE_OPTIONS = ("keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout")
KEEPALIVE_DEFAULTS = {
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
    "tcp_user_timeout": 60000,
}


@pytest.mark.django_db
def test_the_keepalives_reach_the_connections_socket():
    if connection.vendor != "postgresql":
        pytest.skip("the socket's options are read on PostgreSQL (DATABASE_URL=postgres://...)")
    if not connection.settings_dict["HOST"] or connection.settings_dict["HOST"].startswith("/"):
        pytest.skip("a Unix socket has no TCP options: give DATABASE_URL a TCP address (127.0.0.1)")
    connection.ensure_connection()
    # fromfd duplicates the descriptor: closing the copy leaves the connection open.
    with socket.fromfd(connection.connection.pgconn.socket, socket.AF_INET, socket.SOCK_STREAM) as sock:
        read = {
            "keepalives": sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE),
            "keepalives_idle": sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE),
            "keepalives_interval": sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL),
            "keepalives_count": sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT),
            "tcp_user_timeout": sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT),
        }
    options = connection.settings_dict["OPTIONS"]

    assert read == {name: options.get(name) for name in KEEPALIVE_OPTIONS}
    assert read["keepalives"] == 1
