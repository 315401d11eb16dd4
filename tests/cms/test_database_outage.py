"""A database that cannot be reached costs a request one connection attempt, not one for each thing that reads it.

Production settings in a process of their own, with DATABASE_URL on a port where nothing listens: every attempt fails
at once, and the test counts them (a database that takes the connection and never answers makes each attempt wait
DATABASE_CONNECT_TIMEOUT seconds, so the count is the number of waits).
"""

import json
import os
import subprocess
import sys
import traceback
from pathlib import Path

import psycopg
import pytest
from django.http import HttpRequest

from cms.postgresql_backend import base as postgresql_base
from cms.postgresql_backend import connection_failed
from tests.child_env import child_env
from tests.clamd import free_port
from tests.cms import test_settings

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import json
from django.db.backends.postgresql import base
from django.test import Client

attempts = []
connect = base.DatabaseWrapper.get_new_connection


def counted(self, conn_params):
    attempts.append(1)
    return connect(self, conn_params)


base.DatabaseWrapper.get_new_connection = counted
client = Client(raise_request_exception=False, HTTP_HOST="portal.example.org")
client.cookies["sessionid"] = "a" * 32 if {signed_in} else ""
response = client.get({path!r}, secure=True)
answer = {{"status": response.status_code, "attempts": len(attempts), "body": response.content.decode()}}
print(json.dumps({{**answer, "retry_after": response.get("Retry-After")}}))
"""


def _request_with_the_database_down(path, *, signed_in):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_", "DATABASE_", "PORTAL_"))}
    env = child_env(
        env,
        **{
            "DJANGO_SETTINGS_MODULE": "settings.production",
            **test_settings.PRODUCTION_ENV,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/portal",
            # The error page's styles, without a collectstatic manifest.
            "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        },
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SCRIPT.format(path=path, signed_in=signed_in)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1]), result.stderr


@pytest.mark.parametrize(("path", "signed_in"), [("/", False), ("/portal/", True)])
def test_a_request_tries_an_unreachable_database_once(path, signed_in):
    answer, log = _request_with_the_database_down(path, signed_in=signed_in)

    assert (answer["status"], answer["retry_after"]) == (503, "120")
    assert answer["attempts"] == 1
    assert "Sorry, the service is unavailable" in answer["body"]
    assert "The service is not available right now; try again in a few minutes." in answer["body"]
    # The request's own line is written, and the error page did not fail on the way.
    assert f"GET {path} 503" in log
    assert "could not render" not in log


def _unreachable(monkeypatch, request, **options):
    """The portal's backend, in a request, for a PostgreSQL address where nothing listens (fails at once)."""
    monkeypatch.setattr(postgresql_base, "current_request", lambda: request)
    settings_dict = {
        "ENGINE": "cms.postgresql_backend",
        "NAME": "portal",
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": "127.0.0.1",
        "PORT": str(free_port()),
        "OPTIONS": {"connect_timeout": 5, **options},
        "TIME_ZONE": None,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "AUTOCOMMIT": True,
        "ATOMIC_REQUESTS": False,
        "TEST": {},
    }
    wrapper = postgresql_base.DatabaseWrapper(settings_dict, alias="default")
    return wrapper, wrapper.get_connection_params()


def _connect_from_another_place(wrapper, params):
    return wrapper.get_new_connection(params)


def test_a_later_attempt_in_the_request_fails_at_once_with_an_error_of_its_own_caused_by_the_first(monkeypatch):
    """The first failure was raised again, the same object: its traceback grew with each later caller's frames, so a
    log showed where the error page reached for the database spliced onto where the connection failed."""
    request = HttpRequest()
    wrapper, params = _unreachable(monkeypatch, request)
    with pytest.raises(psycopg.OperationalError) as first:
        wrapper.get_new_connection(params)
    first_traceback = traceback.format_tb(first.value.__traceback__)

    with pytest.raises(psycopg.OperationalError) as later:
        _connect_from_another_place(wrapper, params)

    assert later.value is not first.value
    assert later.value.__cause__ is first.value
    assert traceback.format_tb(first.value.__traceback__) == first_traceback  # where it failed, and only that
    assert "_connect_from_another_place" in "".join(traceback.format_tb(later.value.__traceback__))
    assert str(later.value).startswith("not connecting again in this request, as the first attempt failed: ")
    assert "Connection refused" in str(later.value)
    assert connection_failed(request)


def test_an_error_at_connect_that_is_no_outage_is_not_kept_and_the_error_page_may_ask_the_database(monkeypatch):
    """A mistyped option in DATABASE_URL is a ProgrammingError before any connection is tried: not an outage."""
    request = HttpRequest()
    wrapper, params = _unreachable(monkeypatch, request, mistyped_option="1")

    for _ in range(2):
        with pytest.raises(psycopg.ProgrammingError) as raised:
            wrapper.get_new_connection(params)
        assert raised.value.__cause__ is None

    assert not connection_failed(request)
