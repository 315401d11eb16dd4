"""A fixed-window counter in the shared cache: requests per hour, per IP address and per email address."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(scope: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"portal-rate:{scope}:{digest}"


def rate_limit_exceeded(*, scope: str, values: list[str], window_seconds: int = 3600) -> bool:
    """Count one request against each value; True when any of them is over the hourly limit."""
    limit = settings.PORTAL_ACCOUNT_REQUESTS_PER_HOUR
    exceeded = False
    for value in values:
        if not value:
            continue
        key = _key(scope, value)
        cache.add(key, 0, timeout=window_seconds)
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=window_seconds)
            count = 1
        exceeded = exceeded or count > limit
    return exceeded
