"""/readyz: 200 when every service the app server needs is ready, else 503 naming the check that failed, with
no address or exception text in the body. Each failure is real where that is cheap: a closed port, a store that
cannot be written."""

import socket
import threading
from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_q.conf import Conf
from django_q.models import Schedule
from filer.settings import FILER_PRIVATEMEDIA_STORAGE

from cms import readiness
from tests.clamd import free_port

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("schedules_on_time")]
CLOSED_PORT = "redis://127.0.0.1:1/0"
SCHEDULE_NAME = "Queue again emails that a stopped worker left pending"


def _failed(response):
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    text = response.content.decode()
    for leak in ("127.0.0.1", "Error", "refused", "a-file", "Traceback"):
        assert leak not in text, text
    return {name: result for name, result in body["checks"].items() if result != "ok"}


def test_ready_when_every_check_passes(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    # The broker is checked when it is Redis (REDIS_URL); the database broker is the database.
    broker = {} if Conf.ORM else {"broker": "ok"}
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", **broker, "media": "ok", "task_queue": "ok"},
        "checked_seconds_ago": 0,
    }
    assert "no-cache" in response["Cache-Control"]


def test_the_database_not_answering_is_named(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "10.1.2.3", port 5432 failed: Connection refused')

    monkeypatch.setattr(connection, "cursor", refuse)

    # The task queue's schedules are in the database, and on the database broker the queue is too.
    assert _failed(client.get("/readyz")) == {"database": "failed", "task_queue": "failed"}


def test_a_cache_on_a_closed_port_is_named(client):
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CLOSED_PORT},
        "pagecache": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "readiness"},
    }
    with override_settings(CACHES=caches):
        assert _failed(client.get("/readyz")) == {"cache": "failed"}


def test_a_redis_broker_on_a_closed_port_is_named(client, monkeypatch):
    monkeypatch.setattr(Conf, "ORM", None)
    monkeypatch.setattr(Conf, "REDIS", CLOSED_PORT)

    failed = _failed(client.get("/readyz"))

    # The task queue's check does not ask a Redis that has just failed to answer (cms.circuit_breaker).
    assert failed == {"broker": "failed", "task_queue": "the task broker did not answer"}


def test_a_media_store_that_cannot_be_written_is_named(client, tmp_path):
    not_a_directory = tmp_path / "a-file"
    not_a_directory.write_text("")
    storages = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(not_a_directory / "media")},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        assert _failed(client.get("/readyz")) == {"media": "failed"}


def test_the_private_document_store_is_probed_too(client, tmp_path, monkeypatch):
    not_a_directory = tmp_path / "a-file"
    not_a_directory.write_text("")
    monkeypatch.setattr(FILER_PRIVATEMEDIA_STORAGE, "location", str(not_a_directory / "private"))

    assert _failed(client.get("/readyz")) == {"media": "failed"}


def test_a_task_waiting_longer_than_the_limit_is_named(client, settings, queue_task):
    settings.PORTAL_READY_TASK_AGE_SECONDS = 300
    queue_task("a-waiting-task", age_seconds=400)

    failed = _failed(client.get("/readyz"))

    assert list(failed) == ["task_queue"]
    assert failed["task_queue"].startswith("the oldest task has waited 4")
    settings.PORTAL_READY_TASK_AGE_SECONDS = 600
    assert client.get("/readyz").status_code == 200


def _schedule_due(name, seconds, **fields):
    Schedule.objects.update_or_create(
        name=name,
        defaults={
            "func": "cms.tasks.email_notifications_requeue",
            "schedule_type": Schedule.MINUTES,
            "minutes": 1,
            "repeats": -1,
            "next_run": timezone.now() - timedelta(seconds=seconds),
            **fields,
        },
    )


def test_a_stopped_worker_is_named_by_the_schedules_it_leaves_due_though_nobody_queued_a_task(client, settings, caplog):
    """With every worker stopped and nobody using the portal the queue stays empty: /readyz said 200 while the
    every-minute schedules waited, overdue, and no email, reminder or scheduled page would go."""
    settings.PORTAL_READY_TASK_AGE_SECONDS = 60
    _schedule_due(SCHEDULE_NAME, 110)
    _schedule_due("Publish scheduled pages and snippets", 95)

    response = client.get("/readyz")

    assert _failed(response) == {"task_queue": "a schedule has been due for 110 seconds (limit 60): no worker runs it"}
    assert SCHEDULE_NAME not in response.content.decode()  # the log names it
    assert f"the schedule '{SCHEDULE_NAME}' has been due for 110 seconds" in caplog.text


def test_a_schedule_due_within_the_limit_or_that_will_not_run_again_is_no_stopped_worker(client, settings):
    """The scheduler looks every 30 seconds, so a schedule is due for up to that long while the worker runs."""
    settings.PORTAL_READY_TASK_AGE_SECONDS = 60
    _schedule_due(SCHEDULE_NAME, 40)
    _schedule_due("Finished", 3600, repeats=0)

    assert client.get("/readyz").status_code == 200


def test_probes_leave_nothing_behind(client, monkeypatch):
    from django.core.cache import caches
    from django.core.files.storage import default_storage

    cache, written = caches["default"], []
    set_in_cache = cache.set

    def recording_set(key, *args, **kwargs):
        written.append(key)
        return set_in_cache(key, *args, **kwargs)

    monkeypatch.setattr(cache, "set", recording_set)

    assert client.get("/readyz").status_code == 200

    for storage in (default_storage, FILER_PRIVATEMEDIA_STORAGE):
        folders, files = storage.listdir("")
        assert [name for name in (*folders, *files) if name.startswith("readiness-probe")] == []
    assert len(written) == 1 and cache.get(written[0]) is None


def test_the_virus_scanner_is_checked_when_uploads_wait_on_it(client, settings, clamd):
    settings.CLAMD_ADDRESS = clamd.address

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"]["virus_scan"] == "ok"


@pytest.mark.parametrize("kind", ["tcp", "unix"])
def test_a_virus_scanner_that_does_not_answer_is_named(client, settings, tmp_path, kind):
    settings.CLAMD_ADDRESS = f"127.0.0.1:{free_port()}" if kind == "tcp" else str(tmp_path / "no-clamd.sock")

    assert _failed(client.get("/readyz")) == {"virus_scan": "failed"}


def test_with_fail_open_uploads_do_not_wait_on_the_virus_scanner_and_neither_does_readiness(client, settings):
    settings.CLAMD_ADDRESS = f"127.0.0.1:{free_port()}"
    settings.CLAMD_FAIL_OPEN = True

    response = client.get("/readyz")

    assert response.status_code == 200
    assert "virus_scan" not in response.json()["checks"]


def test_something_else_on_the_virus_scanners_address_is_named(client, settings):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        settings.CLAMD_ADDRESS = f"127.0.0.1:{listener.getsockname()[1]}"
        answer = threading.Thread(target=_answer_once, args=(listener, b"HTTP/1.1 400 Bad Request\r\n\r\n"))
        answer.start()

        failed = _failed(client.get("/readyz"))
        answer.join()

    assert failed == {"virus_scan": "the virus scanner did not answer PING with PONG"}


def _answer_once(listener, reply):
    listener.settimeout(30)
    try:
        connection, _ = listener.accept()
    except OSError:
        return  # nobody asked (or the test is over): its assertion says so
    with connection:
        connection.recv(64)
        connection.sendall(reply)


def test_a_flood_of_probes_runs_the_checks_once_a_window(client, settings, monkeypatch):
    """/readyz answers anyone, and each run writes to the media stores: within PORTAL_READY_REUSE_SECONDS a process
    gives the answer it has, writing and asking nothing; once the window has passed it runs the checks again."""
    monkeypatch.setattr(readiness, "_last_answer", {"at": None, "answer": None})
    settings.PORTAL_READY_REUSE_SECONDS = 5
    saves = []
    real_save = FILER_PRIVATEMEDIA_STORAGE.save
    monkeypatch.setattr(FILER_PRIVATEMEDIA_STORAGE, "save", lambda *a, **k: saves.append(a) or real_save(*a, **k))

    assert client.get("/readyz").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        for _ in range(20):
            assert client.get("/readyz").json()["status"] == "ok"
    assert (len(saves), len(queries)) == (1, 0)

    monkeypatch.setattr(readiness, "monotonic", lambda: readiness._last_answer["at"] + 5)
    assert client.get("/readyz").status_code == 200
    assert len(saves) == 2


def test_a_reused_answer_says_how_old_it_is(client, settings, monkeypatch):
    """An operator reading a reused answer could not tell it from a fresh one: it says how many seconds ago its checks
    ran, in the body (not in an Age header, which is a cache's)."""
    monkeypatch.setattr(readiness, "_last_answer", {"at": None, "answer": None})
    settings.PORTAL_READY_REUSE_SECONDS = 5
    fresh = client.get("/readyz")
    monkeypatch.setattr(readiness, "monotonic", lambda: readiness._last_answer["at"] + 3.7)

    reused = client.get("/readyz")

    assert (fresh.json()["checked_seconds_ago"], reused.json()["checked_seconds_ago"]) == (0, 3)
    assert not fresh.has_header("Age") and not reused.has_header("Age")
    assert reused.json()["checks"] == fresh.json()["checks"]


def test_a_probe_arriving_while_the_checks_run_answers_at_once_instead_of_waiting(client, settings, monkeypatch):
    """With GUNICORN_THREADS above one, probes that arrived during a run waited on its lock, and in an outage the run
    waits on time-outs: a burst of probes held every thread. A probe now answers at once: before the process has any
    answer, a 503 saying the checks are running; after, the last answer."""
    monkeypatch.setattr(readiness, "_last_answer", {"at": None, "answer": None})
    settings.PORTAL_READY_REUSE_SECONDS = 5
    running, finish = threading.Event(), threading.Event()
    runs = []

    def run_held_until_finished():
        runs.append(1)
        running.set()
        finish.wait(10)
        return False, {"media": "failed"}

    monkeypatch.setattr(readiness, "readiness", run_held_until_finished)

    def probe_in_another_thread():
        running.clear()
        finish.clear()
        thread = threading.Thread(target=readiness.readiness_recent)
        thread.start()
        assert running.wait(10)
        return thread

    first_run = probe_in_another_thread()
    during_the_first = client.get("/readyz")
    finish.set()
    first_run.join()

    assert during_the_first.status_code == 503
    assert during_the_first.json()["checks"] == {"readiness": "the checks are running: ask again in a moment"}
    assert during_the_first.json()["checked_seconds_ago"] is None
    assert not during_the_first.has_header("Age")

    # The second run is held (a run in an outage waits on time-outs): probes meanwhile get the first run's answer,
    # saying its age, which grows past the reuse window while the run lasts.
    first_answer_at = readiness._last_answer["at"]
    monkeypatch.setattr(readiness, "monotonic", lambda: first_answer_at + 5)
    second_run = probe_in_another_thread()
    monkeypatch.setattr(readiness, "monotonic", lambda: first_answer_at + 20)
    during_the_second = client.get("/readyz")
    finish.set()
    second_run.join()

    assert (during_the_second.status_code, during_the_second.json()["checks"]) == (503, {"media": "failed"})
    assert during_the_second.json()["checked_seconds_ago"] == 20 and not during_the_second.has_header("Age")
    assert len(runs) == 2


def test_a_run_that_hangs_past_its_time_outs_answers_503_saying_the_checks_are_overdue(client, settings, monkeypatch):
    """A run that hung kept every probe getting the last "ok" with 200 while only its age grew: past the reuse window
    and twice the time-outs a run may wait on, the answer is a 503 saying the checks are overdue."""
    monkeypatch.setattr(readiness, "_last_answer", {"at": None, "answer": None})
    settings.PORTAL_READY_REUSE_SECONDS = 5
    running, finish = threading.Event(), threading.Event()
    monkeypatch.setattr(readiness, "readiness", lambda: (True, {"database": "ok"}))
    assert client.get("/readyz").status_code == 200
    answer_at = readiness._last_answer["at"]

    def hung():
        running.set()
        finish.wait(10)
        return True, {"database": "ok"}

    monkeypatch.setattr(readiness, "readiness", hung)
    monkeypatch.setattr(readiness, "monotonic", lambda: answer_at + 5)
    thread = threading.Thread(target=readiness.readiness_recent)
    thread.start()
    assert running.wait(10)
    limit = readiness.checks_overdue_seconds()
    monkeypatch.setattr(readiness, "monotonic", lambda: answer_at + limit)
    in_time = client.get("/readyz")
    monkeypatch.setattr(readiness, "monotonic", lambda: answer_at + limit + 1)
    overdue = client.get("/readyz")
    finish.set()
    thread.join()

    assert limit == 5 + 2 * (5 + 3 + 5)  # the reuse window, twice the (default) connect, query and PING time-outs
    assert (in_time.status_code, in_time.json()["checks"]) == (200, {"database": "ok"})
    assert overdue.status_code == 503
    assert overdue.json() == {
        "status": "unavailable",
        "checks": {"readiness": "checks overdue: the last run has not finished"},
        "checked_seconds_ago": limit + 1,
    }
