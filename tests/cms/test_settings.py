"""Production settings: refuse to start without secrets, and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 64 + "-a-long-random-production-secret",
    "ALLOWED_HOSTS": "portal.example.org",
    "DATABASE_URL": "sqlite:////tmp/portal-check.sqlite3",
    "WAGTAILADMIN_BASE_URL": "https://portal.example.org",
    "DEFAULT_FROM_EMAIL": "no-reply@portal.example.org",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "smtp.example.org",
}


def _manage(args, **env_changes):
    dropped = {*PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update({"DJANGO_SETTINGS_MODULE": "settings.production", **env_changes})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    "variable",
    ["SECRET_KEY", "DATABASE_URL", "WAGTAILADMIN_BASE_URL", "DEFAULT_FROM_EMAIL", "EMAIL_BACKEND", "EMAIL_HOST"],
)
def test_production_refuses_to_start_without(variable):
    env = dict(PRODUCTION_ENV)
    env.pop(variable)

    result = _manage(["check"], **env)

    assert result.returncode != 0
    assert f"Set the {variable} environment variable" in result.stderr


def test_check_deploy_gives_no_warnings():
    result = _manage(["check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout
