"""Prometheus metrics for ``/metrics``: request counts and durations, and the portal's gauges read at scrape time.

Request metrics are counted by each process (``request_observe``, called by cms.logs.RequestLogMiddleware). Under
gunicorn every worker is a process of its own, so set ``PROMETHEUS_MULTIPROC_DIR`` to an empty directory the app
server's processes share: prometheus-client then keeps each process's values in files there and a scrape adds them
up (settings/gunicorn.py empties the directory when the server starts). Without it a scrape sees only the worker
that answered it. The portal's gauges (whether the database answers, emails waiting, tasks queued, the most overdue
schedule, submissions today) and its count of emails given up are read from the database and the queue at scrape
time, so they are right whichever process answers.

An app adds a gauge through the ``register_portal_metrics`` Wagtail hook: a function returning
``(name, documentation, read)``, where ``read()`` returns the value, read from the database (left out while it does
not answer); e.g. advice_forms' submissions today.

This module imports no model at import time (Wagtail's hooks registry reads the apps only when called): cms.logs
imports it, and gunicorn's configuration names cms.logs.
"""

import logging
import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from wagtail import hooks

logger = logging.getLogger(__name__)
METRICS_HOOK = "register_portal_metrics"
CONTENT_TYPE = CONTENT_TYPE_LATEST

_process_registry = CollectorRegistry()
REQUESTS = Counter(
    "portal_http_requests",
    "HTTP requests answered, by method, status and view (unresolved: a page-cache hit or no URL matched).",
    ["method", "status", "view"],
    registry=_process_registry,
)
REQUEST_SECONDS = Histogram(
    "portal_http_request_duration_seconds",
    "Time from the first middleware to the response, by method and view.",
    ["method", "view"],
    registry=_process_registry,
)


def multiprocess_mode() -> bool:
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


if not multiprocess_mode():
    # Process figures (memory, CPU, open files) describe one process: meaningless summed over gunicorn's workers.
    ProcessCollector(registry=_process_registry)


# Each label set's counter and histogram, looked up once: prometheus-client checks and locks on every labels() call,
# which was most of what counting a request cost. As many entries as label sets, as in prometheus-client itself.
_request_children: dict[tuple[str, int, str], tuple] = {}


def request_observe(*, method: str, status: int, view: str, seconds: float) -> None:
    key = (method, status, view)
    children = _request_children.get(key)
    if children is None:
        view = view or "unresolved"
        children = _request_children[key] = (
            REQUESTS.labels(method=method, status=str(status), view=view),
            REQUEST_SECONDS.labels(method=method, view=view),
        )
    children[0].inc()
    children[1].observe(seconds)


def _database_up() -> bool:
    """Whether the database answers /healthz's query now (a few seconds at most; cms.readiness)."""
    from cms.readiness import check_database

    try:
        check_database()
    except Exception as error:
        logger.warning("Metrics: the database did not answer (%s)", type(error).__name__)
        return False
    return True


def _email_metrics():
    from cms.selectors import email_outbox_figures

    emails, oldest_email, given_up = email_outbox_figures()
    return [
        GaugeMetricFamily("portal_emails_pending", "Emails in the outbox not sent yet.", value=emails),
        GaugeMetricFamily(
            "portal_emails_pending_oldest_age_seconds",
            "Age of the oldest email not sent yet (0 when none).",
            value=oldest_email,
        ),
        # A counter: given-up rows are kept, so the count only grows; an alert watches it increase.
        CounterMetricFamily(
            "portal_emails_given_up",
            "Emails the portal gave up sending (still unsent PORTAL_EMAIL_GIVE_UP_HOURS after they were made), ever.",
            value=given_up,
        ),
    ]


def _task_queue_metrics():
    from cms.selectors import task_queue_pending

    tasks, oldest_task = task_queue_pending()
    return [
        GaugeMetricFamily("portal_tasks_queued", "Background tasks waiting in the queue.", value=tasks),
        GaugeMetricFamily(
            "portal_tasks_queued_oldest_age_seconds", "Age of the oldest task waiting (0 when none).", value=oldest_task
        ),
    ]


def _schedule_metrics():
    from cms.selectors import schedule_most_overdue

    _name, overdue = schedule_most_overdue()
    return [
        GaugeMetricFamily(
            "portal_tasks_schedule_overdue_seconds",
            "How long the most overdue schedule has been due (0 when none): a running worker keeps it under a minute.",
            value=overdue,
        )
    ]


class PortalCollector:
    """The portal's gauges, each read when Prometheus scrapes; a source that fails is left out and logged.

    ``portal_database_up`` says whether the database answered: while it does not, the gauges read from it (the
    outbox, the schedules, the hooks', and the queue on the database broker) are left out, not asked for again.
    """

    def describe(self):
        return []

    def collect(self):
        from django_q.conf import Conf

        database_up = _database_up()
        yield GaugeMetricFamily(
            "portal_database_up",
            "Whether the database answered this scrape's query (1) or not (0).",
            value=int(database_up),
        )
        sources = {
            "the outbox": _email_metrics,
            "the task queue": _task_queue_metrics,
            "the schedules": _schedule_metrics,
        }
        if not database_up:
            sources = {} if Conf.ORM else {"the task queue": _task_queue_metrics}
        for source, read in sources.items():
            try:
                yield from read()
            except Exception as error:
                logger.warning("Metrics: %s could not be read (%s)", source, type(error).__name__)
        if not database_up:
            return
        for register in hooks.get_hooks(METRICS_HOOK):
            name, documentation, read = register()
            try:
                value = read()
            except Exception as error:
                logger.warning("Metrics: %s could not be read (%s)", name, type(error).__name__)
                continue
            yield GaugeMetricFamily(name, documentation, value=value)


def request_metrics() -> CollectorRegistry:
    """This process's request metrics; in multiprocess mode every process's, added up from their files."""
    if not multiprocess_mode():
        return _process_registry
    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    return registry


def exposition() -> bytes:
    """Every metric in Prometheus's text format: the request metrics and the portal's gauges."""
    registry = CollectorRegistry()
    registry.register(request_metrics())
    registry.register(PortalCollector())
    return generate_latest(registry)
