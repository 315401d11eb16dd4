import tempfile

import pytest
from django.db import OperationalError, connection
from psycopg import pq

from cms import readiness
from tests.cms import test_settings


def test_healthz_is_200_when_the_database_answers(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_does_not_answer(client, db, monkeypatch):
    from django.db import connection

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", refuse)
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the server-side limit is PostgreSQL's")
def test_healthz_is_503_when_the_database_takes_the_query_but_does_not_answer_it(client, db, monkeypatch):
    """A database too busy to answer gives the probe its 503 within seconds, not a worker killed by gunicorn."""
    monkeypatch.setattr(readiness, "DATABASE_CHECK_QUERY", "SELECT pg_sleep(5)")
    monkeypatch.setattr(readiness, "DATABASE_CHECK_SECONDS", 0.2)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "error"}


def _sent_to_the_server(call):
    """The statements ``call`` sends on the default connection, in order, as libpq's protocol trace writes them (with
    the BEGIN and COMMIT that psycopg sends of itself, which Django's query log leaves out)."""
    connection.ensure_connection()
    pgconn = connection.connection.pgconn
    with tempfile.TemporaryFile("w+") as trace:
        pgconn.trace(trace.fileno())
        pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
        try:
            call()
        finally:
            pgconn.untrace()
        trace.seek(0)
        sent = [line.split("\t") for line in trace.read().splitlines() if line.startswith("F\t")]
    return [fields[3].strip().strip('"') for fields in sent if fields[2] in {"Query", "Parse"}]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the server-side limit is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_the_database_check_asks_nothing_before_its_time_limit_holds():
    """A connected but stalled database must not hold the check before its limit is armed: the limit and the query go
    in one message, with no BEGIN (or set_config query) of their own before it."""
    sent = _sent_to_the_server(readiness.check_database)

    assert sent == ["SET LOCAL statement_timeout = 3000; SELECT 1"]


@pytest.mark.django_db(transaction=True)
def test_the_database_checks_limit_no_other_query(client):
    client.get("/healthz")

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if connection.vendor == "postgresql":
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == "0"


FOREIGN_HOST = "10.0.0.5"  # a load balancer probing the app server at its own address, not one of ALLOWED_HOSTS


def test_the_health_checks_answer_a_probe_by_the_servers_own_address(client, schedules_on_time):
    live = client.get("/healthz", HTTP_HOST=FOREIGN_HOST)
    ready = client.get("/readyz", HTTP_HOST=FOREIGN_HOST)

    assert (live.status_code, live.json()) == (200, {"status": "ok", "database": "ok"})
    assert ready.status_code == 200 and ready.json()["status"] == "ok"


@pytest.mark.parametrize("path", ["/portal/", "/", "/metrics", "/healthz/"])
def test_every_other_path_still_refuses_a_host_not_allowed(client, db, path):
    assert client.get(path, HTTP_HOST=FOREIGN_HOST).status_code == 400


def test_with_production_settings_a_plain_http_probe_by_address_gets_its_answer():
    """Production redirects plain HTTP to HTTPS and checks the Host: neither stops the probe, and the host check
    still stops everything else."""
    env = {
        **test_settings.PRODUCTION_ENV,
        "DATABASE_URL": "sqlite://:memory:",
        # No collectstatic here: the 400 page's stylesheet comes without the manifest.
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    }
    result = test_settings._manage(["shell", "-v", "0", "-c", PRODUCTION_PROBE], **env)

    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["healthz", "200", "portal", "400", "home", "301"], result.stderr[-2000:]


PRODUCTION_PROBE = f"""
from django.test import Client
client = Client()
print("healthz", client.get("/healthz", HTTP_HOST="{FOREIGN_HOST}").status_code)
print("portal", client.get("/portal/", HTTP_HOST="{FOREIGN_HOST}").status_code)
print("home", client.get("/", HTTP_HOST="portal.example.org").status_code)
"""
