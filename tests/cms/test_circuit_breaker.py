"""A Redis that takes connections and never answers (a network fault, a stalled server) costs one call its socket
time-out; then the caches and the task queue go without it for PORTAL_REDIS_RETRY_SECONDS before one call tries it
again. Attempts are counted (the calls that reach a Redis client), never timed; the breakers' clock is the test's."""

import logging
import socket
import threading

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings
from django_q.brokers.redis_broker import Redis as RedisBroker
from django_q.conf import Conf

from cms.circuit_breaker import CircuitBreaker
from cms.readiness import readiness
from cms.redis_cache import ForgivingRedisCache
from cms.services import task_enqueue

TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.2}


class SilentServer:
    """A listener on loopback that accepts every connection and never answers."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections.append(connection)

    def url(self, db=0, query=""):
        return f"redis://127.0.0.1:{self.port}/{db}{query}"

    def close(self):
        self.listener.close()
        for connection in self.connections:
            connection.close()


@pytest.fixture
def silent_redis():
    server = SilentServer()
    yield server
    server.close()


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch, settings):
    settings.PORTAL_REDIS_RETRY_SECONDS = 10
    clock = Clock()
    monkeypatch.setattr(CircuitBreaker, "clock", staticmethod(clock))
    return clock


def _counting(monkeypatch, owner, name):
    calls = []
    original = getattr(owner, name)

    def counted(*args, **kwargs):
        calls.append(name)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def _outage_lines(caplog):
    return [record.getMessage() for record in caplog.records if record.name == "cms.circuit_breaker"]


def test_a_redis_cache_that_does_not_answer_is_tried_once_then_skipped_until_its_wait_is_over(
    silent_redis, clock, monkeypatch, caplog
):
    cache = ForgivingRedisCache(silent_redis.url(), {"OPTIONS": TIMEOUTS})
    attempts = _counting(monkeypatch, cache._cache, "get_client")
    caplog.set_level(logging.WARNING)

    assert cache.get("answer", "fallback") == "fallback"
    assert len(attempts) == 1
    # The rest of the request, and the requests after it, go without Redis.
    assert cache.get("answer", "fallback") == "fallback"
    assert cache.set("answer", 42) is None
    assert cache.get_many(["answer"]) == {}
    with pytest.raises(ValueError):
        cache.incr("count")
    clock.now += 9.9
    assert cache.add("answer", 42) is False
    assert len(attempts) == 1

    clock.now += 0.1
    assert cache.get("answer", "fallback") == "fallback"
    assert len(attempts) == 2, "tried again once its wait is over"
    assert cache.get("answer", "fallback") == "fallback"
    assert len(attempts) == 2
    assert len(_outage_lines(caplog)) == 1, "the outage is logged once"


def test_deletes_and_clears_are_tried_while_the_breaker_skips_redis(silent_redis, clock, monkeypatch):
    """A slow reply in one app server must not leave a signed-out session or an unpublished page in Redis for the
    others: removals are always tried."""
    cache = ForgivingRedisCache(silent_redis.url(), {"OPTIONS": TIMEOUTS})
    attempts = _counting(monkeypatch, cache._cache, "get_client")
    assert cache.get("answer", "fallback") == "fallback"
    assert len(attempts) == 1

    assert cache.delete("session") is False
    assert cache.delete_many(["session", "page"]) is None
    assert cache.clear() is False
    assert len(attempts) == 4
    assert cache.get("answer", "fallback") == "fallback"
    assert len(attempts) == 4, "reads still skip it"


def test_every_delete_and_clear_that_fails_is_an_error_line_without_its_key(silent_redis, clock, caplog):
    """An operator learns each sign-out or unpublish that did not reach the other app servers, not only the outage's
    first failure; the line says what the key held, never the key (a session's holds its id)."""
    cache = ForgivingRedisCache(silent_redis.url(), {"OPTIONS": TIMEOUTS, "KEY_PREFIX": "pagecache"})
    session_key = "django.contrib.sessions.cached_db" + "q8w7e6r5t4y3u2i1o0p9a8s7d6f5g4h3"
    caplog.set_level(logging.WARNING)

    cache.delete(session_key)
    cache.delete(session_key)
    cache.delete_many([session_key, "views.decorators.cache.cache_page.pagecache.GET.abc"])
    cache.clear()

    errors = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert [record.getMessage().split(" did not")[0] for record in errors] == [
        "Redis cache: the delete of a session",
        "Redis cache: the delete of a session",
        "Redis cache: the delete of 2 keys (cached page, session)",
        "Redis cache: the clear of every key under 'pagecache'",
    ]
    assert all("(TimeoutError)" in record.getMessage() for record in errors)
    assert "q8w7e6r5t4y3u2i1o0p9a8s7d6f5g4h3" not in caplog.text
    assert len(_outage_lines(caplog)) == 1, "the outage itself is still logged once"


def test_a_page_cache_that_does_not_answer_is_skipped_too(silent_redis, clock, monkeypatch):
    from cms.redis_cache import PageCacheRedis

    cache = PageCacheRedis(silent_redis.url(), {"OPTIONS": TIMEOUTS, "KEY_PREFIX": "pagecache"})
    connects = _counting(monkeypatch, cache._cache, "get_client")

    assert [cache.get(f"page.{n}", "miss") for n in range(3)] == ["miss"] * 3

    # The first call's invalidation connection found Redis silent: no page fetch, and no reconnection, follows it.
    assert len(connects) == 0
    assert len(silent_redis.connections) <= 1


def test_one_caller_tries_the_service_again_and_its_recovery_is_logged_once(clock, caplog):
    breaker = CircuitBreaker("Redis cache")
    caplog.set_level(logging.WARNING)

    breaker.failed(TimeoutError("Timeout reading from socket"))
    breaker.failed(TimeoutError("Timeout reading from socket"))
    assert not breaker.allows()
    clock.now += 10
    assert [breaker.allows(), breaker.allows()] == [True, False], "one caller tries it, the others still skip it"
    breaker.succeeded()
    breaker.succeeded()
    assert [breaker.allows(), breaker.allows()] == [True, True]

    assert _outage_lines(caplog) == [
        "Redis cache unreachable (TimeoutError: Timeout reading from socket); carrying on without it, trying again "
        "every 10 seconds",
        "Redis cache reachable again",
    ]


@pytest.fixture
def silent_broker(silent_redis, monkeypatch):
    """django-q2's Redis broker on the silent server (it reads its configuration once, at import)."""
    monkeypatch.setattr(Conf, "SYNC", False)
    monkeypatch.setattr(Conf, "ORM", None)
    monkeypatch.setattr(Conf, "REDIS", silent_redis.url(query="?socket_connect_timeout=0.5&socket_timeout=0.2"))
    return silent_redis


def test_tasks_are_left_for_the_sweep_without_waiting_for_a_broker_that_does_not_answer(
    silent_broker, clock, monkeypatch
):
    enqueued = _counting(monkeypatch, RedisBroker, "enqueue")

    assert task_enqueue("cms.tasks.email_notification_send", 1, task_name="first") is False
    assert len(enqueued) == 1
    assert task_enqueue("cms.tasks.email_notification_send", 2, task_name="second") is False
    assert task_enqueue("cms.tasks.email_notification_send", 3, task_name="third") is False
    assert len(enqueued) == 1

    clock.now += 10
    assert task_enqueue("cms.tasks.email_notification_send", 4, task_name="fourth") is False
    assert len(enqueued) == 2


@pytest.mark.django_db
def test_readiness_names_a_broker_that_does_not_answer_after_asking_it_once(silent_broker, clock, monkeypatch):
    pinged = _counting(monkeypatch, RedisBroker, "ping")
    sized = _counting(monkeypatch, RedisBroker, "queue_size")

    ready, results = readiness()

    assert not ready
    assert results["broker"] == "failed"
    assert results["task_queue"] == "the task broker did not answer"
    assert len(pinged) + len(sized) == 1


@pytest.mark.django_db
def test_readiness_asks_a_cache_that_does_not_answer_once_a_run_and_not_while_it_is_skipped(
    silent_redis, clock, monkeypatch, caplog
):
    silent_cache = {
        "BACKEND": "cms.redis_cache.ForgivingRedisCache",
        "LOCATION": silent_redis.url(),
        "OPTIONS": TIMEOUTS,
    }
    with override_settings(CACHES={**settings.CACHES, "default": silent_cache}):
        attempts = _counting(monkeypatch, caches["default"]._cache, "get_client")

        ready, results = readiness()
        asked_in_the_first_run = len(attempts)
        clock.now += 5  # the next run, within PORTAL_REDIS_RETRY_SECONDS
        readiness()

    assert not ready
    assert results["cache"] == "the cache did not return what was written"
    assert (asked_in_the_first_run, len(attempts)) == (1, 1)
    assert "did not reach Redis" not in caplog.text
