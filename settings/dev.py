"""Development: SQLite, DEBUG, emails on the console, a django-q2 worker on the database broker."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-secret-key-not-for-production")  # noqa: S105
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
