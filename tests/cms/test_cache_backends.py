"""The Redis cache backend keeps one client per server: building a client on every call cost a fifth of a page-cache
hit. The page cache keeps pages in the process and forgets them when Redis says a key changed. The round trips run
where Redis is configured (CI's second run)."""

import os
import select
import time
import uuid

import pytest
import redis

from cms.redis_cache import HEADER_LIST_KEY_PREFIX, PageCacheRedis
from cms.redis_cache import ForgivingRedisCache as RedisCache
from tests.clamd import free_port


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


# Pages kept in the process (PageCacheRedis with its InvalidationDoorbell): a hit makes no round trip, and a change
# made through any app server rings the doorbell first, so no app server answers a page that Redis no longer holds.


def _page_servers(url, count=2):
    prefix = f"test-{uuid.uuid4().hex}"
    return [PageCacheRedis(url, {"KEY_PREFIX": prefix, "OPTIONS": {"socket_timeout": 2}}) for _ in range(count)]


def _count_round_trips(monkeypatch, server):
    trips = []
    fetch = server._fetch_page

    def counted(key):
        trips.append(key)
        return fetch(key)

    monkeypatch.setattr(server, "_fetch_page", counted)
    return trips


def _wait_for_the_doorbell(server, timeout=2.0):
    """Redis answers the writer a few microseconds before its message reaches the other connection: wait for it."""
    assert select.select([server._doorbell._socket], [], [], timeout)[0], "no invalidation message came"


def test_a_kept_page_is_answered_from_the_process_a_fresh_object_each_time(monkeypatch):
    this_server, other_server = _page_servers(_redis_or_skip())
    other_server.set("page.abc", {"headers": ["kept"]}, 30)
    trips = _count_round_trips(monkeypatch, this_server)

    first = this_server.get("page.abc")
    first["headers"].append("changed by one request")
    second = this_server.get("page.abc")

    assert second == {"headers": ["kept"]}, "no request sees another's changes to the response"
    assert len(trips) == 1


@pytest.mark.parametrize(
    ("change", "now_kept", "round_trips"),
    [
        (lambda server: server.set("page.abc", "the new page", 30), "the new page", 1),  # then kept again
        (lambda server: server.delete("page.abc"), None, 2),
        (lambda server: server.clear(), None, 2),  # a publish empties the page cache
    ],
    ids=["set", "delete", "clear"],
)
def test_a_change_on_another_app_server_is_never_answered_with_the_kept_page(
    monkeypatch, change, now_kept, round_trips
):
    this_server, other_server = _page_servers(_redis_or_skip())
    other_server.set("page.abc", "the old page", 30)
    assert this_server.get("page.abc") == "the old page"
    trips = _count_round_trips(monkeypatch, this_server)

    change(other_server)
    _wait_for_the_doorbell(this_server)

    assert [this_server.get("page.abc") for _ in range(2)] == [now_kept] * 2
    assert len(trips) == round_trips
    other_server.clear()


def test_a_change_written_straight_into_redis_rings_the_doorbell_too():
    url = _redis_or_skip()
    (this_server,) = _page_servers(url, 1)
    this_server.set("page.abc", "the old page", 30)
    assert this_server.get("page.abc") == "the old page"

    redis.Redis.from_url(url).delete(this_server.make_key("page.abc"))
    _wait_for_the_doorbell(this_server)

    assert this_server.get("page.abc") is None


def test_without_its_doorbell_the_process_keeps_nothing_and_asks_redis_each_time(monkeypatch):
    url = _redis_or_skip()
    this_server, other_server = _page_servers(url)
    other_server.set("page.abc", "the old page", 30)
    assert this_server.get("page.abc") == "the old page"
    trips = _count_round_trips(monkeypatch, this_server)

    # Redis drops the doorbell's connection (a restart or a failover does the same): nothing it kept can be trusted.
    doorbell_socket = this_server._doorbell._socket
    host, port = doorbell_socket.getsockname()[:2]
    redis.Redis.from_url(url).client_kill_filter(addr=f"{host}:{port}")
    assert select.select([doorbell_socket], [], [], 2.0)[0]
    other_server.set("page.abc", "the new page", 30)

    assert [this_server.get("page.abc") for _ in range(3)] == ["the new page"] * 3
    assert len(trips) == 3
    assert this_server._doorbell is None
    other_server.clear()


def test_a_kept_page_lives_no_longer_than_redis_keeps_it():
    (this_server,) = _page_servers(_redis_or_skip(), 1)
    this_server.set("page.abc", "the page", 1)
    assert this_server.get("page.abc") == "the page"

    time.sleep(1.1)  # Redis may delete an expired key (and send its message) later than this

    assert this_server.get("page.abc") is None


def test_a_page_cache_whose_redis_does_not_answer_is_a_miss():
    (server,) = _page_servers(f"redis://127.0.0.1:{free_port()}/0", 1)

    assert server.get("page.abc", "fallback") == "fallback"
    assert server._doorbell is None


def test_a_page_cache_with_its_own_key_function_keeps_nothing_in_the_process(monkeypatch):
    url = _redis_or_skip()
    prefix = f"test-{uuid.uuid4().hex}"
    server = PageCacheRedis(url, {"KEY_PREFIX": prefix, "KEY_FUNCTION": lambda key, prefix, version: f"{key}!{prefix}"})
    server.set("page.abc", "the page", 30)
    trips = _count_round_trips(monkeypatch, server)

    assert [server.get("page.abc") for _ in range(2)] == ["the page"] * 2
    assert len(trips) == 2, "its keys need not start with the prefix the doorbell listens to"
    server.delete("page.abc")
