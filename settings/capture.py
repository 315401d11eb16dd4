"""The throwaway demo that `manage.py capture_guides` photographs: development settings, with tasks run as the page
answers (no worker to start), emails written as files the capture can follow, and no wait between sign-ins."""

from .base import env
from .dev import *  # noqa: F403
from .dev import Q_CLUSTER

DEBUG = False
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = env("PORTAL_CAPTURE_EMAIL_DIR")
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# The demo's own throwaway database: its loader and codes run whatever the calling site allows.
PORTAL_DEMO_TOOLS = True
