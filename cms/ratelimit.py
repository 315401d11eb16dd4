"""A fixed-window counter in the shared cache, for every limit of the site: how often one value (an IP address, an
email address) did one thing this hour. portal_pages counts registrations and password resets with it, faq the
"Was this page useful?" votes; each caller picks the values and their limits. ``client_network`` is the client as
every limit counts it, django-axes's lock-outs included (AXES_CLIENT_IP_CALLABLE). A limit on something stored counts
it once its transaction commits (``rate_limit_exceeded_on_commit``)."""

import hashlib
import ipaddress
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

from cms.services import client_ip


def client_network(request) -> str | None:
    """The client's address (``cms.services.client_ip``) as the limits count it: an IPv4 address as it is; an IPv6
    address as the first address of its /64, since one host is usually given a whole /64 and a script could use a
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


def _count(key: str, window_seconds: int, *, known: bool = False) -> int:
    if not known:  # a count just read needs no add, and the incr below starts a lost one afresh
        cache.add(key, 0, timeout=window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # the count expired (or the cache lost it) between the add and the incr
        cache.set(key, 1, timeout=window_seconds)
        return 1


def rate_limit_exceeded(*, scope: str, limits: Iterable[tuple[str, int]], window_seconds: int = 3600) -> bool:
    """Count one request of ``scope`` against each ``(value, limit)``; True when any value is now over its limit.
    Every value is counted, over or not, and an empty value is not counted at all. The window starts with a value's
    first request and lasts ``window_seconds``."""
    exceeded = False
    for value, limit in limits:
        if value:
            exceeded = _count(_key(scope, value), window_seconds) > limit or exceeded
    return exceeded


def rate_limit_exceeded_on_commit(*, scope: str, limits: Iterable[tuple[str, int]], window_seconds: int = 3600) -> bool:
    """``rate_limit_exceeded`` for a request that stores something: True, counting nothing, when any value has already
    reached its limit; else the request is counted once the transaction it runs in commits, so one rolled back (a
    later write in it failed) was never counted. The counts are read in one call. Requests from one value in flight
    at once read the same count, so that value can pass its limit by as many as it has in flight at that moment."""
    keys = [(_key(scope, value), limit) for value, limit in limits if value]
    counts = cache.get_many([key for key, _limit in keys])
    if any(counts.get(key, 0) >= limit for key, limit in keys):
        return True

    def count():
        for key, _limit in keys:
            _count(key, window_seconds, known=key in counts)

    # robust: a count that fails after the commit is logged; the request, its write stored, still succeeds.
    transaction.on_commit(count, robust=True)
    return False
