"""Each site's portal settings as last read, for the pages shown when the database cannot be read.

A 500 page shown because the database failed asks the database nothing (cms.views.server_error), yet it must still
say whom to contact: the contacts of the council whose site was asked for, when one portal serves several Wagtail
sites. Each read of the settings for a page, and each save of them, keeps their plain values (names and contacts: no
logo or footer pages, which need the database to link) by the site's id, in the process and in the default cache:
Redis, shared by every app server, or each process's memory without Redis. Beside them one entry lists every site
(id, host name, port, whether it is the default). A save or delete of a site or its settings writes them when it
commits, as the database then holds them (a change rolled back writes nothing), so the cache holds one entry per site
and one more, whatever hosts are asked for. The error page matches the request's host name and port against that
list as Wagtail's Site.find_for_request does (host name and port, then the host name's default or only site, then the
default site), with no query and never raising on a host Django refuses.

The cache is written when a value differs from what this process last wrote there, or that write is older than
``REWRITE_SECONDS`` (a Redis restarted or emptied meanwhile has them again within minutes), so a page costs no round
trip; the list of sites is read again from the database (one query) at most that often, or when the site a page was
drawn for is not in it as it is now. The error page reads the cache first (a save in another process is there), then
this process's copy.
"""

import logging
import time

from django.core.cache import cache
from django.db import DatabaseError, transaction
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


def _plain(settings: PortalSettings) -> dict:
    """The values an error page shows: no logo or footer pages, which need the database to link."""
    return {name: getattr(settings, name) for name in KEPT_FIELDS}


def site_settings_keep(settings: PortalSettings, *, site: Site | None = None) -> None:
    """Keep ``settings``' plain values for an error page that cannot read them, by their site's id; and the list of
    sites, read again when ``site`` (the page's, as Wagtail found it) is not in it as it is, or it is due a rewrite."""
    values = {_site_key(settings.site_id): _plain(settings)}
    sites = _kept.get(SITES_KEY)
    if site is not None and (sites is None or _site_row(site) not in sites or _stale(SITES_KEY, time.monotonic())):
        try:
            values[SITES_KEY] = _sites_now()
        except DatabaseError:
            logger.warning("The sites could not be listed for the error pages", exc_info=True)
    _keep(values)


def _after_commit(keep) -> None:
    """Run ``keep`` once the transaction commits (at once outside one), reading the database as committed: a change
    rolled back leaves the cache, which every process's error pages read first, as it was."""

    def run() -> None:
        try:
            keep()
        except DatabaseError:
            logger.warning("The sites or their contacts could not be kept for the error pages", exc_info=True)

    transaction.on_commit(run)


def _keep_committed(site_id: int) -> None:
    """Keep the committed contacts of the site ``site_id`` (dropped when it has none: deleted) and the committed list
    of sites."""
    key = _site_key(site_id)
    settings = PortalSettings.objects.filter(site_id=site_id).first()
    if settings is None:
        _kept.pop(key, None)
        _written_at.pop(key, None)
        try:
            cache.delete(key)
        except Exception:
            logger.warning("A deleted site's contacts could not be dropped from the cache", exc_info=True)
        _keep({SITES_KEY: _sites_now()})
    else:
        _keep({key: _plain(settings), SITES_KEY: _sites_now()})


def site_settings_saved(sender, instance, **kwargs) -> None:
    """post_save of PortalSettings: the contacts as committed are kept when the save commits, not when this process
    next draws a page (pages served from the page cache draw nothing)."""
    site_id = instance.site_id
    _after_commit(lambda: _keep_committed(site_id))


def site_settings_site_saved(sender, instance, **kwargs) -> None:
    """post_save of a Site: its host name, port or default flag is listed as committed when the save commits."""
    _after_commit(lambda: _keep({SITES_KEY: _sites_now()}))


def site_settings_site_deleted(sender, instance, **kwargs) -> None:
    """post_delete of a Site: when the delete commits, it is no longer listed and its contacts are dropped (kept when
    it is rolled back)."""
    site_id = instance.pk
    _after_commit(lambda: _keep_committed(site_id))


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
