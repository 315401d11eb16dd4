"""A process that a test starts with the project's settings reads no .env from the project folder (tests/child_env.py):
a developer's DATABASE_URL or SECRET_KEY there gave back to `manage.py check` what the test had left out, and the
production settings started where the test expects them to refuse."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.topology import INHERITED_ENV
from tests import terminal, test_browser_ci
from tests.bench.test_topology import _settings_read_beside_a_dotenv
from tests.child_env import child_env
from tests.cms import test_database_outage, test_post_migrate, test_production_profile, test_settings


@pytest.mark.parametrize(
    "start",
    [
        lambda tmp_path: test_settings._manage(["check"]),
        lambda tmp_path: test_production_profile._run_probe(),
        lambda tmp_path: test_database_outage._request_with_the_database_down("/", signed_in=False),
        lambda tmp_path: test_post_migrate._manage(tmp_path / "db.sqlite3", "check"),
        lambda tmp_path: test_browser_ci._run_browser_tests(ci=False),
    ],
    ids=["settings", "production_profile", "database_outage", "post_migrate", "browser_ci"],
)
def test_each_helper_that_starts_the_project_tells_it_to_read_no_dot_env(start, tmp_path, monkeypatch):
    started = []

    def run(argv, **kwargs):
        started.append(kwargs["env"])
        return subprocess.CompletedProcess(argv, 0, stdout="{}", stderr="")

    monkeypatch.setattr(subprocess, "run", run)
    start(tmp_path)

    assert [env.get("PORTAL_DOTENV") for env in started] == ["off"]


def test_a_terminals_environment_reads_no_dot_env():
    """`make run` and `manage.py qcluster`, started as a terminal would (tests/terminal.py)."""
    assert terminal.shell_env(DJANGO_SETTINGS_MODULE="settings.dev")["PORTAL_DOTENV"] == "off"


def test_a_process_given_child_env_reads_no_dot_env_beside_the_settings(tmp_path):
    env = child_env({k: v for k, v in os.environ.items() if k in INHERITED_ENV})

    media_root, email_backend = _settings_read_beside_a_dotenv(tmp_path, env)

    assert media_root == str(tmp_path / "media")
    assert email_backend != "cms.notify.NotifyEmailBackend"


POISON_DOTENV = (
    "DATABASE_URL=postgres://someone@db.example.invalid:5432/their_portal\n"
    "REDIS_URL=redis://cache.example.invalid:6379/0\n"
    "PORTAL_MAX_UPLOAD_MB=1\n"
)
READ_TEST_SETTINGS = (
    "import json, settings.test as s; "
    "print(json.dumps([s.DATABASES['default'].get('HOST', ''), s.REDIS_URL, s.PORTAL_MAX_UPLOAD_MB]))"
)


def test_the_test_settings_read_no_dot_env_from_the_project_folder(tmp_path):
    """pytest (DJANGO_SETTINGS_MODULE=settings.test, from pyproject.toml) and `make test`'s checks read the project
    folder's .env: a developer's DATABASE_URL or REDIS_URL there sent `make test` to their own database and cache,
    so it ran differently from one machine to another. CI gives them in the environment instead (.ci/run)."""
    shutil.copytree(
        Path(__file__).parent.parent / "settings", tmp_path / "settings", ignore=shutil.ignore_patterns("__pycache__")
    )
    (tmp_path / ".env").write_text(POISON_DOTENV)
    env = {k: v for k, v in os.environ.items() if k in INHERITED_ENV} | {"DJANGO_SETTINGS_MODULE": "settings.test"}

    def read(**changes):
        result = subprocess.run(
            [sys.executable, "-c", READ_TEST_SETTINGS],
            cwd=tmp_path,
            env=env | changes,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    database_host, redis_url, upload_mb = read()
    assert (database_host, redis_url) == ("", "")  # SQLite, and no Redis
    assert upload_mb != 1
    # What the environment gives still counts: that is how CI's PostgreSQL and Redis pass chooses them.
    database_host, redis_url, _ = read(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/portal_ci", REDIS_URL="redis://127.0.0.1:6379/15"
    )
    assert (database_host, redis_url) == ("127.0.0.1", "redis://127.0.0.1:6379/15")


def test_make_tests_deploy_check_reads_no_dot_env():
    """`make test` checks the production settings with dummy values; a developer's .env (REDIS_URL, an email
    transport, DEBUG) filled in the rest, so what it checked depended on whose machine ran it."""
    commands = subprocess.run(
        [terminal.MAKE, "-n", "test"], cwd=Path(__file__).parent.parent, capture_output=True, text=True, timeout=60
    ).stdout.splitlines()

    (deploy_check,) = [command for command in commands if "check --deploy" in command]
    assert "PORTAL_DOTENV=off " in deploy_check
