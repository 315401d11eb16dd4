"""A fixed-window counter in the shared cache: requests per hour, per IP address and per email address."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(scope: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"portal-rate:{scope}:{digest}"


def rate_limit_exceeded(*, scope: str, client: str, email: str, window_seconds: int = 3600) -> bool:
    """Count one request against the client's IP address and against the email address it is for; True when either
    is over its hourly limit. An email address gets few (PORTAL_ACCOUNT_REQUESTS_PER_HOUR: no inbox is flooded); an
    IP address more (PORTAL_ACCOUNT_REQUESTS_PER_HOUR_PER_IP), since a school's or a council's staff share one: five
    an hour for the whole school refused its sixth SENCO's registration, or reset, for the rest of the hour."""
    exceeded = False
    limits = (
        (client, settings.PORTAL_ACCOUNT_REQUESTS_PER_HOUR_PER_IP),
        (email, settings.PORTAL_ACCOUNT_REQUESTS_PER_HOUR),
    )
    for value, limit in limits:
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
