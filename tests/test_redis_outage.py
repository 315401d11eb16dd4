"""A Redis outage loses nothing: with the portal's Redis stopped, a signed-in professional saves a step, submits and
downloads; anonymous pages are rendered afresh instead of failing on the page cache; and the emails recorded
meanwhile are sent, once each, when Redis is back and the outbox's sweep has run.

The test starts a redis-server of its own on a free port (the session cache, the page cache and the task queue in
three of its databases), so it runs alike in CI's SQLite pass and its PostgreSQL-and-Redis pass. The task queue is
django-q2's real Redis broker; the queued tasks are run through django-q2's own worker and monitor in this process,
as a cluster's worker would run them.
"""

import os
import shutil
import subprocess
import time
from multiprocessing import Queue, Value

import pytest
import redis
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.test import Client
from django_q.brokers import get_broker
from django_q.conf import Conf
from django_q.monitor import monitor
from django_q.signing import SignedPackage
from django_q.worker import worker

from advice_forms.casework_setup import terms_seed
from advice_forms.models import RequestState, Submission
from cms.circuit_breaker import CircuitBreaker
from cms.models import EmailNotification
from cms.services import email_notifications_requeue
from settings.base import redis_broker_url, redis_cache
from tests.advice_forms.portal.test_wizard import downloaded, fill_all_steps, submit, url
from tests.autosave import autosave_data
from tests.clamd import free_port
from tests.factories.advice_forms import AdviceRequestFactory, ChildRecordFactory
from tests.otp import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
STARTUP_SECONDS = 30


class RedisServer:
    """One redis-server on loopback, without persistence, that the test stops and starts again on the same port."""

    def __init__(self, directory):
        program = shutil.which("redis-server")
        if not program:
            if os.environ.get("CI") == "true":
                pytest.fail("redis-server is not installed: CI must run the Redis outage test")
            pytest.skip("redis-server is not installed")
        self.program, self.directory, self.port = program, directory, free_port()
        self.process = None

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self):
        argv = [self.program, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(
            [*argv, "--dir", str(self.directory)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"redis-server did not answer on port {self.port} within {STARTUP_SECONDS} s")
            time.sleep(0.05)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.process = None


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def on_redis(redis_server, settings, monkeypatch):
    """The production arrangement on the test's Redis: sessions read through the cache, the page cache and the
    django-q2 broker in Redis (django-q2 reads its configuration once, at import, so its Conf is patched)."""
    settings.CACHES = {
        "default": redis_cache(redis_server.url(0)),
        "pagecache": {
            **redis_cache(redis_server.url(1)),
            "BACKEND": "cms.redis_cache.PageCacheRedis",
            "TIMEOUT": 600,
            "KEY_PREFIX": "pagecache",
        },
    }
    settings.SESSION_ENGINE = "cms.session_backends.cached_db"
    monkeypatch.setattr(Conf, "SYNC", False)
    monkeypatch.setattr(Conf, "ORM", None)
    monkeypatch.setattr(Conf, "REDIS", redis_broker_url(redis_server.url(2)))
    return redis_server


def _run_queued_tasks() -> int:
    """Take every task off the Redis queue and run it through django-q2's worker and monitor; returns how many."""
    broker = get_broker()
    tasks = Queue()
    ran = 0
    while task_set := broker.dequeue():
        for _, pack in task_set:
            tasks.put(SignedPackage.loads(pack))
            ran += 1
    results = Queue()
    tasks.put("STOP")
    worker(tasks, results, Value("f", -1))
    results.put("STOP")
    monitor(results)
    return ran


def test_a_redis_outage_loses_no_work_and_no_email(on_redis, professional, small_form, home_page, monkeypatch):
    terms_seed(apps)  # an earlier transactional test may have flushed them
    advice_request = AdviceRequestFactory(
        account=professional, form_version=small_form, child=ChildRecordFactory(first_name="Robin")
    )
    client = Client()
    assert sign_in(client, professional).status_code == 302
    anonymous = Client()
    assert [anonymous.get("/")["X-Wagtail-Cache"] for _ in range(2)] == ["miss", "hit"]
    session_cache = redis.Redis.from_url(on_redis.url(0))
    assert session_cache.keys("*sessions*"), "the session is read through Redis"
    mail.outbox.clear()

    on_redis.stop()

    # The page cache is bypassed: the page is rendered afresh, never a 500.
    during = anonymous.get("/")
    assert during.status_code == 200 and during["X-Wagtail-Cache"] != "hit"
    # The signed-in professional carries on: the session is read from the database.
    autosave = client.post(
        url("request_step_autosave", advice_request, step="about"),
        autosave_data(advice_request, "about", {"involvement": "Half done"}),
    )
    assert autosave.status_code == 200 and autosave.json()["saved"] is True
    advice_request.refresh_from_db()
    assert advice_request.raw_steps["about"]["involvement"] == ["Half done"]
    fill_all_steps(client, advice_request)  # each step saved with "Save and continue"
    advice_request.refresh_from_db()
    assert advice_request.answers["about"]["last_seen"] == "2026-11-03"
    submitted, _ = submit(client, advice_request)
    assert submitted.status_code == 302 and submitted.url == url("request_confirmation", advice_request, number=1)
    assert Submission.objects.count() == 1
    advice_request.refresh_from_db()
    assert advice_request.state == RequestState.SUBMITTED
    download = client.get(url("request_submission_pdf", advice_request, number=1), follow=True)
    assert download.status_code == 200 and downloaded(download).startswith(b"%PDF")
    # What the submission emails is recorded, waiting for the queue.
    pending = list(EmailNotification.objects.filter(state=EmailNotification.State.PENDING))
    assert pending, "the submission records an email to send"
    assert mail.outbox == []

    on_redis.start()
    assert _run_queued_tasks() == 0  # nothing reached the queue during the outage
    # Redis is tried again once the wait after its outage is over (cms.circuit_breaker).
    later = time.monotonic() + settings.PORTAL_REDIS_RETRY_SECONDS
    monkeypatch.setattr(CircuitBreaker, "clock", staticmethod(lambda: later))

    # The schedule's sweep queues what is pending; a worker sends each email once.
    assert email_notifications_requeue(older_than_seconds=0) == len(pending)
    assert _run_queued_tasks() == len(pending)
    assert not EmailNotification.objects.filter(state=EmailNotification.State.PENDING).exists()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(n.to for n in pending)

    # A second sweep finds nothing, and a task run twice sends nothing more.
    assert email_notifications_requeue(older_than_seconds=0) == 0
    assert _run_queued_tasks() == 0
    assert len(mail.outbox) == len(pending)
    assert client.get(url("request_detail", advice_request)).status_code == 200
