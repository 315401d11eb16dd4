"""Each site's portal settings as last read, for the pages shown when the database cannot be read.

A 500 page shown because the database failed asks the database nothing (cms.views.server_error), yet it must still
say whom to contact: the contacts of the council whose site was asked for, when one portal serves several Wagtail
sites. Each read of the settings for a page, and each save of them, keeps their plain values (names and contacts: no
logo or footer pages, which need the database to link) by the site's id, in the process and in the default cache:
Redis, shared by every app server, or each process's memory without Redis. Beside them one entry lists every site
(id, host name, port, whether it is the default), written when a site or its settings are saved or deleted, so the
cache holds one entry per site and one more, whatever hosts are asked for. The error page matches the request's host
name and port against that list as Wagtail's Site.find_for_request does (host name and port, then the host name's
default or only site, then the default site), with no query and never raising on a host Django refuses.

The cache is written when a value differs from what this process last wrote there, or that write is older than
``REWRITE_SECONDS`` (a Redis restarted or emptied meanwhile has them again within minutes), so a page costs no round
trip; the list of sites is read again from the database (one query) at most that often, or when the site a page was
drawn for is not in it as it is now. The error page reads the cache first (a save in another process is there), then
this process's copy.
"""

import logging
import time

from django.core.cache import cache
from django.db import DatabaseError
from django.http.request import split_domain_port
from wagtail.models import Site

from cms.models import PortalSettings

logger = logging.getLogger(__name__)

CACHE_PREFIX = "portal-settings-last-read"
SITES_KEY = f"{CACHE_PREFIX}:sites"
REWRITE_SECONDS = 300
KEPT_FIELDS = ("council_name", "service_name", "support_email", "ict_email", "phone", "phone_hours", "feedback_url")

_kept: dict[str, object] = {}
_written_at: dict[str, float] = {}


def _site_key(site_id: int) -> str:
    return f"{CACHE_PREFIX}:site:{site_id}"


def _site_row(site: Site) -> tuple:
    return (site.pk, site.hostname, site.port, site.is_default_site)


def _sites_now() -> tuple:
    """Every site as (id, host name, port, is default): one query."""
    return tuple(Site.objects.order_by("pk").values_list("pk", "hostname", "port", "is_default_site"))


def _stale(key: str, now: float) -> bool:
    return now - _written_at.get(key, float("-inf")) >= REWRITE_SECONDS


def _keep(values: dict) -> None:
    now = time.monotonic()
    changed = {key: value for key, value in values.items() if value != _kept.get(key) or _stale(key, now)}
    if not changed:
        return
    _kept.update(changed)
    _written_at.update(dict.fromkeys(changed, now))
    try:
        cache.set_many(changed, timeout=None)
    except Exception:
        logger.warning("The portal settings could not be kept in the cache for the error pages", exc_info=True)


def site_settings_keep(settings: PortalSettings, *, site: Site | None = None) -> None:
    """Keep ``settings``' plain values for an error page that cannot read them, by their site's id; and the list of
    sites, read again when ``site`` (the page's, as Wagtail found it) is not in it as it is, or it is due a rewrite."""
    values = {_site_key(settings.site_id): {name: getattr(settings, name) for name in KEPT_FIELDS}}
    sites = _kept.get(SITES_KEY)
    if site is not None and (sites is None or _site_row(site) not in sites or _stale(SITES_KEY, time.monotonic())):
        try:
            values[SITES_KEY] = _sites_now()
        except DatabaseError:
            logger.warning("The sites could not be listed for the error pages", exc_info=True)
    _keep(values)


def site_settings_saved(sender, instance, **kwargs) -> None:
    """post_save of PortalSettings: the new contacts are kept at once, not when this process next draws a page (pages
    served from the page cache draw nothing)."""
    _keep(
        {
            _site_key(instance.site_id): {name: getattr(instance, name) for name in KEPT_FIELDS},
            SITES_KEY: _sites_now(),
        }
    )


def site_settings_site_saved(sender, instance, **kwargs) -> None:
    """post_save of a Site: its new host name, port or default flag is listed at once."""
    _keep({SITES_KEY: _sites_now()})


def site_settings_site_deleted(sender, instance, **kwargs) -> None:
    """post_delete of a Site: it is no longer listed, and its contacts are dropped."""
    _kept.pop(_site_key(instance.pk), None)
    _written_at.pop(_site_key(instance.pk), None)
    try:
        cache.delete(_site_key(instance.pk))
    except Exception:
        logger.warning("A deleted site's contacts could not be dropped from the cache", exc_info=True)
    _keep({SITES_KEY: _sites_now()})


def _read(key: str):
    try:
        found = cache.get(key)
    except Exception:
        found = None
    return found if found is not None else _kept.get(key)


def _request_host_and_port(request) -> tuple:
    """The request's host name and port as Wagtail reads them (Site._find_for_request): the raw Host header, with no
    ALLOWED_HOSTS check, so never raising."""
    try:
        hostname = split_domain_port(request._get_raw_host())[0]
    except Exception:
        hostname = None
    try:
        port = int(request.get_port())
    except Exception:
        port = None
    return hostname, port


def _site_id_for(sites, hostname, port) -> int | None:
    """The site Wagtail's get_site_for_hostname would choose from ``sites`` (rows of id, host name, port, is
    default): the host name and port; else the host name's default site; else the host name's only site, or the
    default site when the host name has none or several (no default site: the only one, or none)."""
    named = [row for row in sites if row[1] == hostname]
    for site_id, _hostname, site_port, _default in named:
        if site_port == port:
            return site_id
    for site_id, _hostname, _port, is_default in named:
        if is_default:
            return site_id
    default = next((row[0] for row in sites if row[3]), None)
    if len(named) == 1:
        return named[0][0]
    return default


def site_settings_last_read(request=None) -> PortalSettings:
    """An unsaved PortalSettings with the values last kept (the cache's, shared by every process, else this
    process's) for the site ``request``'s host and port lead to, else for the default site; or the defaults.

    Asks the database nothing and never raises: the error pages call it."""
    hostname, port = _request_host_and_port(request) if request is not None else (None, None)
    site_id = _site_id_for(_read(SITES_KEY) or (), hostname, port)
    values = _read(_site_key(site_id)) if site_id is not None else None
    return PortalSettings(**{name: value for name, value in (values or {}).items() if name in KEPT_FIELDS})


def site_settings_forget() -> None:
    """Forget this process's copy (the cache's stays): for tests, which empty the caches between them."""
    _kept.clear()
    _written_at.clear()
