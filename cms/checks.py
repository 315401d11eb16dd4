"""System checks of the site core that only a deployment needs (``check --deploy``): what an administrator chose
to switch off, said again where a release is checked, and a set-up that would lose data."""

import ipaddress
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from cms.client_addresses import setting_networks

REDIS_SCHEMES = {"redis", "rediss", "unix"}
# Made by `npm run build` (make install) into a git-ignored folder: a release from a fresh checkout has none until it
# is built. Without portal.css, every page on the base template is a 500 under the hashed static files of production.
BUILT_STATIC_FILES = ("cms/dist/portal.css", "cms/dist/govuk-frontend.min.js")


@register(Tags.security, deploy=True)
def check_virus_scanning_on(app_configs, **kwargs):
    if settings.CLAMD_ADDRESS:
        return []
    return [
        Warning(
            "Uploads are not scanned for viruses: CLAMD_ADDRESS is off.",
            hint="Set CLAMD_ADDRESS to clamd's host:port or socket path (docs/operations.md, Virus scanning).",
            id="cms.W001",
        )
    ]


@register(Tags.security, deploy=True)
def check_demo_tools_off(app_configs, **kwargs):
    if not settings.PORTAL_DEMO_TOOLS:
        return []
    return [
        Warning(
            "PORTAL_DEMO_TOOLS is on: load_demo_content makes accounts with the README's passwords, demo_totp "
            "prints any account's authenticator code, bench_seed and bench_advice write benchmark accounts and "
            "requests, bench_editor a signed-in superuser and a form definition, and capture_guides and "
            "bench_editor start a browser and a second server.",
            hint="Leave it on only for a training site with no real accounts; unset it anywhere else.",
            id="cms.W002",
        )
    ]


@register(Tags.staticfiles, deploy=True)
def check_front_end_built(app_configs, **kwargs):
    missing = [path for path in BUILT_STATIC_FILES if not finders.find(path)]
    if not missing:
        return []
    return [
        Error(
            f"The front end is not built: {' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing, so "
            "every page would answer a server error while /healthz answers 200.",
            hint="Run `npm ci && npm run build` (Node.js 20) in the release, then `manage.py collectstatic --no-input` "
            "(README, First deployment).",
            id="cms.E003",
        )
    ]


@register(deploy=True)
def check_audit_download_ceiling(app_configs, **kwargs):
    if settings.PORTAL_AUDIT_CSV_MAX_ROWS >= 1:
        return []
    return [
        Error(
            f"PORTAL_AUDIT_CSV_MAX_ROWS is {settings.PORTAL_AUDIT_CSV_MAX_ROWS}: every download of the audit log would "
            "be refused, however few entries it holds.",
            hint="Set it to the most entries one CSV download may hold, 1 or more (100000 by default; "
            "docs/operations.md, Audit log downloads).",
            id="cms.E004",
        )
    ]


@register(deploy=True)
def check_one_way_to_secure_email(app_configs, **kwargs):
    """Django refuses to send with both on, at the first email, in a worker's log; say so before release."""
    if not (settings.EMAIL_USE_TLS and settings.EMAIL_USE_SSL):
        return []
    return [
        Error(
            "EMAIL_USE_TLS and EMAIL_USE_SSL are both on: no email would be sent (Django takes one or the other).",
            hint="Turn on the one your mail server speaks: EMAIL_USE_TLS (STARTTLS, usually port 587) or "
            "EMAIL_USE_SSL (TLS from the start, usually port 465); docs/operations.md, Email.",
            id="cms.E005",
        )
    ]


LOOPBACK = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))


@register(Tags.security, deploy=True)
def check_metrics_not_open_through_a_local_proxy(app_configs, **kwargs):
    """Behind a reverse proxy on the same server (docs/operations.md's nginx), every request the app servers take comes
    from 127.0.0.1; unless that proxy is trusted for the client's own address, /metrics, which admits 127.0.0.1 by
    default, answers anyone on the internet."""
    if settings.PORTAL_TRUSTED_PROXIES:
        return []
    try:
        admitted = setting_networks("PORTAL_METRICS_ALLOWED_IPS")
    except ImproperlyConfigured:
        return []  # /metrics itself says what is wrong with it, at its first request
    loopback = [
        str(network.network_address) if network.num_addresses == 1 else str(network)
        for network in admitted
        if any(network.version == local.version and network.overlaps(local) for local in LOOPBACK)
    ]
    if not loopback:
        return []
    return [
        Warning(
            f"PORTAL_TRUSTED_PROXIES is empty while PORTAL_METRICS_ALLOWED_IPS admits {', '.join(loopback)}: behind a "
            "reverse proxy on this server, every request comes from 127.0.0.1, so anyone could read /metrics.",
            hint="Set PORTAL_TRUSTED_PROXIES to the reverse proxy's address (127.0.0.1 for nginx on this server), so "
            "/metrics sees the client's own address, and have the proxy refuse /metrics from outside "
            "(docs/operations.md, Behind a reverse proxy); or, with no proxy on this server, set "
            "PORTAL_METRICS_ALLOWED_IPS to the Prometheus server's address alone.",
            id="cms.W003",
        )
    ]


@register(Tags.caches, deploy=True)
def check_page_cache_has_its_own_redis_database(app_configs, **kwargs):
    """A publish empties the page cache with FLUSHDB: sharing a Redis database, it would empty the sessions' cached
    copies, the rate limits' counters and the queued tasks with it."""
    broker = getattr(settings, "Q_CLUSTER", {}).get("redis")
    addresses = [(alias, _location(config)) for alias, config in settings.CACHES.items()]
    addresses.append(("the task queue", broker if isinstance(broker, str) else ""))
    try:
        databases = {name: redis_database(url) for name, url in addresses}
    except ValueError:
        return [
            Error(
                "A Redis address cannot be read: its port is not a number from 0 to 65535.",
                hint="Check REDIS_URL and PORTAL_PAGE_CACHE_URL, e.g. redis://redis:6379/0 (docs/operations.md).",
                id="cms.E002",
            )
        ]
    page_cache = databases.pop(settings.WAGTAIL_CACHE_BACKEND, None)
    if page_cache is None:
        return []
    others = [
        (name if name == "the task queue" else f"the {name!r} cache", database) for name, database in databases.items()
    ]
    shared = [name for name, database in others if database == page_cache]
    if not shared:
        return []
    return [
        Error(
            f"PORTAL_PAGE_CACHE_URL is the same Redis database as {' and '.join(shared)}: every publish empties the "
            "page cache, and with it the sessions' cached copies, the rate limits' counts and the queued tasks.",
            hint="Give the page cache a Redis database of its own, e.g. REDIS_URL=redis://redis:6379/0 and "
            "PORTAL_PAGE_CACHE_URL=redis://redis:6379/1 (docs/operations.md, Redis databases).",
            id="cms.E001",
        )
    ]


def _location(config) -> str:
    location = config.get("LOCATION", "")
    if isinstance(location, list | tuple):
        location = location[0] if location else ""
    return location.split(",")[0].strip()


def redis_database(url: str):
    """(server, database number) of a Redis URL as redis-py reads it, or None when ``url`` is not one."""
    split = urlsplit(url)
    if split.scheme not in REDIS_SCHEMES:
        return None
    query = parse_qs(split.query)
    if split.scheme == "unix":
        server, path_db = split.path, ""
    else:
        host = (split.hostname or "localhost").lower()
        server = ("127.0.0.1" if host == "localhost" else host, split.port or 6379)
        path_db = split.path.strip("/")
    number = path_db or query.get("db", ["0"])[0]
    return server, int(number) if number.isdigit() else number
