"""The portal settings as last read, for the pages shown when the database cannot be read.

A 500 page shown because the database failed asks the database nothing (cms.views.server_error), yet it must still
say whom to contact. Each read of the settings for a page, and each save of them, keeps their plain values (names
and contacts: no logo or footer pages, which need the database to link) in the process and in the default cache:
Redis, shared by every app server, or each process's memory without Redis. The cache is written when the values
differ from what this process last wrote, or that write is older than ``REWRITE_SECONDS`` (a Redis restarted or
emptied meanwhile has them again within minutes), so a page costs no round trip. The error page reads the cache
first (a save in another process is there), then this process's copy. One portal is one site: with several, the
error page shows the contacts of the site last read.
"""

import logging
import time

from django.core.cache import cache

from cms.models import PortalSettings

logger = logging.getLogger(__name__)

CACHE_KEY = "portal-settings-last-read"
REWRITE_SECONDS = 300
KEPT_FIELDS = ("council_name", "service_name", "support_email", "ict_email", "phone", "phone_hours", "feedback_url")

_kept: dict | None = None
_written_at = 0.0


def site_settings_keep(settings: PortalSettings) -> None:
    """Keep ``settings``' plain values for an error page that cannot read them."""
    global _kept, _written_at
    values = {name: getattr(settings, name) for name in KEPT_FIELDS}
    now = time.monotonic()
    if values == _kept and now - _written_at < REWRITE_SECONDS:
        return
    _kept, _written_at = values, now
    try:
        cache.set(CACHE_KEY, values, timeout=None)
    except Exception:
        logger.warning("The portal settings could not be kept in the cache for the error pages", exc_info=True)


def site_settings_saved(sender, instance, **kwargs) -> None:
    """post_save of PortalSettings: the new contacts are kept at once, not when this process next draws a page (pages
    served from the page cache draw nothing)."""
    site_settings_keep(instance)


def site_settings_last_read() -> PortalSettings:
    """An unsaved PortalSettings with the values last kept (the cache's, shared by every process, else this
    process's), or the defaults.

    Never raises: the error pages call it."""
    try:
        values = cache.get(CACHE_KEY)
    except Exception:
        values = None
    values = values or _kept
    return PortalSettings(**{name: value for name, value in (values or {}).items() if name in KEPT_FIELDS})


def site_settings_forget() -> None:
    """Forget this process's copy (the cache's stays): for tests, which empty the caches between them."""
    global _kept, _written_at
    _kept, _written_at = None, 0.0
