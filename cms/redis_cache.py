"""The Redis cache backend of every cache the portal keeps in Redis: one client per server, and an outage of Redis
is a cache miss, never an error page.

One client: Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` object (over the same connection
pool) on every get and set, which cost a fifth of a page-cache hit in the profile. A ``redis.Redis`` client is safe to
share between threads (each command borrows a connection from the pool), and the pool notices a fork, so one client
per server serves the whole process.

Outages: Django's RedisCache raises when Redis does not answer, which would turn every session read (sessions are
read through the cache), rate-limit count and page-cache look-up into a 500. Here a connection error or a time-out is
logged once per outage and answered as a miss: a read returns its default, a write stores nothing, a counter starts
afresh (so the rate limits let requests through while Redis is down). Sessions stay in the database and pages are
rendered afresh, so nothing is lost; the socket time-outs in settings bound how long a request waits for Redis.
"""

import logging

from django.core.cache.backends import redis as django_redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

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

    _unreachable: set = set()  # the locations in an outage, per process: the outage is logged once, as it starts

    def _forgiving(self, fallback, method, *args, **kwargs):
        location = ",".join(self._servers)
        try:
            result = getattr(super(), method)(*args, **kwargs)
        except OUTAGE as error:
            if location not in self._unreachable:
                self._unreachable.add(location)
                logger.warning("Redis cache unreachable (%s: %s); carrying on without it", type(error).__name__, error)
            if fallback is _Raise:
                raise ValueError("The cache is unreachable") from error
            return fallback
        if location in self._unreachable:
            self._unreachable.discard(location)
            logger.warning("Redis cache reachable again")
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._forgiving(False, "add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._forgiving(default, "get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._forgiving(None, "set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._forgiving(False, "touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._forgiving(False, "delete", key, version)

    def get_many(self, keys, version=None):
        return self._forgiving({}, "get_many", keys, version)

    def has_key(self, key, version=None):
        return self._forgiving(False, "has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._forgiving(_Raise, "incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._forgiving(list(data), "set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._forgiving(None, "delete_many", keys, version)

    def clear(self):
        return self._forgiving(False, "clear")


# The key under which Django's cache middleware (and wagtail-cache) keep a URL's header list.
HEADER_LIST_KEY_PREFIX = "views.decorators.cache.cache_header."


class PageCacheRedis(ForgivingRedisCache):
    """The page cache's backend: a hit is two round trips, the URL's header list (which request headers its kept copy
    varies on) and then the page, and this one remembers each header list in the process, so a hit makes one.

    Safe when the remembered list is stale (another app server emptied the cache on a publish): the page key it
    gives is gone too, so the request is a miss and the page is rendered afresh, never someone else's. At most
    ``HEADER_LISTS_KEPT`` lists are kept; emptying or deleting through this backend forgets them at once.
    """

    HEADER_LISTS_KEPT = 4096

    def __init__(self, server, params):
        super().__init__(server, params)
        self._header_lists = {}

    def _remember(self, key, version, value):
        if len(self._header_lists) >= self.HEADER_LISTS_KEPT:
            self._header_lists.clear()
        self._header_lists[(key, version)] = value

    def get(self, key, default=None, version=None):
        if not key.startswith(HEADER_LIST_KEY_PREFIX):
            return super().get(key, default, version)
        remembered = self._header_lists.get((key, version))
        if remembered is not None:
            return remembered
        value = super().get(key, None, version)
        if value is None:
            return default
        self._remember(key, version, value)
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        result = super().set(key, value, timeout, version)
        if key.startswith(HEADER_LIST_KEY_PREFIX):
            self._remember(key, version, value)
        return result

    def delete(self, key, version=None):
        self._header_lists.pop((key, version), None)
        return super().delete(key, version)

    def delete_many(self, keys, version=None):
        keys = list(keys)
        for key in keys:
            self._header_lists.pop((key, version), None)
        return super().delete_many(keys, version)

    def clear(self):
        self._header_lists.clear()
        return super().clear()
