"""gunicorn's configuration for an app server: `gunicorn -c python:settings.gunicorn cms.wsgi`.

Every value comes from the environment (listed in .env.example). An app server keeps no state of its own:
sessions, cache, queue, files and data live in PostgreSQL, Redis and the media store, so a load balancer
may send any request to any app server.
"""

import multiprocessing
import os

# An app server that gunicorn starts runs production settings unless told otherwise.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.production")

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# More than one thread switches gunicorn to its threaded worker (gthread).
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Restart a worker after this many requests (with jitter), to bound any slow leak; 0 never restarts.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max(max_requests // 10, 0)
# The load balancer's addresses, whose X-Forwarded-* headers gunicorn trusts.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# "-" logs each request to stdout; an empty value logs none.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# No control socket: several app servers on one host would share its one default path.
control_socket_disable = True
proc_name = os.environ.get("GUNICORN_PROC_NAME", "send-portal")
