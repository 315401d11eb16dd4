"""A database that cannot be reached costs a request one connection attempt, not one for each thing that reads it.

Production settings in a process of their own, with DATABASE_URL on a port where nothing listens: every attempt fails
at once, and the test counts them (a database that takes the connection and never answers makes each attempt wait
DATABASE_CONNECT_TIMEOUT seconds, so the count is the number of waits).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

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
print(json.dumps({{"status": response.status_code, "attempts": len(attempts), "body": response.content.decode()}}))
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

    assert answer["status"] == 500
    assert answer["attempts"] == 1
    assert "Sorry, there is a problem with the service" in answer["body"]
    assert "Try again later. Anything you saved before this happened has been kept." in answer["body"]
    # The request's own line is written, and the error page did not fail on the way.
    assert f"GET {path} 500" in log
    assert "could not render" not in log
