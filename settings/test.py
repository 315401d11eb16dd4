"""Tests: fast hashing, synchronous tasks, a temporary MEDIA_ROOT; DATABASE_URL selects PostgreSQL."""

import os
import tempfile
from urllib.parse import urlsplit, urlunsplit

from .base import *  # noqa: F403
from .base import Q_CLUSTER, REDIS_URL, redis_broker_url, redis_cache

DEBUG = False
SECRET_KEY = "test-secret-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-media-")
FILER_STORAGES = filer_private_storages(MEDIA_ROOT)  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
WAGTAILADMIN_BASE_URL = "http://testserver"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Each test's /readyz runs its checks (tests/cms/test_readiness.py tests the reuse).
PORTAL_READY_REUSE_SECONDS = 0

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory, so --reuse-db keeps the migrated test database between runs.
    # PORTAL_TEST_DB_SUFFIX lets several checkouts on one machine test side by side.
    _suffix = os.environ.get("PORTAL_TEST_DB_SUFFIX", "")
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f".test-db{_suffix}.sqlite3")}  # noqa: F405

# pytest-xdist (CI runs `pytest -n 2`): pytest-django gives each worker a test database of its own (name + "_gw0"),
# and here each worker gets a Redis database of its own (15, 14, ...), so one worker's cache.clear() or queue purge
# never reaches the other's. The environment says so too, for the tests that read REDIS_URL themselves.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _worker.startswith("gw"):
    _url = urlsplit(REDIS_URL)
    _db = int(_url.path.strip("/") or 15) - int(_worker[2:])
    REDIS_URL = urlunsplit(_url._replace(path=f"/{_db}"))
    os.environ["REDIS_URL"] = REDIS_URL
    CACHES["default"] = redis_cache(REDIS_URL)  # noqa: F405
    Q_CLUSTER["redis"] = redis_broker_url(REDIS_URL)
