"""The Redis cache backend keeps one client per server: building a client on every call cost a fifth of a page-cache
hit. The round trip runs where Redis is configured (CI's second run)."""

import os
import uuid

import pytest

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
