"""Production: refuses to start without its secrets, mail settings and a virus-scanning choice; HTTPS only; Redis when
REDIS_URL is set."""

from .base import *  # noqa: F403
from .base import EMAIL_TRANSPORT, LOG_LEVEL, env, logging_config
from .errors import EnvironmentRefused, MissingEnvironment

DEBUG = False
_missing = []


def _required(name):
    """The variable's value; a missing one is noted, and all of them are named together below. A value of spaces is
    missing too: base strips some (CLAMD_ADDRESS="   " would turn virus scanning off without the explicit "off")."""
    value = env(name, default="")
    if not value.strip():
        _missing.append(name)
    return value


SECRET_KEY = _required("SECRET_KEY")
ALLOWED_HOSTS = [host.strip() for host in _required("ALLOWED_HOSTS").split(",") if host.strip()]
_required("DATABASE_URL")

# Email. Without these, base's development defaults would print every email (account confirmation, invitation and
# reset links among them) to the process's output, with links to 127.0.0.1 and a placeholder sender: refuse to start.
WAGTAILADMIN_BASE_URL = _required("WAGTAILADMIN_BASE_URL")
if EMAIL_TRANSPORT != "notify":  # Notify has its own sender and settings (base checks them)
    DEFAULT_FROM_EMAIL = SERVER_EMAIL = _required("DEFAULT_FROM_EMAIL")
    EMAIL_BACKEND = _required("EMAIL_BACKEND")
    if EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":
        EMAIL_HOST = _required("EMAIL_HOST")
# Virus scanning is a choice made out loud: clamd's address, or CLAMD_ADDRESS=off (uploads are stored unscanned;
# check --deploy warns). Left empty, a council following .env.example would run without antivirus unawares.
_required("CLAMD_ADDRESS")
if _missing:
    raise MissingEnvironment(_missing)
# A key anyone could guess signs sessions, emailed links and the queued tasks (which workers unpickle): the placeholder
# of .env.example, or one shorter than Django's own check --deploy asks for (50 characters), is refused at start.
_key_is_placeholder = SECRET_KEY.strip().lower().startswith("change-me")
if _key_is_placeholder or len(SECRET_KEY.strip()) < 50:
    raise EnvironmentRefused(
        "Set SECRET_KEY to a random value of 50 characters or more: production settings refuse to start with "
        f"{'the placeholder of .env.example' if _key_is_placeholder else 'a shorter one'} "
        "(python3 -c 'import secrets; print(secrets.token_urlsafe(50))' makes one)."
    )

# The demo and development commands (cms.demo.demo_tools_allowed) refuse to run here unless a training site asks.
PORTAL_DEMO_TOOLS = env.bool("PORTAL_DEMO_TOOLS", default=False)

LOG_FORMAT = env("LOG_FORMAT", default="json")
LOGGING = logging_config(LOG_FORMAT, LOG_LEVEL)
SENTRY_ENVIRONMENT = env("SENTRY_ENVIRONMENT", default="production")

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Probes and Prometheus reach an app server directly over plain HTTP, inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
# Strict-Transport-Security names every subdomain and asks to be preloaded into browsers: right for a host of its own
# (portal.example.org), wrong where the portal shares a domain with sites that must stay reachable over plain HTTP
# (docs/operations.md, "HTTPS and HSTS"). check --deploy warns when either is off.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # whitenoise serves hashed, compressed files with far-future caching; another backend (a CDN's) may replace it.
    "staticfiles": {
        "BACKEND": env("STATICFILES_BACKEND", default="whitenoise.storage.CompressedManifestStaticFilesStorage")
    },
}

# Sessions live where every app server sees them: the database, read through Redis when it is configured.
# Never in one process's memory or a local file.
SESSION_ENGINE = "cms.session_backends.cached_db" if env("REDIS_URL", default="") else "cms.session_backends.db"

# Media: an S3-compatible store when a bucket is named (every app server and worker sees the same files);
# local disk at MEDIA_ROOT otherwise, which suits one server only. Objects are private and their URLs are
# unsigned: documents are streamed through our own views, which check who may read them, so a URL that
# leaks opens nothing. Image renditions on public guidance pages are the exception: a public prefix.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    from botocore.config import Config

    _s3_location = env("AWS_LOCATION", default="").strip("/")
    # boto's defaults wait 60 seconds to connect and 60 for each read, each call tried up to 5 times: a store that
    # does not answer would hold a request (and /readyz's media check) past gunicorn's time-out. A client_config
    # replaces django-storages' own, so the addressing style goes in it too.
    _s3_client_config = Config(
        connect_timeout=env.float("AWS_S3_CONNECT_TIMEOUT", default=3),
        read_timeout=env.float("AWS_S3_READ_TIMEOUT", default=5),
        retries={"mode": "standard", "total_max_attempts": env.int("AWS_S3_MAX_ATTEMPTS", default=2)},
        s3={"addressing_style": env("AWS_S3_ADDRESSING_STYLE", default="") or None},
    )
    _s3 = {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        "endpoint_url": env("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env("AWS_S3_REGION_NAME", default="") or None,
        # Unset keys leave boto3 to its own chain (an instance or pod role).
        "access_key": env("AWS_ACCESS_KEY_ID", default="") or None,
        "secret_key": env("AWS_SECRET_ACCESS_KEY", default="") or None,
        "client_config": _s3_client_config,
        "default_acl": "private",
        "querystring_auth": False,
        "file_overwrite": False,
    }

    def _s3_under(prefix, **options):
        return {**_s3, "location": "/".join(part for part in (_s3_location, prefix) if part), **options}

    STORAGES = {
        **STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3_under("")},
        "renditions": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": _s3_under(
                "renditions",
                # Some stores refuse ACLs (bucket owner enforced): set AWS_PUBLIC_MEDIA_ACL= and use a bucket policy.
                default_acl=env("AWS_PUBLIC_MEDIA_ACL", default="public-read") or None,
                custom_domain=env("AWS_S3_CUSTOM_DOMAIN", default="") or None,
            ),
        },
    }
    WAGTAILIMAGES_RENDITION_STORAGE = "renditions"
    # Wagtail's document view streams the file after its privacy checks, instead of redirecting to the store.
    WAGTAILDOCS_SERVE_METHOD = "serve_view"
    _filer_s3 = {"ENGINE": "storages.backends.s3.S3Storage"}
    FILER_STORAGES = {
        "public": {
            "main": {**_filer_s3, "OPTIONS": _s3_under("filer_public")},
            "thumbnails": {**_filer_s3, "OPTIONS": _s3_under("filer_public_thumbnails")},
        },
        "private": {
            "main": {**_filer_s3, "OPTIONS": _s3_under("filer_private")},
            "thumbnails": {**_filer_s3, "OPTIONS": _s3_under("filer_private_thumbnails")},
        },
    }
