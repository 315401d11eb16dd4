"""A fixed-window counter in the shared cache, for every limit of the site: how often one value (an IP address, an
email address) did one thing this hour. portal_pages counts registrations and password resets with it, faq the
"Was this page useful?" votes; each caller picks the values and their limits."""

import hashlib
from collections.abc import Iterable

from django.core.cache import cache


def _key(scope: str, value: str) -> str:
    # Hashed: an address never lies in the cache as it was typed.
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"portal-rate:{scope}:{digest}"


def _count(key: str, window_seconds: int) -> int:
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
