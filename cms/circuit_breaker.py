"""Going without a service that does not answer (Redis), instead of waiting for it on every call.

A Redis that refuses connections fails a call at once, but one that takes the connection and never answers (a
network fault, a stalled server) costs every call its whole socket time-out: a page that reads the cache a few
times waited seconds. After a call to a service fails, its breaker tells callers to skip the service for
``PORTAL_REDIS_RETRY_SECONDS`` (they fall back as they do on any failure: a cache miss, a task left for the sweep);
then one caller tries it again while the others still skip it, until it answers. The outage is logged once as it
starts and once as it ends. Each process keeps its own breakers, one per service address.
"""

import logging
import threading
import time

from django.conf import settings

logger = logging.getLogger(__name__)


class CircuitBreaker:
    """The state of one service in this process: answering, or in an outage with a time to try it again."""

    clock = staticmethod(time.monotonic)

    def __init__(self, name: str):
        self.name = name  # what the log lines call the service, e.g. "Redis cache"
        self._lock = threading.Lock()
        self._retry_at = None  # None while the service answers

    @property
    def in_outage(self) -> bool:
        return self._retry_at is not None

    def allows(self) -> bool:
        """True when the service may be called now: it answers, or its wait is over, and then this caller is the one
        that tries it (the others skip it for another wait, unless it answers meanwhile)."""
        with self._lock:
            if self._retry_at is None:
                return True
            now = self.clock()
            if now < self._retry_at:
                return False
            self._retry_at = now + settings.PORTAL_REDIS_RETRY_SECONDS
            return True

    def failed(self, error: BaseException) -> None:
        with self._lock:
            starting = self._retry_at is None
            self._retry_at = self.clock() + settings.PORTAL_REDIS_RETRY_SECONDS
        if starting:
            logger.warning(
                "%s unreachable (%s: %s); carrying on without it, trying again every %s seconds",
                self.name,
                type(error).__name__,
                error,
                settings.PORTAL_REDIS_RETRY_SECONDS,
            )

    def succeeded(self) -> None:
        if self._retry_at is None:  # the usual case, without taking the lock
            return
        with self._lock:
            ending = self._retry_at is not None
            self._retry_at = None
        if ending:
            logger.warning("%s reachable again", self.name)


_breakers: dict[tuple[str, str], CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def circuit_breaker(name: str, address: str) -> CircuitBreaker:
    """The process's breaker for the service ``name`` at ``address`` (every caller of one address shares it)."""
    key = (name, address)
    breaker = _breakers.get(key)
    if breaker is None:
        with _breakers_lock:
            breaker = _breakers.setdefault(key, CircuitBreaker(name))
    return breaker


def task_queue_breaker() -> CircuitBreaker | None:
    """The breaker of the task queue's Redis; None when tasks go through the database."""
    from django_q.conf import Conf  # reads the settings as it is imported

    return None if Conf.ORM else circuit_breaker("Redis task queue", str(Conf.REDIS))
