"""A fixed-window counter in the shared cache, for every limit of the site: how often one value (an IP address, an
email address) did one thing this hour. portal_pages counts registrations and password resets with it, faq the
"Was this page useful?" votes; each caller picks the values and their limits. ``client_network`` is the client as
every limit counts it, django-axes's lock-outs included (AXES_CLIENT_IP_CALLABLE). A limit on something stored counts
it before its write and gives the count back if its transaction rolls back (``rate_limit_take``)."""

import contextlib
import hashlib
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache

from cms.client_addresses import client_ip


def client_network(request) -> str | None:
    """The client's address (``cms.client_addresses.client_ip``) as the limits count it: an IPv4 address as it is; an
    IPv6 address as the first address of its /64, since one host is usually given a whole /64 and a script could use a
    new address of it for each request; an IPv4-mapped IPv6 address (::ffff:192.0.2.1) as its IPv4 address. Still an
    address, so django-axes can keep it. The audit log keeps the full address."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address or "")
    except ValueError:
        return address
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)


def _key(scope: str, value: str) -> str:
    # Hashed: an address never lies in the cache as it was typed.
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"portal-rate:{scope}:{digest}"


def _count(key: str, window_seconds: int) -> int:
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # the count expired (or the cache lost it) between the add and the incr
        cache.set(key, 1, timeout=window_seconds)
        return 1
    if count == 1:
        # Django's Redis incr asks whether the key exists, then adds: a key that expired between the two is made
        # again by the adding, with no expiry, and would count for ever. The window's first count sets it again.
        cache.touch(key, timeout=window_seconds)
    return count


def rate_limit_exceeded(*, scope: str, limits: Iterable[tuple[str, int]], window_seconds: int = 3600) -> bool:
    """Count one request of ``scope`` against each ``(value, limit)``; True when any value is now over its limit.
    Every value is counted, over or not, and an empty value is not counted at all. The window starts with a value's
    first request and lasts ``window_seconds``."""
    exceeded = False
    for value, limit in limits:
        if value:
            exceeded = _count(_key(scope, value), window_seconds) > limit or exceeded
    return exceeded


@dataclass(frozen=True)
class RateLimitTaken:
    """The counts ``rate_limit_take`` added, for ``give_back`` when the request they stand for did not happen."""

    keys: tuple[str, ...] = ()

    def give_back(self) -> None:
        for key in self.keys:
            with contextlib.suppress(ValueError):  # the window ended meanwhile: its count went with it
                if cache.decr(key) <= 0:
                    # Nothing left to count, or a count the decr made anew with no expiry (the window ended between
                    # Redis's exists and its adding, as in _count): either way the value starts afresh.
                    cache.delete(key)


def rate_limit_take(
    *, scope: str, limits: Iterable[tuple[str, int]], window_seconds: int = 3600
) -> RateLimitTaken | None:
    """``rate_limit_exceeded`` for a request that stores something: each value is counted first (``incr``, atomic in
    Redis and in the local-memory cache), so requests in flight at once each get a count of their own and no value
    passes its limit; None, the counts taken given back at once, when any value is then over its limit, so a refused
    request counts for nothing. Else the counts taken: the caller gives them back (``give_back``) when the request's
    transaction rolls back, where it sees the exception (Django has no rollback hook). A count taken in a
    transaction that a caller further out rolls back, after the request's own block ended, stays counted until the
    window ends: an undercount of what is left, never an overshoot."""
    keys = [(_key(scope, value), limit) for value, limit in limits if value]
    taken = RateLimitTaken(tuple(key for key, _limit in keys))
    counts = [_count(key, window_seconds) for key in taken.keys]
    if any(count > limit for count, (_k, limit) in zip(counts, keys, strict=True)):
        taken.give_back()
        return None
    return taken
