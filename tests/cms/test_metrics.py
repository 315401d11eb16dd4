"""/metrics: Prometheus's text format for the addresses in PORTAL_METRICS_ALLOWED_IPS, with the portal's gauges
read at scrape time; a 404 for any other address, however it dresses up its X-Forwarded-For."""

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone
from django_q.models import Schedule
from prometheus_client.parser import text_string_to_metric_families

from cms import metrics
from cms.models import EmailNotification
from cms.schedules import PUBLISH_SCHEDULE_NAME
from tests.child_env import child_env
from tests.factories.advice_forms import advice_request, submission_make

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("schedules_on_time")]
ROOT = Path(__file__).resolve().parents[2]


def _samples(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/plain; version=")
    return {
        sample.name: sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
        if not sample.labels
    }


def _email(key, state=EmailNotification.State.PENDING, age_seconds=0):
    notification = EmailNotification.objects.create(key=key, to="a@example.org", subject="S", body="B", state=state)
    EmailNotification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - timedelta(seconds=age_seconds)
    )


def test_an_allowed_address_reads_the_portal_gauges(client, professional, queue_task):
    _email("old", age_seconds=900)
    _email("new", age_seconds=10)
    _email("done", state=EmailNotification.State.SENT, age_seconds=5000)
    _email("refused", state=EmailNotification.State.GIVEN_UP, age_seconds=3 * 24 * 3600)
    queue_task("first", age_seconds=120)
    queue_task("second", age_seconds=30)
    queue_task("third")
    request_ = advice_request(professional)
    submission_make(request_, {}, when=timezone.now())
    submission_make(request_, {}, when=timezone.now() - timedelta(days=1))

    samples = _samples(client.get("/metrics"))

    assert samples["portal_emails_pending"] == 2
    assert 900 <= samples["portal_emails_pending_oldest_age_seconds"] < 960
    assert samples["portal_emails_given_up_total"] == 1
    assert samples["portal_tasks_queued"] == 3
    assert 120 <= samples["portal_tasks_queued_oldest_age_seconds"] < 180
    assert samples["portal_submissions_today"] == 1


def test_an_empty_portal_reads_zeros_and_counts_requests(client):
    client.get("/healthz")
    response = client.get("/metrics")
    samples = _samples(response)

    assert samples["portal_database_up"] == 1
    assert samples["portal_emails_pending"] == 0
    assert samples["portal_emails_pending_oldest_age_seconds"] == 0
    assert samples["portal_emails_given_up_total"] == 0
    assert samples["portal_tasks_queued"] == 0
    assert samples["portal_tasks_schedule_overdue_seconds"] == 0
    assert samples["portal_submissions_today"] == 0
    assert 'portal_http_requests_total{method="GET",status="200",view="healthz"}' in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_emails_given_up_are_counted_for_ever_as_a_counter_an_alert_can_watch_rise(client):
    _email("last-year", state=EmailNotification.State.GIVEN_UP, age_seconds=365 * 24 * 3600)
    _email("this-week", state=EmailNotification.State.GIVEN_UP, age_seconds=3 * 24 * 3600)
    _email("waiting", age_seconds=60)

    response = client.get("/metrics")
    samples = _samples(response)

    assert samples["portal_emails_given_up_total"] == 2
    assert samples["portal_emails_pending"] == 1
    assert "# TYPE portal_emails_given_up_total counter" in response.content.decode()


def test_a_stopped_worker_shows_in_the_schedule_it_leaves_due_though_nobody_queued_a_task(client):
    """With every worker stopped and nobody using the portal, every portal_tasks_* gauge read 0."""
    Schedule.objects.filter(name=PUBLISH_SCHEDULE_NAME).delete()
    Schedule.objects.create(
        name=PUBLISH_SCHEDULE_NAME,
        func="cms.tasks.pages_publish_scheduled",
        schedule_type=Schedule.MINUTES,
        minutes=1,
        next_run=timezone.now() - timedelta(seconds=110),
    )

    samples = _samples(client.get("/metrics"))

    assert samples["portal_tasks_queued"] == 0
    assert 110 <= samples["portal_tasks_schedule_overdue_seconds"] < 170


def test_a_database_that_does_not_answer_is_a_gauge_of_its_own(client, monkeypatch, caplog):
    """The database's gauges vanished from the scrape, leaving only a warning in the log: an alert on them saw no
    data rather than a failure."""

    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 10.1.2.3, port 5432 failed: Connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)

    samples = _samples(client.get("/metrics"))

    assert samples["portal_database_up"] == 0
    assert not {"portal_emails_pending", "portal_tasks_schedule_overdue_seconds", "portal_submissions_today"} & set(
        samples
    )
    assert "Metrics: the database did not answer (OperationalError)" in caplog.text
    assert "10.1.2.3" not in caplog.text
    monkeypatch.undo()
    assert _samples(client.get("/metrics"))["portal_database_up"] == 1


def test_the_scrape_costs_a_few_queries(client, django_assert_max_num_queries):
    # Whether the database answers, the outbox, the queue (two on the database broker), the schedules, the
    # submissions of today.
    with django_assert_max_num_queries(6):
        assert client.get("/metrics").status_code == 200


@pytest.mark.parametrize(
    "meta",
    [
        {"REMOTE_ADDR": "203.0.113.9"},
        {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "127.0.0.1"},
        {"REMOTE_ADDR": "10.0.0.5"},
    ],
)
def test_any_other_address_gets_a_404(meta):
    response = Client(**meta).get("/metrics")

    assert response.status_code == 404
    assert b"portal_" not in response.content


def test_addresses_and_networks_come_from_the_setting(settings):
    settings.PORTAL_METRICS_ALLOWED_IPS = ["10.0.0.0/24"]

    assert Client(REMOTE_ADDR="10.0.0.5").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="127.0.0.1").get("/metrics").status_code == 404


def test_behind_a_trusted_proxy_the_client_address_decides(settings):
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.10"]
    settings.PORTAL_METRICS_ALLOWED_IPS = ["10.0.5.0/24"]

    allowed = Client(REMOTE_ADDR="10.0.0.10", HTTP_X_FORWARDED_FOR="10.0.5.7")
    outsider = Client(REMOTE_ADDR="10.0.0.10", HTTP_X_FORWARDED_FOR="10.0.5.7, 198.51.100.4")

    assert allowed.get("/metrics").status_code == 200
    assert outsider.get("/metrics").status_code == 404


RECORD_ONE_REQUEST = """
from cms import metrics
metrics.request_observe(method="GET", status=200, view="healthz", seconds=0.01)
"""
READ_ALL = """
from prometheus_client import generate_latest
from cms import metrics
print(generate_latest(metrics.request_metrics()).decode())
"""


def test_in_multiprocess_mode_a_scrape_adds_up_every_worker(tmp_path):
    env = child_env(PROMETHEUS_MULTIPROC_DIR=str(tmp_path))
    for _worker in range(2):
        subprocess.run([sys.executable, "-c", RECORD_ONE_REQUEST], cwd=ROOT, env=env, check=True, timeout=60)

    scraped = subprocess.run(
        [sys.executable, "-c", READ_ALL], cwd=ROOT, env=env, check=True, timeout=60, capture_output=True, text=True
    ).stdout

    assert 'portal_http_requests_total{method="GET",status="200",view="healthz"} 2.0' in scraped


def test_each_method_status_and_view_is_counted_apart():
    def count(labels):
        for line in metrics.exposition().decode().splitlines():
            if line.startswith(f"portal_http_requests_total{{{labels}}} "):
                return float(line.rsplit(" ", 1)[1])
        return 0.0

    labels = (
        'method="POST",status="403",view="portal:dashboard"',
        'method="POST",status="200",view="portal:dashboard"',
    )
    before = [count(one) for one in labels]
    for _ in range(3):
        metrics.request_observe(method="POST", status=403, view="portal:dashboard", seconds=0.01)
    metrics.request_observe(method="POST", status=200, view="portal:dashboard", seconds=0.01)

    assert [count(one) - start for one, start in zip(labels, before, strict=True)] == [3.0, 1.0]
