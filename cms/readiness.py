"""Readiness: whether the portal has every service it needs now, for monitoring, alerts and deployments (``/readyz``).

``/healthz`` says only that the process answers and the database does (liveness): that is the load balancer's check.
Readiness is not, since most of what it checks is shared by every app server and one failure would take them all out
of service at once. It checks each service a request or the background work may need: the database, the cache, the
task broker when Redis is configured, the media stores (a probe file written, read back and deleted), the task queue
(its oldest waiting task younger than PORTAL_READY_TASK_AGE_SECONDS, else the workers are stopped or overwhelmed; and
no schedule due for longer than that, else no worker runs the schedules, which the queue alone does not show while
nobody uses the portal) and, when uploads wait on it (CLAMD_ADDRESS set and CLAMD_FAIL_OPEN off), the virus scanner
(clamd answers PING). A check that fails is named in the answer with a short fixed phrase; what went wrong in detail
(addresses, exception text) goes to the log only. ``/readyz`` answers any client, so each app server process runs the
checks at most once in ``PORTAL_READY_REUSE_SECONDS`` (``readiness_recent``).
"""

import logging
import threading
import uuid
from contextlib import nullcontext
from time import monotonic

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django_q.conf import Conf
from filer.settings import FILER_PRIVATEMEDIA_STORAGE

from cms.circuit_breaker import task_queue_breaker
from cms.redis_cache import OUTAGE
from cms.selectors import schedule_most_overdue, task_broker, task_queue_pending
from cms.virus_scan import clamd_command

# The database check's query and how long PostgreSQL may take over it.
DATABASE_CHECK_QUERY = "SELECT 1"
DATABASE_CHECK_SECONDS = 3
# clamd answers PING at once when it runs; a scan's own timeout (CLAMD_TIMEOUT) is for a large file.
VIRUS_SCAN_PING_SECONDS = 5

logger = logging.getLogger(__name__)
OK = "ok"
FAILED = "failed"
PROBE_PREFIX = "readiness-probe"


class NotReady(Exception):
    """A check found its service answering but wrong; the message is safe to show."""


def check_database():
    """The database answers a query. On PostgreSQL the server cancels it after ``DATABASE_CHECK_SECONDS``, so a
    database that takes the connection but is too busy to answer fails the check within seconds.

    The limit and the query go in one message, with no ``BEGIN`` round trip before it: the server arms the limit with
    a ``SET`` that reads nothing, runs the query under it, and drops the limit with the message's own transaction, so
    every other query stays unbounded."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(DATABASE_CHECK_QUERY)
            cursor.fetchone()
            return
        limit = f"SET LOCAL statement_timeout = {round(DATABASE_CHECK_SECONDS * 1000)}"
        # Within a transaction already (ATOMIC_REQUESTS, a test), a savepoint keeps it usable after a cancel; the
        # limit then lasts until that transaction ends.
        with transaction.atomic() if connection.in_atomic_block else nullcontext():
            cursor.execute(f"{limit}; {DATABASE_CHECK_QUERY}")
            cursor.nextset()
            cursor.fetchone()


def check_cache():
    key, value = f"{PROBE_PREFIX}:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=30)
    if cache.get(key) != value:
        # Nothing to remove, or a key that expires in 30 seconds: a Redis cache tries every delete even while its
        # breaker skips Redis (cms.redis_cache), so removing it here would wait for a Redis that has just failed, a
        # second time in the run and again in every run of the outage, and log an error line each time.
        raise NotReady("the cache did not return what was written")
    cache.delete(key)


def _through_task_queue_breaker(call):
    """``call()``, unless the task queue's Redis failed to answer a moment ago (cms.circuit_breaker): then the check
    fails at once instead of waiting for its time-out again."""
    breaker = task_queue_breaker()
    if breaker is None:
        return call()
    if not breaker.allows():
        raise NotReady("the task broker did not answer")
    try:
        result = call()
    except OUTAGE as error:
        breaker.failed(error)
        raise
    breaker.succeeded()
    return result


def check_broker():
    if not _through_task_queue_breaker(task_broker().ping):
        raise NotReady("the task broker did not answer")


def check_media():
    # The default store (images, uploads in progress) and django-filer's private store (documents, PDFs).
    for storage in dict.fromkeys((default_storage, FILER_PRIVATEMEDIA_STORAGE)):
        content = uuid.uuid4().hex.encode()
        # At the store's top level: on a local disk a file in a folder of its own left the folder behind, empty.
        name = storage.save(f"{PROBE_PREFIX}-{uuid.uuid4().hex}.txt", ContentFile(content))
        try:
            with storage.open(name, "rb") as probe:
                if probe.read() != content:
                    raise NotReady("the media store did not return what was written")
        finally:
            storage.delete(name)


def check_task_queue():
    _size, oldest = _through_task_queue_breaker(task_queue_pending)
    limit = settings.PORTAL_READY_TASK_AGE_SECONDS
    if oldest > limit:
        raise NotReady(f"the oldest task has waited {int(oldest)} seconds (limit {limit})")
    # An empty queue (nobody has asked for anything) says nothing of the workers: the schedules they run do. The
    # schedule's name goes to the log only, as the details of every other check do.
    name, overdue = schedule_most_overdue()
    if overdue > limit:
        logger.warning("Readiness: the schedule %r has been due for %s seconds", name, int(overdue))
        raise NotReady(f"a schedule has been due for {int(overdue)} seconds (limit {limit}): no worker runs it")


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


_last_answer = {"at": None, "answer": None}
_last_answer_lock = threading.Lock()
# What a request gets while this process's first run is still going: nothing is known yet.
CHECKS_RUNNING = (False, {"readiness": "the checks are running: ask again in a moment"})
# What it gets once the run going has outlasted ``checks_overdue_seconds()``: the run hangs, so the last answer, an
# "ok" perhaps, says nothing of now.
CHECKS_OVERDUE = {"readiness": "checks overdue: the last run has not finished"}
# libpq's time-out for opening a connection when the database settings name none (settings/base.py's default).
DEFAULT_CONNECT_SECONDS = 5


def checks_overdue_seconds() -> int:
    """How old the last answer may grow while a run is going before it is given no more: the reuse window, plus twice
    the longest a run waits on time-outs when a service does not answer (the database's connect time-out and its
    query's limit, and the virus scanner's PING)."""
    connect = settings.DATABASES["default"].get("OPTIONS", {}).get("connect_timeout", DEFAULT_CONNECT_SECONDS)
    waits = int(connect) + DATABASE_CHECK_SECONDS + VIRUS_SCAN_PING_SECONDS
    return settings.PORTAL_READY_REUSE_SECONDS + 2 * waits


def readiness_recent() -> tuple[bool, dict[str, str], int | None]:
    """``readiness()``, or this process's answer of less than ``PORTAL_READY_REUSE_SECONDS`` ago, with how many whole
    seconds ago its checks finished (None before the first run has).

    ``/readyz`` answers any client, and each run writes a file to every media store and asks every service, so a
    flood of requests runs the checks at most once a window in each app server process. A request arriving while a
    run is going does not wait for it (a run in an outage waits on time-outs, and with GUNICORN_THREADS above one a
    burst of probes would hold every thread): it gets the last answer at once, however old (a run in an outage may
    take longer than the window), or ``CHECKS_RUNNING`` before the first. The age tells an operator which. Once that
    answer is older than ``checks_overdue_seconds()`` the run hangs: a 503 saying the checks are overdue
    (``CHECKS_OVERDUE``), not the last "ok" for ever.
    """
    if not _last_answer_lock.acquire(blocking=False):
        ready, results, age = _with_age(_last_answer["answer"], _last_answer["at"])
        if age is not None and age > checks_overdue_seconds():
            return False, dict(CHECKS_OVERDUE), age
        return ready, results, age
    try:
        at = _last_answer["at"]
        if at is not None and monotonic() - at < settings.PORTAL_READY_REUSE_SECONDS:
            return _with_age(_last_answer["answer"], at)
        answer = readiness()
        at = monotonic()
        _last_answer.update(at=at, answer=answer)
        return _with_age(answer, at)
    finally:
        _last_answer_lock.release()


def _with_age(answer, at):
    if answer is None:
        return (*CHECKS_RUNNING, None)
    return (*answer, max(0, int(monotonic() - at)))
