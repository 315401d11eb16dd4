"""A process that a test starts with the project's settings reads no .env from the project folder (tests/child_env.py):
a developer's DATABASE_URL or SECRET_KEY there gave back to `manage.py check` what the test had left out, and the
production settings started where the test expects them to refuse."""

import os
import subprocess

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
