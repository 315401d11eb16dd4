"""Settings shared by every mode, read once from the environment.

dev.py, test.py and production.py change only what differs. Every variable is listed in .env.example.
"""

import os
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from .errors import MissingEnvironment

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A .env is for local use; a deployment sets its environment, and django-environ would log ".env not found" at every
# process start (each gunicorn worker, each management command) where there is none. PORTAL_DOTENV=off, read from the
# environment before the file, reads none: the loopback production shape (bench/topology.py) sets it, so a developer's
# .env (MEDIA_ROOT, an email transport) never reaches the shape's servers. The tests (settings.test: pytest and
# `make test`'s checks) read none either, so they run alike on every machine: a PostgreSQL or Redis run is given its
# DATABASE_URL and REDIS_URL in the environment, as CI's is (.ci/run).
_testing = os.environ.get("DJANGO_SETTINGS_MODULE") == "settings.test"
if env.bool("PORTAL_DOTENV", default=not _testing) and (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="")
# Earlier keys, comma-separated, newest first, while SECRET_KEY is rotated: sessions and emailed links signed with one
# still work (docs/operations.md, "Changing SECRET_KEY"); remove them once those have expired.
SECRET_KEY_FALLBACKS = [key.strip() for key in env("SECRET_KEY_FALLBACKS", default="").split(",") if key.strip()]
# Whether a queued task signed with one of SECRET_KEY_FALLBACKS is run: off by default, as a task is unpickled and
# anyone holding a leaked old key and able to write to the broker could run code on the workers. Nothing is lost with
# it off (the outbox sweep queues emails again, a PDF is filed on its first download, schedules run again); on suits
# a routine change of key, never one after a leak (docs/operations.md, "Changing SECRET_KEY").
PORTAL_TASKS_ACCEPT_FALLBACK_KEYS = env.bool("PORTAL_TASKS_ACCEPT_FALLBACK_KEYS", default=False)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "cms",
    "faq",
    "advice_forms",
    "portal_pages",
    "bench",
    "wagtail_2fa",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "wagtailcache",
    "wagtail.contrib.redirects",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "portal_pages.apps.StaffUsersAppConfig",  # wagtail.users, its screens for superusers only
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "formtools",
    "easy_thumbnails",
    "filer",
    "django_q",
    "csp",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # Outermost: the request id, one log line and the metrics for every request, page-cache hits included.
    "cms.logs.RequestLogMiddleware",
    # HEAD without a session as GET, every HEAD without a body (cms/head_requests.py); outside whatever answers.
    "cms.head_requests.HeadAsGetMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "cms.permissions_policy.PermissionsPolicyMiddleware",
    # CSP and X-Frame-Options on an error page answered before the middleware below sets them (a bad Host header).
    "cms.csp.ErrorPageHeadersMiddleware",
    # /healthz and /readyz answer a load balancer that probes by the server's own address, before the host check.
    "cms.probes.ProbeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # File names Django cleans in silence are noted as the body is parsed (cms/upload_names.py); before either below.
    "cms.upload_names.UploadNameMiddleware",
    # Django's field limit everywhere but the form-definition editor (cms/field_limits.py); before CSRF reads the body.
    "cms.field_limits.FieldLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # The page cache (cms/cache.py): browsers are told to ask again every time ("no-cache", a 304 when their copy is
    # still the page), "Vary: Cookie" goes back on and the placeholder swap runs after the cache has stored a page.
    "cms.cache.BrowserRevalidationMiddleware",
    "cms.cache.CsrfTokenPlaceholderMiddleware",
    "wagtailcache.cache.UpdateCacheMiddleware",
    # A hit is answered here, before sessions are read, the user is loaded or any middleware below runs: only
    # requests without a session cookie may be served from the cache (cms.cache.request_is_cacheable), and the
    # kept copy already carries the headers the middleware below added when it was stored (CSP, X-Frame-Options).
    "wagtailcache.cache.FetchFromCacheMiddleware",
    # A page the cache may store gets its ETag here, so the kept copy carries it (a hit hashes nothing).
    "cms.cache.PageCacheETagMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # wagtail-2fa's middleware subclasses django-otp's: it gives every user is_verified() (cms/wagtail_2fa_compat.py).
    "cms.wagtail_2fa_compat.VerifyUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cms.csp.PortalCSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Idle and absolute time-outs and no-store caching for /portal/ pages (portal_pages.middleware).
    "portal_pages.middleware.PortalSessionMiddleware",
    # An empty 405 becomes the site's error page (cms.views).
    "cms.views.MethodNotAllowedPageMiddleware",
    # django-axes last: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "csp.context_processors.nonce",
                "portal_pages.navigation.service_navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A transaction that reads and then writes (a step save racing its autosave) waits for the lock instead
    # of failing with "database is locked"; PostgreSQL has row locks (select_for_update) instead.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("transaction_mode", "IMMEDIATE")
elif DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # libpq waits for ever for a server that accepts the connection and never answers (a network drop, a failover):
    # every request, the health checks' included, would hang until gunicorn kills the worker. Once connected, a server
    # that vanishes would leave a query or a kept connection waiting for the kernel's TCP limits (hours): keepalives
    # and tcp_user_timeout end it within about a minute (docs/operations.md, "Health checks and time-outs"). libpq's
    # own options, passed on by psycopg; a DATABASE_URL's own ?connect_timeout= (?keepalives_idle=, ...) wins.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options.setdefault("connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5))
    _options.setdefault("keepalives", int(env.bool("DATABASE_KEEPALIVES", default=True)))
    _options.setdefault("keepalives_idle", env.int("DATABASE_KEEPALIVES_IDLE", default=30))
    _options.setdefault("keepalives_interval", env.int("DATABASE_KEEPALIVES_INTERVAL", default=10))
    _options.setdefault("keepalives_count", env.int("DATABASE_KEEPALIVES_COUNT", default=3))
    _options.setdefault("tcp_user_timeout", env.int("DATABASE_TCP_USER_TIMEOUT_MS", default=60000))
    # Django's backend, but a request whose connection failed waits for that time-out once, not at every query.
    DATABASES["default"]["ENGINE"] = "cms.postgresql_backend"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
# Wagtail's own date pickers (report and history filters, a page's go-live and expiry) write and read dates as a UK
# reader types them: with upstream's 2026-12-05, a typed 14/06/2016 was replaced with today's date as the box lost
# focus. Django's en-GB input formats read these, and ISO too. The portal's own date boxes: cms.form_fields.typed_date.
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
# Files and folders written under MEDIA_ROOT (uploads, submitted PDFs, renditions) are the service user's and its
# group's alone, never readable by every account on the server (0644/0755, the umask's usual result). The group is the
# web server's where it serves downloads from disk (docs/operations.md, "Files on disk").
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Caches: local memory unless Redis is configured (production and the CI's second run). A Redis cache answers a
# Redis outage as a miss (cms.redis_cache), and no request waits long for a Redis that does not answer.
REDIS_URL = env("REDIS_URL", default="")
REDIS_CACHE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 2}
# After a call to Redis fails (refused, or unanswered within those time-outs) the caches and the task queue go without
# it for this many seconds, then try it again (cms.circuit_breaker): a Redis that takes connections and never answers
# costs one request in that time its time-out, not every request.
PORTAL_REDIS_RETRY_SECONDS = env.int("PORTAL_REDIS_RETRY_SECONDS", default=10)


def redis_cache(location: str) -> dict:
    return {"BACKEND": "cms.redis_cache.ForgivingRedisCache", "LOCATION": location, "OPTIONS": REDIS_CACHE_OPTIONS}


def redis_broker_url(url: str) -> str:
    """The task queue's Redis address with socket time-outs (longer than the broker's 1-second wait for a task), so
    queuing a task while Redis does not answer fails fast instead of holding the request."""
    if "socket_timeout" in url:
        return url
    return f"{url}{'&' if '?' in url else '?'}socket_connect_timeout=2&socket_timeout=5"


if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The page cache (wagtail-cache, see cms/cache.py) has a store of its own, since a publish empties it
# whole: one Redis database for it alone when several app servers run, else each process's memory.
PORTAL_PAGE_CACHE_URL = env("PORTAL_PAGE_CACHE_URL", default="")
PORTAL_PAGE_CACHE_SECONDS = env.int("PORTAL_PAGE_CACHE_SECONDS", default=600)
CACHES["pagecache"] = {
    # Keeps each URL's header list and the pages most asked for in the process, emptied by Redis's invalidation
    # messages: a hit makes no round trip (cms.redis_cache.PageCacheRedis).
    **(
        {**redis_cache(PORTAL_PAGE_CACHE_URL), "BACKEND": "cms.redis_cache.PageCacheRedis"}
        if PORTAL_PAGE_CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pagecache"}
    ),
    "TIMEOUT": PORTAL_PAGE_CACHE_SECONDS,
    "KEY_PREFIX": "pagecache",
}
WAGTAIL_CACHE_BACKEND = "pagecache"

# Email: the backend and its file path can be chosen in every mode, so a tester can collect emails as files.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / "sent_emails"))
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)  # STARTTLS, usually port 587
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)  # TLS from the first byte, usually port 465
# Seconds before a silent mail server fails the send (the task is retried later) instead of holding a worker.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="SEND portal <no-reply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# EMAIL_TRANSPORT=notify sends every email through GOV.UK Notify (cms.notify) instead of EMAIL_BACKEND: one Notify
# template whose subject is ((subject)) and whose body is ((body)).
EMAIL_TRANSPORT = env("EMAIL_TRANSPORT", default="smtp").strip().lower()  # "Notify" is notify
NOTIFY_API_KEY = env("NOTIFY_API_KEY", default="")
NOTIFY_TEMPLATE_ID = env("NOTIFY_TEMPLATE_ID", default="")
NOTIFY_BASE_URL = env("NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk")
if EMAIL_TRANSPORT == "notify":
    # One line from manage.py naming what is missing, as production's own variables are named (settings.errors).
    _notify_missing = [
        name
        for name, value in (("NOTIFY_API_KEY", NOTIFY_API_KEY), ("NOTIFY_TEMPLATE_ID", NOTIFY_TEMPLATE_ID))
        if not value.strip()
    ]
    if _notify_missing:
        raise MissingEnvironment(_notify_missing, refusing="EMAIL_TRANSPORT=notify does not start without")
    EMAIL_BACKEND = "cms.notify.NotifyEmailBackend"
elif EMAIL_TRANSPORT != "smtp":
    raise ImproperlyConfigured("EMAIL_TRANSPORT must be smtp (EMAIL_BACKEND, whatever it names) or notify.")

# Days a sent email's body is kept in the outbox (cms.retention): a nightly run then blanks it, keeping the address,
# subject and times. Emails not yet sent are never touched.
PORTAL_SENT_EMAIL_BODY_DAYS = env.int("PORTAL_SENT_EMAIL_BODY_DAYS", default=90)
# Days a failed task is kept in django-q2's table (cms.retention): a nightly run then removes it. django-q2 keeps its
# latest 250 successes ("save_limit") and every failure; the portal keeps only each email's or schedule's newest.
PORTAL_FAILED_TASK_DAYS = env.int("PORTAL_FAILED_TASK_DAYS", default=30)

# Virus scanning of every upload through clamd (cms.virus_scan): host:port or a unix socket path. "off" (production's
# explicit opt-out; production refuses to start without one or the other) and empty (development's and tests' default)
# scan nothing, and check --deploy warns. While clamd does not answer, uploads are refused ("try again later") unless
# CLAMD_FAIL_OPEN lets them through.
CLAMD_OFF = "off"
CLAMD_ADDRESS = env("CLAMD_ADDRESS", default="").strip()
if CLAMD_ADDRESS.lower() == CLAMD_OFF:
    CLAMD_ADDRESS = ""
CLAMD_TIMEOUT = env.float("CLAMD_TIMEOUT", default=30)
CLAMD_FAIL_OPEN = env.bool("CLAMD_FAIL_OPEN", default=False)

# Background tasks: django-q2. The database broker by default, Redis when REDIS_URL is set.
# retry must exceed timeout, and attempts are bounded: the defaults retry forever.
Q_CLUSTER = {
    # Several portals may share one Redis: each needs its own cluster name (its queue's key).
    "name": env("Q_CLUSTER_NAME", default="portal"),
    "workers": env.int("Q_WORKERS", default=1),
    "timeout": 60,
    "retry": 90,
    "max_attempts": 3,
    "catch_up": False,
    "ack_failures": True,
    "orm": "default",
}
if REDIS_URL:
    Q_CLUSTER.pop("orm")
    Q_CLUSTER["redis"] = redis_broker_url(REDIS_URL)

# Wagtail
WAGTAIL_SITE_NAME = "SEND Professional Portal"
# No avatars from gravatar.com: our CSP blocks the outside host (a broken image and console errors), and staff
# addresses should not leave the site.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# No "Wagtail upgrade available" banner: the superuser's dashboard would ask releases.wagtail.org, which our CSP
# blocks (three console errors on every load), and a council's ICT updates Wagtail through this project, not the banner.
WAGTAIL_ENABLE_UPDATE_CHECK = False
# A listing filter's select starts "All", as Wagtail's own radio filters do, not django-filter's "---------".
FILTERS_EMPTY_CHOICE_LABEL = "All"
# Settings -> Users' add and edit forms have no password fields: an account chooses its own, from its invitation or
# a reset link, so no one else ever knows it (an invited account's link stays good until it is used).
WAGTAILUSERS_PASSWORD_ENABLED = False
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
# The admin's password reset email goes through the outbox, as every email the portal sends does.
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "portal_pages.forms.AdminPasswordResetForm"  # noqa: S105 - a dotted path
# The admin's sign-in names its inputs' purpose (autocomplete) and tells a refused sign-in beside the password.
WAGTAILADMIN_USER_LOGIN_FORM = "cms.forms.AdminLoginForm"
# Rich text boxes drawn with the value Draftail writes back, so opening an editor is no edit (cms/draftail.py).
WAGTAILADMIN_RICH_TEXT_EDITORS = {"default": {"WIDGET": "cms.draftail.SettledDraftailRichTextArea"}}
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "csv", "docx", "xlsx", "txt"]
# Guidance PDFs pass the content checks of cms.pdf_checks, as professionals' uploads do; every document and image
# staff upload is scanned for viruses, as professionals' uploads are (cms.virus_scan).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.forms.GuidanceDocumentForm"
# The largest guidance document staff may upload, in whole MB (Wagtail sets none): a parent on a phone downloads it
# over mobile data. 10MB holds a long illustrated leaflet; a larger file is usually a scan that should be smaller.
WAGTAILDOCS_MAX_UPLOAD_SIZE = env.int("PORTAL_MAX_GUIDANCE_DOCUMENT_MB", default=10) * 1024 * 1024
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.forms.GuidanceImageForm"
# The largest image staff may upload, in whole MB, as Wagtail's own default (10MB): a picture on a guidance page is
# shown at a few hundred pixels, from renditions, so a larger file is a photograph to save smaller first.
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env.int("PORTAL_MAX_GUIDANCE_IMAGE_MB", default=10) * 1024 * 1024
# Private guidance pages and documents send whoever is signed out to the portal's sign-in (password, then the
# authenticator code), not to Wagtail's own password-only form at /_util/login/, which cms/urls.py closes.
WAGTAIL_FRONTEND_LOGIN_URL = "/portal/sign-in/"
WAGTAIL_2FA_REQUIRED = True
WAGTAIL_2FA_OTP_TOTP_NAME = env("WAGTAIL_2FA_OTP_TOTP_NAME", default="SEND portal")
OTP_TOTP_ISSUER = WAGTAIL_2FA_OTP_TOTP_NAME

# django-axes checks every sign-in (portal and admin) before the model backend.
AUTHENTICATION_BACKENDS = [
    "portal_pages.backends.LockOutBackend",
    "portal_pages.backends.PortalAuthBackend",
]

LOGIN_URL = "wagtailadmin_login"
LOGIN_REDIRECT_URL = "wagtailadmin_home"

# django-filer: files are private by default and never served by filer's own public URLs.
FILER_IS_PUBLIC_DEFAULT = False
FILER_ENABLE_PERMISSIONS = True
FILER_MIME_TYPE_WHITELIST = ["application/pdf"]
# Private files stay under MEDIA_ROOT/private (filer's default is a folder beside MEDIA_ROOT), which no URL serves:
# only our checked views read them. production.py points both at the S3 store when one is configured.


def filer_private_storages(media_root):
    return {
        "private": {
            kind: {
                "ENGINE": "filer.storage.PrivateFileSystemStorage",
                "OPTIONS": {"location": os.path.join(media_root, "private", folder), "base_url": "/no-direct-access/"},
            }
            for kind, folder in (("main", "filer"), ("thumbnails", "filer_thumbnails"))
        }
    }


FILER_STORAGES = filer_private_storages(MEDIA_ROOT)

# Security headers in every mode; production adds HTTPS-only settings.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Permissions-Policy (cms/permissions_policy.py): the portal uses no camera, microphone, location, payment, sensors
# or devices, so no page and no frame may ask for them. Left at the browser's default (this site only): the
# clipboard (the admin's copy buttons write to it) and fullscreen (the browser's PDF viewer, which shows previews
# and outcome summaries inline, offers it). A name the browser does not know puts a warning in its console: the list
# holds only features Chromium knows on every platform (not bluetooth or web-share, unknown to it on Linux).
PORTAL_PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "window-management",
        "xr-spatial-tracking",
    )
}
SESSION_COOKIE_HTTPONLY = True
# Two requests of one browser at once each keep what they changed in the session (cms/session_backends/).
SESSION_ENGINE = "cms.session_backends.db"
# A signed-in person's flash messages (which may name a child) wait in the session, not in a readable cookie.
MESSAGE_STORAGE = "cms.flash_messages.SignedInMessagesOnTheServer"
CSRF_FAILURE_VIEW = "cms.views.csrf_failure"

# Content Security Policy. The public site and portal allow only our own files and nonced scripts;
# cms.csp widens it for /admin/ alone, where Wagtail needs inline styles and scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
PORTAL_ADMIN_PATH_PREFIX = "/admin/"
# The admin gets 'unsafe-inline' (Wagtail's own templates write inline scripts whose text changes with each field and
# panel, so neither a fixed hash nor django-csp's nonce can name them) and no 'unsafe-eval': nothing in Wagtail 7.4's
# admin as we use it evaluates a string (docs/operations.md; tests/browser/test_admin_csp_walk.py walks the screens).
PORTAL_ADMIN_CSP_UPDATE = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["blob:", "https:"],
    "frame-src": [SELF],
}
# Previews of pages and snippets, shown in the admin's side panel, may be framed by the site itself and nothing else;
# every other response, admin pages included, keeps frame-ancestors 'none' (cms/csp.py).
PORTAL_PREVIEW_CSP_REPLACE = {"frame-ancestors": [SELF]}

# Logs: LOG_FORMAT=json writes one JSON object a line (production's default), text plain lines (cms/logs.py).
# Each request is logged once by cms.logs.RequestLogMiddleware, with its id and no query string, so runserver's own
# request line (django.server) is off.
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOG_FORMATTERS = {"json": "cms.logs.JsonFormatter", "text": "cms.logs.TextFormatter"}


def logging_config(log_format, level):
    if log_format not in LOG_FORMATTERS:
        raise ImproperlyConfigured(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATTERS)}, not {log_format!r}.")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "cms.logs.RequestIdFilter"},
            "warning_without_traceback": {"()": "cms.logs.WarningWithoutTraceback"},
        },
        "formatters": {"portal": {"()": LOG_FORMATTERS[log_format]}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "portal", "filters": ["request_id"]},
            # For a logger that is off: with no handler at all, Python's last resort would print its warnings raw.
            "off": {"class": "logging.NullHandler"},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own handlers (a console in DEBUG, mail_admins otherwise) write the request's path as it came,
            # an emailed link's token included, and the whole request into error emails: every line of Django's
            # goes through the portal's handler alone (cms.logs masks the token there).
            "django": {"handlers": []},
            "django.db.backends": {"level": "WARNING"},
            "django.server": {"handlers": ["off"], "propagate": False},
            # Python's warnings (Django captures them) as lines of the same format.
            "py.warnings": {"handlers": ["console"], "propagate": False},
            # Wagtail's search-index and reference-index tasks log every run at INFO.
            "django_tasks": {"level": "WARNING"},
            "wagtail": {"level": "WARNING"},
            # WeasyPrint logs each rendering step at INFO.
            "weasyprint.progress": {"level": "WARNING"},
            # django-axes logs every sign-in at INFO; failures and lockouts are in the audit log, and each is one
            # warning line of logger cms.security with the client's address and the account's id (cms.logs).
            "axes": {"level": "WARNING"},
            # A request for a host not in ALLOWED_HOSTS: a warning line, not an error with a traceback.
            "django.security.DisallowedHost": {"filters": ["warning_without_traceback"]},
        },
    }


LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = logging_config(LOG_FORMAT, LOG_LEVEL)

# Error reporting (cms/error_reporting.py): Sentry, only when SENTRY_DSN is set. Nothing about a person is sent.
SENTRY_DSN = env("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env("SENTRY_ENVIRONMENT", default="development")
# Empty: sentry-sdk's own guess (the deployed git commit, where there is one).
SENTRY_RELEASE = env("SENTRY_RELEASE", default="")

# Operations: who may read /metrics (addresses or networks), and how long a task may wait before /readyz says the
# workers are not keeping up.
PORTAL_METRICS_ALLOWED_IPS = env.list("PORTAL_METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
PORTAL_READY_TASK_AGE_SECONDS = env.int("PORTAL_READY_TASK_AGE_SECONDS", default=300)
# /readyz answers anyone: each app server process runs its checks at most once in this many seconds.
PORTAL_READY_REUSE_SECONDS = env.int("PORTAL_READY_REUSE_SECONDS", default=5)
# An email the outbox has tried to send every minute for this long is given up (body blanked, an error logged).
PORTAL_EMAIL_GIVE_UP_HOURS = env.int("PORTAL_EMAIL_GIVE_UP_HOURS", default=48)

# Portal settings.
PORTAL_SESSION_IDLE_SECONDS = env.int("PORTAL_SESSION_IDLE_SECONDS", default=600)
PORTAL_MAX_UPLOAD_MB = env.int("PORTAL_MAX_UPLOAD_MB", default=3)
PORTAL_MAX_UPLOAD_PAGES = env.int("PORTAL_MAX_UPLOAD_PAGES", default=500)
# How many fields one request may post. A form definition is one StreamField whose every question posts 11-14 fields
# (each own option 6 more), so a real ERSA of 250 questions posts several thousand: its admin views (named here)
# accept PORTAL_LARGE_FORM_MAX_FIELDS, every other view Django's usual 1,000 (cms/field_limits.py). Django reads one
# setting wherever a body is parsed, so that setting is the larger limit and the middleware enforces the smaller.
PORTAL_MAX_FIELDS = env.int("PORTAL_MAX_FIELDS", default=1000)
PORTAL_LARGE_FORM_MAX_FIELDS = env.int("PORTAL_LARGE_FORM_MAX_FIELDS", default=20000)
PORTAL_LARGE_FORM_VIEWS = [
    f"wagtailsnippets_advice_forms_formdefinition:{name}"
    for name in ("add", "edit", "preview_on_add", "preview_on_edit")
]
DATA_UPLOAD_MAX_NUMBER_FIELDS = PORTAL_LARGE_FORM_MAX_FIELDS
PORTAL_DORMANT_DAYS = env.int("PORTAL_DORMANT_DAYS", default=55)
# The most entries one download of the audit log holds (Accounts -> Audit log): a larger list is refused with its
# count, asking for dates that hold fewer. A sync gunicorn worker is killed mid-file after GUNICORN_TIMEOUT seconds
# (30), which a CSV of about 500,000 entries passed; 100,000 took about 13 s (docs/performance.md).
PORTAL_AUDIT_CSV_MAX_ROWS = env.int("PORTAL_AUDIT_CSV_MAX_ROWS", default=100_000)
AUTH_USER_MODEL = "portal_pages.User"

# Accounts (portal_pages): link lifetimes, time-outs, throttling, refused personal mail providers.
PORTAL_VERIFY_EMAIL_HOURS = env.int("PORTAL_VERIFY_EMAIL_HOURS", default=24)
PORTAL_INVITATION_DAYS = env.int("PORTAL_INVITATION_DAYS", default=7)
PORTAL_PASSWORD_RESET_MINUTES = env.int("PORTAL_PASSWORD_RESET_MINUTES", default=60)
PORTAL_SESSION_ABSOLUTE_HOURS = env.int("PORTAL_SESSION_ABSOLUTE_HOURS", default=12)
PORTAL_SESSION_WARNING_SECONDS = env.int("PORTAL_SESSION_WARNING_SECONDS", default=120)
# Registration and password-reset requests allowed per hour for one email address, and from one IP address (a school's
# or a council's staff share one): portal_pages.views.accounts, on cms/ratelimit.py.
PORTAL_ACCOUNT_REQUESTS_PER_HOUR = env.int("PORTAL_ACCOUNT_REQUESTS_PER_HOUR", default=5)
PORTAL_ACCOUNT_REQUESTS_PER_HOUR_PER_IP = env.int("PORTAL_ACCOUNT_REQUESTS_PER_HOUR_PER_IP", default=30)
# "Was this page useful?" votes taken per hour from one IP address (faq.services.feedback_vote): on one page, and from
# browsers voting for the first time (a browser's later votes, on other pages, are not counted by the second).
PORTAL_FEEDBACK_VOTES_PER_PAGE_PER_HOUR_PER_IP = env.int("PORTAL_FEEDBACK_VOTES_PER_PAGE_PER_HOUR_PER_IP", default=10)
PORTAL_FEEDBACK_VOTERS_PER_HOUR_PER_IP = env.int("PORTAL_FEEDBACK_VOTERS_PER_HOUR_PER_IP", default=30)
PORTAL_PERSONAL_EMAIL_DOMAINS = env.list(
    "PORTAL_PERSONAL_EMAIL_DOMAINS",
    default=[
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "hotmail.co.uk",
        "outlook.com",
        "live.com",
        "live.co.uk",
        "msn.com",
        "yahoo.com",
        "yahoo.co.uk",
        "icloud.com",
        "me.com",
        "aol.com",
        "btinternet.com",
        "sky.com",
        "virginmedia.com",
        "protonmail.com",
        "proton.me",
    ],
)
# Proxies (load balancers) whose X-Forwarded-For is believed: addresses or networks, comma-separated. The client's
# address (cms.client_addresses.client_ip) is REMOTE_ADDR unless that is one of these; the audit log keeps it, and the
# rate limits and django-axes count it, an IPv6 address by its /64 (cms.ratelimit.client_network). Empty:
# X-Forwarded-For is ignored.
PORTAL_TRUSTED_PROXIES = env.list("PORTAL_TRUSTED_PROXIES", default=[])
# django-axes: lock a username+IP pair, so an attacker elsewhere cannot lock out the real user.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.int("AXES_COOLOFF_HOURS", default=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Both sign-in forms (portal and admin) post the address as "username", as Django's AuthenticationForm does.
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
# A lock-out lasts the cool-off from the attempt that caused it, as the locked page and operations.md say; attempts
# refused while it lasts are neither counted nor start it again.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "portal_pages.views.accounts.locked_out"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "cms.ratelimit.client_network"  # an IPv6 client by its /64, as the rate limits count it
AXES_USERNAME_CALLABLE = "portal_pages.backends.sign_in_address"  # one count per account, whatever its case
# The right password of an account that cannot sign in (switched off, dormant, ...) is not counted as a failure.
AXES_WHITELIST_CALLABLE = "portal_pages.backends.refused_with_right_password"
# Sessions live in the database (shared by every app server) and never outlast the absolute limit.
SESSION_COOKIE_AGE = PORTAL_SESSION_ABSOLUTE_HOURS * 3600
# Demo tools (`load_demo_content`, `demo_totp`, `capture_guides`, `bench_seed`, `bench_advice`, `bench_editor`;
# cms.demo's demo_tools_allowed): accounts with passwords the README publishes, any account's current
# authenticator code, benchmark data. On in development and tests; production turns them off unless
# PORTAL_DEMO_TOOLS=on says otherwise, for a council's own training site (check --deploy warns).
PORTAL_DEMO_TOOLS = env.bool("PORTAL_DEMO_TOOLS", default=True)
# Benchmark views and a Server-Timing header (bench/views.py): for `make bench` on loopback, never in
# a real deployment (check --deploy warns when it is on).
PORTAL_BENCH_VIEWS = env.bool("PORTAL_BENCH_VIEWS", default=False)
if PORTAL_BENCH_VIEWS:
    MIDDLEWARE.insert(0, "bench.views.ServerTimingMiddleware")

# The advice loop (advice_forms): the statutory advice period, reminders and submission references.
PORTAL_ADVICE_DUE_DAYS = env.int("PORTAL_ADVICE_DUE_DAYS", default=42)
PORTAL_REMINDER_DAYS_BEFORE = env.int("PORTAL_REMINDER_DAYS_BEFORE", default=7)
PORTAL_REFERENCE_PREFIX = env("PORTAL_REFERENCE_PREFIX", default="KBC")

# Documents (advice_forms): when set (e.g. /protected-media/), downloads are checked by Django and then
# sent by the web server from that internal location (nginx X-Accel-Redirect) instead of through Python.
PORTAL_DOWNLOAD_ACCEL_PREFIX = env("PORTAL_DOWNLOAD_ACCEL_PREFIX", default="")
# How often a wizard step autosaves while something changed (it also saves when a field is left).
PORTAL_AUTOSAVE_SECONDS = env.int("PORTAL_AUTOSAVE_SECONDS", default=30)
# How long a draft's PREVIEW PDF stays in the cache (Redis when REDIS_URL is set), so a second click on an unchanged
# draft is not laid out again (advice_forms.pdf.advice_preview_pdf); 0 keeps none. It holds the child's advice.
PORTAL_PREVIEW_PDF_CACHE_SECONDS = env.int("PORTAL_PREVIEW_PDF_CACHE_SECONDS", default=600)
