"""The Redis cache backend keeps one client per server: building a client on every call cost a fifth of a page-cache
hit. The round trip runs where Redis is configured (CI's second run)."""

import os
import uuid

import pytest
import redis

from cms.redis_cache import HEADER_LIST_KEY_PREFIX, PageCacheRedis
from cms.redis_cache import ForgivingRedisCache as RedisCache


def test_every_call_shares_one_client_over_the_connection_pool():
    cache = RedisCache("redis://127.0.0.1:6379/15", {})

    first, second = cache._cache.get_client(), cache._cache.get_client("a-key", write=True)

    assert first is second
    assert first.connection_pool is cache._cache._get_connection_pool(write=False)


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")
def test_values_round_trip_through_the_shared_client():
    cache = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})

    cache.set("answer", {"kept": [1, 2]}, 30)
    cache.set("count", 3, 30)

    assert cache.get("answer") == {"kept": [1, 2]}
    assert cache.incr("count") == 4
    cache.delete_many(["answer", "count"])
    assert cache.get("answer") is None


def _redis_or_skip():
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("needs REDIS_URL")
    return url


def test_the_page_cache_asks_redis_for_a_urls_header_list_once_per_process():
    url = _redis_or_skip()
    prefix = f"test-{uuid.uuid4().hex}"
    this_server, other_server = PageCacheRedis(url, {"KEY_PREFIX": prefix}), PageCacheRedis(url, {"KEY_PREFIX": prefix})
    header_key = f"{HEADER_LIST_KEY_PREFIX}{prefix}.abc"
    other_server.set(header_key, ["Accept-Encoding"], 30)
    other_server.set("views.decorators.cache.cache_page.abc", "the page", 30)

    assert this_server.get(header_key) == ["Accept-Encoding"]
    # Gone from Redis behind this process's back: the list it remembered is answered without a round trip.
    redis.Redis.from_url(url).delete(this_server.make_key(header_key))
    assert this_server.get(header_key) == ["Accept-Encoding"]
    assert PageCacheRedis(url, {"KEY_PREFIX": prefix}).get(header_key) is None, "a new process asks Redis"


def test_a_page_cache_emptied_by_another_server_is_a_miss_never_a_stale_page():
    url = _redis_or_skip()
    prefix = f"test-{uuid.uuid4().hex}"
    this_server, other_server = PageCacheRedis(url, {"KEY_PREFIX": prefix}), PageCacheRedis(url, {"KEY_PREFIX": prefix})
    header_key, page_key = f"{HEADER_LIST_KEY_PREFIX}{prefix}.abc", f"page.{prefix}"
    this_server.set(header_key, [], 30)
    this_server.set(page_key, "the old page", 30)

    other_server.delete_many([header_key, page_key])  # a publish on another app server

    assert this_server.get(header_key) == []
    assert this_server.get(page_key) is None
    this_server.clear()
    assert this_server.get(header_key) is None
