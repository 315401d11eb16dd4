"""Each site's portal settings as last read, for the pages shown when the database cannot be read.

A 500 page shown because the database failed asks the database nothing (cms.views.server_error), yet it must still
say whom to contact: the contacts of the council whose site was asked for, when one portal serves several Wagtail
sites. Each read of the settings for a page, and each save of them, keeps their plain values (names and contacts: no
logo or footer pages, which need the database to link) by the site's id, in the process and in the default cache:
Redis, shared by every app server, or each process's memory without Redis. A page read also keeps which site its host
name and port led to, as Wagtail found it (Site.find_for_request), and which site is the default one; a save keeps
its own site's host name and port. So the error page finds the request's site from the host alone, with no query,
and a host never read falls to the default site, as Wagtail would send it. The cache is written when a value differs
from what this process last wrote there, or that write is older than ``REWRITE_SECONDS`` (a Redis restarted or
emptied meanwhile has them again within minutes), so a page costs no round trip. The error page reads the cache
first (a save in another process is there), then this process's copy.
"""

import logging
import time

from django.core.cache import cache
from django.http.request import split_domain_port
from wagtail.models import Site

from cms.models import PortalSettings

logger = logging.getLogger(__name__)

CACHE_PREFIX = "portal-settings-last-read"
DEFAULT_SITE_KEY = f"{CACHE_PREFIX}:default-site"
REWRITE_SECONDS = 300
KEPT_FIELDS = ("council_name", "service_name", "support_email", "ict_email", "phone", "phone_hours", "feedback_url")

_kept: dict[str, object] = {}
_written_at: dict[str, float] = {}


def _site_key(site_id: int) -> str:
    return f"{CACHE_PREFIX}:site:{site_id}"


def _host_key(hostname: str, port) -> str:
    return f"{CACHE_PREFIX}:host:{hostname}:{port}"


def _request_host_key(request) -> str | None:
    """The request's host name and port as Wagtail reads them to find its site (Site._find_for_request)."""
    try:
        return _host_key(split_domain_port(request._get_raw_host())[0], request.get_port())
    except Exception:
        return None


def _keep(values: dict) -> None:
    now = time.monotonic()
    changed = {
        key: value
        for key, value in values.items()
        if key is not None and (value != _kept.get(key) or now - _written_at.get(key, 0.0) >= REWRITE_SECONDS)
    }
    if not changed:
        return
    _kept.update(changed)
    _written_at.update(dict.fromkeys(changed, now))
    try:
        cache.set_many(changed, timeout=None)
    except Exception:
        logger.warning("The portal settings could not be kept in the cache for the error pages", exc_info=True)


def site_settings_keep(settings: PortalSettings, *, request=None, site: Site | None = None) -> None:
    """Keep ``settings``' plain values for an error page that cannot read them, by their site's id; and which site
    ``request``'s host led to (``site``, as Wagtail found it for the request), or ``site``'s own host and port."""
    values = {_site_key(settings.site_id): {name: getattr(settings, name) for name in KEPT_FIELDS}}
    if site is not None:
        host_key = _request_host_key(request) if request is not None else _host_key(site.hostname, site.port)
        values[host_key] = site.pk
        if site.is_default_site:
            values[DEFAULT_SITE_KEY] = site.pk
    _keep(values)


def site_settings_saved(sender, instance, **kwargs) -> None:
    """post_save of PortalSettings: the new contacts are kept at once, not when this process next draws a page (pages
    served from the page cache draw nothing)."""
    site_settings_keep(instance, site=instance.site)


def _read(keys: list) -> dict:
    try:
        found = cache.get_many([key for key in keys if key is not None])
    except Exception:
        found = {}
    return {key: found[key] if key in found else _kept.get(key) for key in keys}


def site_settings_last_read(request=None) -> PortalSettings:
    """An unsaved PortalSettings with the values last kept (the cache's, shared by every process, else this
    process's) for the site ``request``'s host leads to, else for the default site; or the defaults.

    Asks the database nothing and never raises: the error pages call it."""
    host_key = _request_host_key(request) if request is not None else None
    sites = _read([host_key, DEFAULT_SITE_KEY])
    site_id = sites[host_key] if host_key is not None and sites[host_key] is not None else sites[DEFAULT_SITE_KEY]
    values = _read([_site_key(site_id)])[_site_key(site_id)] if site_id is not None else None
    return PortalSettings(**{name: value for name, value in (values or {}).items() if name in KEPT_FIELDS})


def site_settings_forget() -> None:
    """Forget this process's copy (the cache's stays): for tests, which empty the caches between them."""
    _kept.clear()
    _written_at.clear()
