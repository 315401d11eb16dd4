"""The Redis cache backend of every cache the portal keeps in Redis: one client per server, and an outage of Redis
is a cache miss, never an error page.

One client: Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` object (over the same connection
pool) on every get and set, which cost a fifth of a page-cache hit in the profile. A ``redis.Redis`` client is safe to
share between threads (each command borrows a connection from the pool), and the pool notices a fork, so one client
per server serves the whole process.

Outages: Django's RedisCache raises when Redis does not answer, which would turn every session read (sessions are
read through the cache), rate-limit count and page-cache look-up into a 500. Here a connection error or a time-out is
answered as a miss: a read returns its default, a write stores nothing, a counter starts afresh (so the rate limits
let requests through while Redis is down). Sessions stay in the database and pages are rendered afresh, so nothing is
lost. The socket time-outs in settings bound how long a call waits for Redis, and after one fails the cache goes
without Redis for ``PORTAL_REDIS_RETRY_SECONDS`` (cms.circuit_breaker, which logs the outage once as it starts and
once as it ends), so a Redis that takes connections and never answers costs one call its time-out, not every call.
Deletes and clears are the exception: always tried, and each that fails logged as an error.
"""

import functools
import logging
import os
import socket
import ssl
import threading
import time

from django.core.cache.backends import redis as django_redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT, default_key_func
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from cms.circuit_breaker import circuit_breaker

logger = logging.getLogger(__name__)

OUTAGE = (RedisConnectionError, RedisTimeoutError)


class ReusedClientRedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class RedisCache(django_redis.RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` with one client per server."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient


class _Raise:
    """A fallback that raises ValueError, as Django's incr() does for a key that is not there."""


class ForgivingRedisCache(RedisCache):
    """One client per server, and a Redis outage answered as a miss (the module's docstring)."""

    @functools.cached_property
    def _breaker(self):
        return circuit_breaker("Redis cache", ",".join(self._servers))

    def _forgiving(self, fallback, method, *args, **kwargs):
        return self._guarded(fallback, getattr(super(), method), *args, **kwargs)

    def _removing(self, fallback, method, *args, what: str, **kwargs):
        """A delete or a clear is always tried, even while the breaker skips Redis: skipped, it would leave a signed-out
        session, or a page just unpublished, in Redis for the other app servers, which may be reaching it well. Each
        one that fails is an error line of its own (the breaker logs only an outage's first failure), saying ``what``
        it was, never the key: a session's holds its id."""

        def failed(error):
            logger.error(
                "%s: %s did not reach Redis (%s); other app servers may go on reading what it removes until it expires",
                self._breaker.name,
                what,
                type(error).__name__,
            )

        return self._guarded(fallback, getattr(super(), method), *args, always=True, on_outage=failed, **kwargs)

    def _guarded(self, fallback, call, *args, always=False, on_outage=None, **kwargs):
        if always or self._breaker.allows():
            try:
                result = call(*args, **kwargs)
            except OUTAGE as error:
                self._breaker.failed(error)
                if on_outage is not None:
                    on_outage(error)
            else:
                self._breaker.succeeded()
                return result
        if fallback is _Raise:
            raise ValueError("The cache is unreachable")
        return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._forgiving(False, "add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._forgiving(default, "get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._forgiving(None, "set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._forgiving(False, "touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._removing(False, "delete", key, version, what=f"the delete of a {key_kind(key)}")

    def get_many(self, keys, version=None):
        return self._forgiving({}, "get_many", keys, version)

    def has_key(self, key, version=None):
        return self._forgiving(False, "has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._forgiving(_Raise, "incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._forgiving(list(data), "set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        keys = list(keys)
        kinds = ", ".join(sorted({key_kind(key) for key in keys}))
        return self._removing(None, "delete_many", keys, version, what=f"the delete of {len(keys)} keys ({kinds})")

    def clear(self):
        return self._removing(False, "clear", what=f"the clear of every key under {self.key_prefix!r}")


# The key under which Django's cache middleware (and wagtail-cache) keep a URL's header list.
HEADER_LIST_KEY_PREFIX = "views.decorators.cache.cache_header."
# What a key holds, by how it starts, for a line that must not write the key itself (a session's holds its id).
KEY_KINDS = (
    ("django.contrib.sessions.", "session"),
    (HEADER_LIST_KEY_PREFIX, "page's header list"),
    ("views.decorators.cache.cache_page.", "cached page"),
)


def key_kind(key) -> str:
    """What ``key`` holds ("session", "cached page"), or "key" for any other."""
    return next((kind for prefix, kind in KEY_KINDS if str(key).startswith(prefix)), "key")


class InvalidationDoorbell:
    """A connection that Redis tells whenever a key under ``prefix`` changes or a database is emptied.

    Redis's client-side caching protocol in broadcasting mode (``CLIENT TRACKING ON REDIRECT <own id> BCAST PREFIX
    ...``, then ``SUBSCRIBE __redis__:invalidate``; Redis 6 or later): every write, delete, expiry or FLUSHDB that
    touches a key under the prefix, from any app server, sends a message here. Nothing is parsed: any byte that
    arrives rings the bell, and the caller forgets everything it kept. ``rang()`` is one non-blocking ``recv``.
    Only plain TCP or Unix sockets (a TLS socket cannot be read without blocking this way): ``connect`` returns None
    for TLS, and the page cache then makes its one round trip per hit as before.
    """

    CHANNEL = "__redis__:invalidate"

    def __init__(self, connection):
        self._connection = connection
        self._socket = connection._sock
        # No time-out: a socket with one waits for data before recv returns, even with MSG_DONTWAIT.
        self._socket.setblocking(False)

    @classmethod
    def connect(cls, pool, prefix):
        # RESP2 (redis-py 8 speaks RESP3 by default): the messages come as a subscription, and nothing else is pushed
        # (no maintenance notifications, which need RESP3).
        options = {
            name: value
            for name, value in pool.connection_kwargs.items()
            if not name.startswith(("maint_notifications", "orig_"))
        }
        connection = pool.connection_class(**options, protocol=2, maint_notifications_config=None)
        connection.connect()
        try:
            if isinstance(connection._sock, ssl.SSLSocket):
                connection.disconnect()
                return None
            connection.send_command("CLIENT", "ID")
            client_id = connection.read_response()
            connection.send_command("CLIENT", "TRACKING", "ON", "REDIRECT", client_id, "BCAST", "PREFIX", prefix)
            connection.read_response()
            connection.send_command("SUBSCRIBE", cls.CHANNEL)
            connection.read_response()
        except BaseException:
            connection.disconnect()
            raise
        # Anything redis-py read beyond the SUBSCRIBE reply is about changes made before the caller reads a value.
        return cls(connection)

    def rang(self):
        """True when a message came since the last call, or the connection is gone (then it is closed for good)."""
        rang = False
        while True:
            try:
                data = self._socket.recv(65536, socket.MSG_DONTWAIT)
            except (BlockingIOError, InterruptedError):
                return rang
            except OSError:
                data = b""
            if not data:
                self.close()
                raise ConnectionError("The page cache's invalidation connection closed")
            rang = True

    def close(self):
        self._connection.disconnect()


class PageCacheRedis(ForgivingRedisCache):
    """The page cache's backend: the kept pages of the URLs most asked for live in the process too, so a hit makes
    no round trip to Redis; and a URL's header list (which request headers its kept copy varies on) is remembered.

    Kept pages: the bytes Redis holds for a page (pickled as Django keeps them, unpickled afresh for every request,
    so no request sees another's changes to the response), at most ``LOCAL_PAGES_KEPT`` of them, each for no longer
    than Redis keeps it nor ``LOCAL_SECONDS``. They are safe because of ``InvalidationDoorbell``: before a page is
    answered from the process, the doorbell is checked, and a change to any page-cache key on any app server (a
    publish empties the cache) has already rung it, so the process forgets every page it kept and asks Redis. The
    doorbell is checked before Redis is asked, never between the answer and keeping it, so a change that lands in
    between rings at the next request. While the doorbell is not connected (an outage, a restart of Redis, TLS),
    nothing is kept and every hit asks Redis, as before; a reconnection is tried at most every
    ``RECONNECT_SECONDS``. The one window left is the microseconds between Redis answering the writer and its
    message reaching this socket: a request here inside that window is concurrent with the change.

    Header lists: safe when stale (another app server emptied the cache on a publish): the page key it gives is gone
    too, so the request is a miss and the page is rendered afresh, never someone else's. At most
    ``HEADER_LISTS_KEPT`` lists are kept; emptying or deleting through this backend forgets them at once.
    """

    HEADER_LISTS_KEPT = 4096
    LOCAL_PAGES_KEPT = 128
    LOCAL_SECONDS = 30.0
    RECONNECT_SECONDS = 5.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._header_lists = {}
        self._pages = {}
        self._lock = threading.Lock()
        self._doorbell = None
        self._doorbell_pid = None
        self._doorbell_next_try = 0.0
        self._doorbell_warned = False
        # Moves on whenever the kept pages are forgotten: a page fetched before may not be kept after.
        self._generation = 0

    def _remember(self, key, version, value):
        if len(self._header_lists) >= self.HEADER_LISTS_KEPT:
            self._header_lists.clear()
        self._header_lists[(key, version)] = value

    def _listening(self, now):
        """True when the doorbell is connected and quiet: kept pages may be answered. Empties them when it rang."""
        if self._doorbell_pid != os.getpid():  # a forked child shares nothing it did not open itself
            self._doorbell, self._doorbell_pid, self._pages = None, os.getpid(), {}
        if self._doorbell is None:
            # The doorbell listens to keys under the prefix that Django's own key function puts first. In an outage
            # the cache's own calls find out when Redis is back; the doorbell waits for them.
            if now < self._doorbell_next_try or not self.key_prefix or self.key_func is not default_key_func:
                return False
            if self._breaker.in_outage:
                return False
            self._doorbell_next_try = now + self.RECONNECT_SECONDS
            pool = self._cache._get_connection_pool(write=False)
            try:
                self._doorbell = InvalidationDoorbell.connect(pool, f"{self.key_prefix}:")
            except (RedisError, OSError) as error:
                # An outage is the breaker's to log; a Redis that refuses CLIENT TRACKING is said once.
                if isinstance(error, OUTAGE):
                    self._breaker.failed(error)
                elif not self._doorbell_warned:
                    self._doorbell_warned = True
                    logger.warning("The page cache keeps no pages in the process (%s: %s)", type(error).__name__, error)
                self._doorbell = None
            self._forget_pages_locked()
            return self._doorbell is not None
        try:
            if self._doorbell.rang():
                self._forget_pages_locked()
        except ConnectionError:
            self._doorbell = None
            self._forget_pages_locked()
            return False
        return True

    def _forget_pages_locked(self):
        self._pages = {}
        self._generation += 1

    def _fetch_page(self, key):
        """The bytes Redis keeps for ``key`` and the seconds it will keep them, in one round trip."""
        pipeline = self._cache.get_client(key).pipeline(transaction=False)
        pipeline.get(key)
        pipeline.pttl(key)
        return pipeline.execute()

    def _get_page(self, key, default, version):
        redis_key = self.make_and_validate_key(key, version=version)
        now = time.monotonic()
        with self._lock:
            listening = self._listening(now)
            kept = self._pages.get(redis_key) if listening else None
            generation = self._generation
        if kept is not None and kept[0] > now:
            return self._cache._serializer.loads(kept[1])
        fetched = self._guarded(None, self._fetch_page, redis_key)
        if fetched is None or fetched[0] is None:
            return default
        raw, milliseconds = fetched
        if listening and milliseconds > 0:
            with self._lock:
                if generation != self._generation:  # forgotten meanwhile: this copy may predate the change
                    return self._cache._serializer.loads(raw)
                if len(self._pages) >= self.LOCAL_PAGES_KEPT:
                    self._pages = {}
                self._pages[redis_key] = (now + min(milliseconds / 1000, self.LOCAL_SECONDS), raw)
        return self._cache._serializer.loads(raw)

    def _forget_pages(self):
        with self._lock:
            self._forget_pages_locked()

    def get(self, key, default=None, version=None):
        if not key.startswith(HEADER_LIST_KEY_PREFIX):
            return self._get_page(key, default, version)
        remembered = self._header_lists.get((key, version))
        if remembered is not None:
            return remembered
        value = super().get(key, None, version)
        if value is None:
            return default
        self._remember(key, version, value)
        return value

    # A change made through this backend forgets the kept pages once Redis has it, so that a page another thread
    # read before the change is not kept after it (the doorbell would ring for it too, a moment later).
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        result = super().set(key, value, timeout, version)
        self._forget_pages()
        if key.startswith(HEADER_LIST_KEY_PREFIX):
            self._remember(key, version, value)
        return result

    def delete(self, key, version=None):
        self._header_lists.pop((key, version), None)
        result = super().delete(key, version)
        self._forget_pages()
        return result

    def delete_many(self, keys, version=None):
        keys = list(keys)
        for key in keys:
            self._header_lists.pop((key, version), None)
        result = super().delete_many(keys, version)
        self._forget_pages()
        return result

    def clear(self):
        self._header_lists.clear()
        result = super().clear()
        self._forget_pages()
        return result
