"""The loopback production shape's processes get an environment of their own, not their caller's."""

import json
import os
import shutil
import subprocess
import sys

from bench.topology import INHERITED_ENV, LOCAL_SECRET_KEY, ROOT, Topology

CALLERS_PRODUCTION = {
    "MEDIA_ROOT": "/srv/portal/media",
    "PORTAL_PAGE_CACHE_URL": "redis://redis.council.example.org:6379/1",
    "PORTAL_MAX_UPLOAD_MB": "1",
    "EMAIL_TRANSPORT": "notify",
    "NOTIFY_API_KEY": "live-" + "1" * 36 + "-" + "2" * 36,
    "EMAIL_HOST": "smtp.council.example.org",
    "AWS_STORAGE_BUCKET_NAME": "council-portal-media",
    "SENTRY_DSN": "https://key@sentry.example.org/1",
    "SECRET_KEY": "the-production-secret",
    "DATABASE_URL": "postgres://portal@db.council.example.org:5432/portal",
}


def test_the_shape_takes_none_of_its_callers_settings(monkeypatch):
    for name, value in {**CALLERS_PRODUCTION, "PATH": "/usr/bin:/bin", "LANG": "en_GB.UTF-8", "LC_ALL": "C"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("CLAMD_ADDRESS", raising=False)
    shape = Topology(
        database_url="postgres://postgres@127.0.0.1:5432/portal_bench",
        redis_url="redis://127.0.0.1:6379/2",
        extra_env={"PORTAL_BENCH_VIEWS": "true"},
    )

    env = shape.env()

    assert sorted(name for name, value in CALLERS_PRODUCTION.items() if env.get(name) == value) == []
    assert (env["SECRET_KEY"], env["DATABASE_URL"]) == (LOCAL_SECRET_KEY, shape.database_url)
    # Written to files, not printed where the demo's invitation links would be read in the terminal or a log.
    assert env["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert env["EMAIL_FILE_PATH"] == str(ROOT / "sent_emails" / "serve-prod")
    assert env["CLAMD_ADDRESS"] == "off"
    # What a process needs to run, and what the caller gives on purpose, still arrive.
    assert (env["PATH"], env["LANG"], env["LC_ALL"]) == ("/usr/bin:/bin", "en_GB.UTF-8", "C")
    assert env["PORTAL_BENCH_VIEWS"] == "true"


DEVELOPERS_DOTENV = "MEDIA_ROOT=/home/developer/portal-media\nEMAIL_TRANSPORT=notify\nNOTIFY_API_KEY=dev-key\n"
READ_SETTINGS = "import json, settings.base as s; print(json.dumps([s.MEDIA_ROOT, s.EMAIL_BACKEND]))"


def _settings_read_beside_a_dotenv(folder, env):
    """MEDIA_ROOT and EMAIL_BACKEND as settings/base.py reads them from a project folder holding a developer's .env."""
    shutil.copytree(ROOT / "settings", folder / "settings", ignore=shutil.ignore_patterns("__pycache__"))
    (folder / ".env").write_text(DEVELOPERS_DOTENV + "NOTIFY_TEMPLATE_ID=f33517ff-2a88-4f6e-b855-c550268ce08a\n")
    result = subprocess.run(
        [sys.executable, "-c", READ_SETTINGS], cwd=folder, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_shapes_servers_read_no_dot_env_from_the_project_folder(tmp_path):
    shape = Topology(
        database_url="postgres://postgres@127.0.0.1:5432/portal_bench", redis_url="redis://127.0.0.1:6379/2"
    )
    env = shape.env()

    media_root, email_backend = _settings_read_beside_a_dotenv(tmp_path, env)

    assert (media_root, email_backend) == (str(tmp_path / "media"), env["EMAIL_BACKEND"])


def test_settings_read_the_project_folders_dot_env_by_default(tmp_path):
    env = {k: v for k, v in os.environ.items() if k in INHERITED_ENV}

    media_root, email_backend = _settings_read_beside_a_dotenv(tmp_path, env)

    assert (media_root, email_backend) == ("/home/developer/portal-media", "cms.notify.NotifyEmailBackend")
