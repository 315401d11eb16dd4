"""The production profile: shared sessions, media on an S3-compatible store when configured, gunicorn's config."""

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.child_env import child_env
from tests.cms import test_settings
from tests.cms.test_database_keepalives import KEEPALIVE_DEFAULTS, KEEPALIVE_OPTIONS

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {"DJANGO_SETTINGS_MODULE": "settings.production", **test_settings.PRODUCTION_ENV}
S3_ENV = {
    "AWS_STORAGE_BUCKET_NAME": "kestrelford-portal",
    "AWS_S3_ENDPOINT_URL": "https://s3.example.org",
    "AWS_S3_REGION_NAME": "eu-west-2",
    "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE",
    "AWS_SECRET_ACCESS_KEY": "example-secret",
    "AWS_LOCATION": "portal",
}
PROBE = """
import json
from django.conf import settings
from django.core.files.storage import storages
default_storage = storages["default"]
from filer import settings as filer_settings
from wagtail.images.models import get_rendition_storage
renditions = get_rendition_storage()
print(json.dumps({
    "session_engine": settings.SESSION_ENGINE,
    "default": type(default_storage).__name__,
    "default_acl": getattr(default_storage, "default_acl", None),
    "signed": getattr(default_storage, "querystring_auth", None),
    "location": getattr(default_storage, "location", None),
    "url": default_storage.url("documents/report.pdf"),
    "renditions_acl": getattr(renditions, "default_acl", None),
    "renditions_location": getattr(renditions, "location", None),
    "filer_private": type(filer_settings.FILER_PRIVATEMEDIA_STORAGE).__name__,
    "filer_private_location": getattr(filer_settings.FILER_PRIVATEMEDIA_STORAGE, "location", None),
    "filer_private_acl": getattr(filer_settings.FILER_PRIVATEMEDIA_STORAGE, "default_acl", None),
    "docs_serve": getattr(settings, "WAGTAILDOCS_SERVE_METHOD", None),
    "email_backend": settings.EMAIL_BACKEND,
    "database_options": settings.DATABASES["default"].get("OPTIONS", {}),
}))
"""


# What each media store's S3 client waits for and how often it tries: read from the client boto3 builds, as a call
# would use it (building it connects to nothing).
S3_CLIENT_PROBE = """
import json
from django.core.files.storage import storages
from filer import settings as filer_settings
from wagtail.images.models import get_rendition_storage


def client(storage):
    config = storage.connection.meta.client.meta.config
    return [config.connect_timeout, config.read_timeout, config.retries, config.s3]


stores = (storages["default"], get_rendition_storage(), filer_settings.FILER_PRIVATEMEDIA_STORAGE)
print(json.dumps([client(storage) for storage in stores]))
"""
S3_CLIENT_ENV = ("AWS_S3_CONNECT_TIMEOUT", "AWS_S3_READ_TIMEOUT", "AWS_S3_MAX_ATTEMPTS", "AWS_S3_ADDRESSING_STYLE")


# What libpq is given for a connection, as Django passes it (reading it connects to nothing).
CONNECTION_PROBE = """
import json
from django.db import connection
print(json.dumps(connection.get_connection_params(), default=str))
"""
DATABASE_ENV = (
    "DATABASE_CONNECT_TIMEOUT",
    "DATABASE_KEEPALIVES",
    "DATABASE_KEEPALIVES_IDLE",
    "DATABASE_KEEPALIVES_INTERVAL",
    "DATABASE_KEEPALIVES_COUNT",
    "DATABASE_TCP_USER_TIMEOUT_MS",
)
NOTIFY_ENV = {"NOTIFY_API_KEY": "portal-" + "1" * 36 + "-" + "2" * 36, "NOTIFY_TEMPLATE_ID": "3" * 36}


def _run_probe(probe=PROBE, **env_changes):
    dropped = {
        *PRODUCTION_ENV,
        *S3_ENV,
        *S3_CLIENT_ENV,
        *NOTIFY_ENV,
        "REDIS_URL",
        "EMAIL_TRANSPORT",
        "EMAIL_BACKEND",
        *DATABASE_ENV,
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update({**PRODUCTION_ENV, **env_changes})  # a change to None leaves the variable out
    env = child_env({k: v for k, v in env.items() if v is not None})
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", probe],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _probe(probe=PROBE, **env_changes):
    result = _run_probe(probe, **env_changes)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_email_goes_by_the_configured_backend_or_through_gov_uk_notify(tmp_path):
    assert _probe()["email_backend"] == "django.core.mail.backends.smtp.EmailBackend"
    # A mail server is needed by the SMTP backend alone, and Notify needs neither a backend nor a sender.
    to_files = {"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "EMAIL_FILE_PATH": str(tmp_path)}
    assert _probe(**to_files, EMAIL_HOST=None)["email_backend"] == to_files["EMAIL_BACKEND"]
    no_mail_settings = dict.fromkeys(("EMAIL_BACKEND", "EMAIL_HOST", "DEFAULT_FROM_EMAIL"))
    assert _probe(EMAIL_TRANSPORT="notify", **NOTIFY_ENV, **no_mail_settings)["email_backend"] == (
        "cms.notify.NotifyEmailBackend"
    )
    # As an administrator may write it (it was a traceback: "EMAIL_TRANSPORT must be smtp ... or notify").
    assert _probe(EMAIL_TRANSPORT="Notify ", **NOTIFY_ENV, **no_mail_settings)["email_backend"] == (
        "cms.notify.NotifyEmailBackend"
    )

    missing_key = _run_probe(EMAIL_TRANSPORT="notify", NOTIFY_TEMPLATE_ID=NOTIFY_ENV["NOTIFY_TEMPLATE_ID"])
    assert missing_key.returncode != 0
    assert "Set the NOTIFY_API_KEY environment variable: EMAIL_TRANSPORT=notify does not start" in missing_key.stderr


def test_a_postgresql_connection_gives_up_after_a_few_seconds_unless_told_otherwise():
    """A database that accepts the connection and never answers fails each request (and /healthz gives its 503) in
    seconds, instead of hanging until gunicorn kills the worker."""
    database = "postgres://portal:secret@db.example.org:5432/portal"

    def connect_timeout(url, **env_changes):
        return _probe(CONNECTION_PROBE, DATABASE_URL=url, **env_changes)["connect_timeout"]

    assert connect_timeout(database) == 5
    assert connect_timeout(database, DATABASE_CONNECT_TIMEOUT="2") == 2
    assert connect_timeout(f"{database}?connect_timeout=3", DATABASE_CONNECT_TIMEOUT="2") == 3


def _keepalives(url, **env_changes):
    params = _probe(CONNECTION_PROBE, DATABASE_URL=url, **env_changes)
    return {name: params.get(name) for name in KEEPALIVE_OPTIONS}


def test_a_postgresql_connection_whose_server_vanishes_ends_within_about_a_minute():
    """Once connected, a server that vanishes (its host lost, a firewall dropping the connection) left a query, the
    worker or a kept connection waiting for the kernel's TCP limits (hours). libpq is given TCP keepalives (ended after
    30 + 3 x 10 quiet seconds) and tcp_user_timeout (data unacknowledged for 60 s); the environment changes them, and a
    DATABASE_URL's own wins."""
    database = "postgres://portal:secret@db.example.org:5432/portal"

    assert _keepalives(database) == KEEPALIVE_DEFAULTS
    assert _keepalives(
        f"{database}?keepalives_idle=45",
        DATABASE_KEEPALIVES="off",
        DATABASE_KEEPALIVES_IDLE="20",
        DATABASE_KEEPALIVES_INTERVAL="5",
        DATABASE_KEEPALIVES_COUNT="4",
        DATABASE_TCP_USER_TIMEOUT_MS="40000",
    ) == {
        "keepalives": 0,
        "keepalives_idle": 45,
        "keepalives_interval": 5,
        "keepalives_count": 4,
        "tcp_user_timeout": 40000,
    }


def test_without_a_bucket_media_stays_on_local_disk_and_sessions_in_the_database():
    probed = _probe()

    assert probed["default"] == "FileSystemStorage"
    assert probed["session_engine"] == "cms.session_backends.db"


def test_with_redis_sessions_are_read_through_the_cache_and_kept_in_the_database():
    assert _probe(REDIS_URL="redis://127.0.0.1:6379/15")["session_engine"] == "cms.session_backends.cached_db"


def test_with_a_bucket_media_is_private_on_the_store_and_served_only_through_our_views():
    probed = _probe(**S3_ENV)

    assert probed["default"] == "S3Storage"
    assert probed["default_acl"] == "private"
    assert probed["signed"] is False
    assert probed["location"] == "portal"
    assert probed["url"] == "https://s3.example.org/kestrelford-portal/portal/documents/report.pdf"
    assert "Signature" not in probed["url"]
    assert probed["filer_private"] == "S3Storage"
    assert probed["filer_private_location"] == "portal/filer_private"
    assert probed["filer_private_acl"] == "private"
    assert probed["docs_serve"] == "serve_view"
    # Image renditions on public guidance pages are the one public prefix.
    assert (probed["renditions_acl"], probed["renditions_location"]) == ("public-read", "portal/renditions")


def test_renditions_may_go_without_an_acl_where_the_store_refuses_them():
    assert _probe(**S3_ENV, AWS_PUBLIC_MEDIA_ACL="")["renditions_acl"] is None


def test_every_media_store_gives_up_on_an_unanswering_s3_store_within_seconds():
    """boto's defaults wait 60 seconds to connect and 60 for each read, up to 5 times: a bucket that does not answer
    held /readyz's media check (and any upload or download) past gunicorn's 30-second time-out."""
    expected = [3, 5, {"mode": "standard", "total_max_attempts": 2}, {"addressing_style": None}]

    assert _probe(S3_CLIENT_PROBE, **S3_ENV) == [expected] * 3


def test_the_s3_time_outs_retries_and_addressing_style_come_from_the_environment():
    changed = {
        "AWS_S3_CONNECT_TIMEOUT": "1.5",
        "AWS_S3_READ_TIMEOUT": "20",
        "AWS_S3_MAX_ATTEMPTS": "4",
        "AWS_S3_ADDRESSING_STYLE": "path",
    }
    expected = [1.5, 20, {"mode": "standard", "total_max_attempts": 4}, {"addressing_style": "path"}]

    assert _probe(S3_CLIENT_PROBE, **S3_ENV, **changed) == [expected] * 3


def test_gunicorn_reads_its_settings_from_the_environment(monkeypatch):
    for name, value in {
        "GUNICORN_BIND": "127.0.0.1:8101",
        "GUNICORN_WORKERS": "3",
        "GUNICORN_THREADS": "4",
        "GUNICORN_TIMEOUT": "45",
        "GUNICORN_ACCESS_LOG": "",
    }.items():
        monkeypatch.setenv(name, value)
    import settings.gunicorn as config

    config = importlib.reload(config)

    assert (config.bind, config.workers, config.threads, config.timeout) == (["127.0.0.1:8101"], 3, 4, 45)
    assert config.accesslog is None
    assert config.control_socket_disable is True
