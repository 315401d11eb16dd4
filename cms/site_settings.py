"""The portal settings as last read, for the pages shown when the database cannot be read.

A 500 page shown because the database failed asks the database nothing (cms.views.server_error), yet it must still
say whom to contact. Each read of the settings for a page keeps their plain values (names and contacts: no logo or
footer pages, which need the database to link) in the process and in the default cache: Redis, shared by every app
server and kept across restarts, or each process's memory without Redis. The cache is written only when the values
differ from what this process last wrote, so a page costs no round trip. One portal is one site: with several, the
error page shows the contacts of the site last read.
"""

import logging

from django.core.cache import cache

from cms.models import PortalSettings

logger = logging.getLogger(__name__)

CACHE_KEY = "portal-settings-last-read"
KEPT_FIELDS = ("council_name", "service_name", "support_email", "ict_email", "phone", "phone_hours", "feedback_url")

_kept: dict | None = None


def site_settings_keep(settings: PortalSettings) -> None:
    """Keep ``settings``' plain values for an error page that cannot read them."""
    global _kept
    values = {name: getattr(settings, name) for name in KEPT_FIELDS}
    if values == _kept:
        return
    _kept = values
    try:
        cache.set(CACHE_KEY, values, timeout=None)
    except Exception:
        logger.warning("The portal settings could not be kept in the cache for the error pages", exc_info=True)


def site_settings_last_read() -> PortalSettings:
    """An unsaved PortalSettings with the values last read (this process's, else the cache's), or the defaults.

    Never raises: the error pages call it."""
    values = _kept
    if values is None:
        try:
            values = cache.get(CACHE_KEY)
        except Exception:
            values = None
    return PortalSettings(**{name: value for name, value in (values or {}).items() if name in KEPT_FIELDS})


def site_settings_forget() -> None:
    """Forget this process's copy (the cache's stays): for tests, which empty the caches between them."""
    global _kept
    _kept = None
