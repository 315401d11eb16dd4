"""Readiness: whether this app server can do its work now, for a load balancer or an orchestrator (``/readyz``).

``/healthz`` says only that the process answers and the database does (liveness). Readiness checks each service a
request may need: the database, the cache, the task broker when Redis is configured, the media stores (a probe
file written, read back and deleted), the task queue (its oldest waiting task younger than
PORTAL_READY_TASK_AGE_SECONDS, else the workers are stopped or overwhelmed) and, when uploads wait on it (CLAMD_ADDRESS
set and CLAMD_FAIL_OPEN off), the virus scanner (clamd answers PING). A check that fails is named in the
answer with a short fixed phrase; what went wrong in detail (addresses, exception text) goes to the log only.
"""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django_q.conf import Conf
from filer.settings import FILER_PRIVATEMEDIA_STORAGE

from cms.selectors import task_broker, task_queue_pending
from cms.virus_scan import clamd_command

# clamd answers PING at once when it runs; a scan's own timeout (CLAMD_TIMEOUT) is for a large file.
VIRUS_SCAN_PING_SECONDS = 5

logger = logging.getLogger(__name__)
OK = "ok"
FAILED = "failed"
PROBE_PREFIX = "readiness-probe"


class NotReady(Exception):
    """A check found its service answering but wrong; the message is safe to show."""


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache():
    key, value = f"{PROBE_PREFIX}:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=30)
    try:
        if cache.get(key) != value:
            raise NotReady("the cache did not return what was written")
    finally:
        cache.delete(key)


def check_broker():
    if not task_broker().ping():
        raise NotReady("the task broker did not answer")


def check_media():
    # The default store (images, uploads in progress) and django-filer's private store (documents, PDFs).
    for storage in dict.fromkeys((default_storage, FILER_PRIVATEMEDIA_STORAGE)):
        content = uuid.uuid4().hex.encode()
        name = storage.save(f"{PROBE_PREFIX}/{uuid.uuid4().hex}.txt", ContentFile(content))
        try:
            with storage.open(name, "rb") as probe:
                if probe.read() != content:
                    raise NotReady("the media store did not return what was written")
        finally:
            storage.delete(name)


def check_task_queue():
    _size, oldest = task_queue_pending()
    limit = settings.PORTAL_READY_TASK_AGE_SECONDS
    if oldest > limit:
        raise NotReady(f"the oldest task has waited {int(oldest)} seconds (limit {limit})")


def check_virus_scan():
    timeout = min(settings.CLAMD_TIMEOUT, VIRUS_SCAN_PING_SECONDS)
    if clamd_command("PING", address=settings.CLAMD_ADDRESS, timeout=timeout) != "PONG":
        raise NotReady("the virus scanner did not answer PING with PONG")


def checks():
    """The checks that apply to this configuration, by name, in the order they run."""
    found = {"database": check_database, "cache": check_cache}
    if not Conf.ORM:
        found["broker"] = check_broker
    found["media"] = check_media
    found["task_queue"] = check_task_queue
    # Fail-open lets uploads through unscanned while clamd is down: they do not wait on it then.
    if settings.CLAMD_ADDRESS and not settings.CLAMD_FAIL_OPEN:
        found["virus_scan"] = check_virus_scan
    return found


def readiness() -> tuple[bool, dict[str, str]]:
    """Run every check; (all passed, {name: "ok", "failed" or a safe phrase saying what is wrong})."""
    results = {}
    for name, check in checks().items():
        try:
            check()
        except NotReady as problem:
            logger.warning("Readiness: %s is not ready: %s", name, problem)
            results[name] = str(problem)
        except Exception as error:
            logger.warning("Readiness: %s failed: %s: %s", name, type(error).__name__, error)
            results[name] = FAILED
        else:
            results[name] = OK
    return all(result == OK for result in results.values()), results
