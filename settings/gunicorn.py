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
# LOG_FORMAT as in Django's settings: json by default under production settings. In JSON the portal writes one line
# per request itself (cms.logs, with its request id and without the query string), so gunicorn's own access log is
# off unless asked for, and gunicorn's messages are JSON too.
log_format = os.environ.get(
    "LOG_FORMAT", "json" if os.environ["DJANGO_SETTINGS_MODULE"] == "settings.production" else "text"
)
# "-" logs each request to stdout; an empty value logs none.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "" if log_format == "json" else "-") or None
# gunicorn's combined format without the request line, query string and referrer it would log as they came: an
# emailed link's token is in the path (and in the referrer of the next request), so the path is the one the portal's
# own line writes, tokens masked (cms.logs.LOG_PATH_ENVIRON_KEY; "-" for a request Django never saw).
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %({portal_log_path}e)s %(H)s" %(s)s %(b)s "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
if log_format == "json":
    logconfig_dict = {
        "root": {"level": "INFO", "handlers": ["error_console"]},
        "formatters": {"json": {"()": "cms.logs.JsonFormatter"}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"},
            "error_console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"},
        },
        "loggers": {
            "gunicorn.error": {"level": loglevel.upper(), "handlers": ["error_console"], "propagate": False},
            # gunicorn logs access whenever logconfig_dict is set: no handler drops the lines when it is off.
            "gunicorn.access": {"level": "INFO", "handlers": ["console"] if accesslog else [], "propagate": False},
        },
    }
# No control socket: several app servers on one host would share its one default path.
control_socket_disable = True
proc_name = os.environ.get("GUNICORN_PROC_NAME", "send-portal")


# Prometheus's multiprocess mode (cms/metrics.py): every worker writes its request metrics to files in this
# directory and a scrape adds them up. Files left by an earlier run would be counted again: start empty.
_prometheus_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def on_starting(server):
    if _prometheus_dir:
        os.makedirs(_prometheus_dir, exist_ok=True)
        for name in os.listdir(_prometheus_dir):
            if name.endswith(".db"):
                os.remove(os.path.join(_prometheus_dir, name))


def child_exit(server, worker):
    if _prometheus_dir:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
