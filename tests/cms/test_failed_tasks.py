"""What django-q2 keeps of a failed task: its error without an email address, only the newest failure of each email
or schedule, and none older than PORTAL_FAILED_TASK_DAYS. An email the mail server refuses is tried every minute for
two days: each try left a failed task quoting the recipient, kept for ever."""

import logging
from datetime import timedelta
from smtplib import SMTPRecipientsRefused

import pytest
from django.core.management.sql import emit_post_migrate_signal
from django.utils import timezone
from django_q.models import Failure, Schedule, Success, Task
from django_q.tasks import async_task

from cms.models import EmailNotification
from cms.schedules import FAILED_TASKS_SCHEDULE_NAME
from tests.task_worker import run_in_worker

pytestmark = pytest.mark.django_db
RECIPIENT = "caseworker@council.example.org"


class RefusingServer:
    """A mail server that refuses every recipient, as smtplib reports it."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        refused = {to: (550, f"5.1.1 <{to}>: Recipient address rejected".encode()) for m in messages for to in m.to}
        raise SMTPRecipientsRefused(refused)


@pytest.fixture
def refusing_server(settings):
    settings.EMAIL_BACKEND = "tests.cms.test_failed_tasks.RefusingServer"


def _email(to=RECIPIENT, key="request-returned:1"):
    return EmailNotification.objects.create(key=key, to=to, subject="A submission was returned", body="Sign in.")


def _send(notification):
    # As cms.services queues it: one task name per email, each try a new task.
    return run_in_worker(
        "cms.tasks.email_notification_send", notification.pk, task_name=f"email-notification-{notification.pk}"
    )


def test_a_refused_emails_failure_keeps_no_address_in_its_error_or_the_log(refusing_server, caplog):
    with caplog.at_level(logging.INFO):
        task = _send(_email())

    assert not task.success
    assert "SMTPRecipientsRefused" in task.result and "550" in task.result
    assert RECIPIENT not in task.result
    assert "'[email]': (550, b'5.1.1 <[email]>: Recipient address rejected')" in task.result
    assert RECIPIENT not in caplog.text


def test_each_try_of_an_email_replaces_its_last_failure(refusing_server):
    refused, other = _email(), _email(to="senco@school.example.org", key="request-shared:2")
    _send(refused)
    _send(other)
    tries = [_send(refused) for _ in range(3)]

    kept = Failure.objects.filter(func="cms.tasks.email_notification_send")
    assert sorted(kept.values_list("name", flat=True)) == sorted(
        [f"email-notification-{refused.pk}", f"email-notification-{other.pk}"]
    )
    assert kept.get(name=f"email-notification-{refused.pk}").id == tries[-1].id


def test_each_failed_run_of_a_schedule_replaces_its_last_failure():
    # The scheduler names each run's task at random and groups the runs by the schedule's name.
    runs = [run_in_worker("math.sqrt", -1, group="Publish scheduled pages and snippets") for _ in range(3)]
    unnamed = [run_in_worker("math.sqrt", -1) for _ in range(2)]

    kept = Failure.objects.filter(func="math.sqrt")
    assert set(kept.values_list("id", flat=True)) == {runs[-1].id, *(task.id for task in unnamed)}


def test_failures_of_two_peoples_requests_of_one_kind_are_both_kept(monkeypatch):
    """Every password reset's task is named "password-reset-request": one person's failure is not another's."""
    from portal_pages.services import password_resets

    def down(**kwargs):
        raise ConnectionError("the database went away")

    monkeypatch.setattr(password_resets, "password_reset_request", down)
    func = "portal_pages.tasks.password_reset_request"
    name = "password-reset-request"
    first = run_in_worker(func, task_name=name, email="a@school.example.org", request_id="1")
    second = run_in_worker(func, task_name=name, email="b@school.example.org", request_id="2")

    assert not first.success and not second.success
    assert set(Failure.objects.filter(name=name).values_list("id", flat=True)) == {first.id, second.id}


def _task(name, *, success, days_ago):
    stopped = timezone.now() - timedelta(days=days_ago)
    return Task.objects.create(
        id=name.ljust(32, "0"), name=name, func="cms.tasks.pages_publish_scheduled", started=stopped, stopped=stopped,
        success=success, result=None if success else "boom",
    )  # fmt: skip


def test_failed_tasks_are_removed_every_night_after_their_days(settings):
    settings.PORTAL_FAILED_TASK_DAYS = 30
    Schedule.objects.filter(name=FAILED_TASKS_SCHEDULE_NAME).delete()  # as a flush leaves it
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")  # what every `migrate` sends
    schedule = Schedule.objects.get(name=FAILED_TASKS_SCHEDULE_NAME)
    assert (schedule.schedule_type, schedule.repeats) == (Schedule.DAILY, -1)
    assert timezone.localtime(schedule.next_run).hour == 3
    _task("old-failure", success=False, days_ago=31)
    _task("recent-failure", success=False, days_ago=29)
    _task("old-success", success=True, days_ago=31)

    async_task(schedule.func)  # as the scheduler queues it (tasks run synchronously in tests)

    names = ["old-failure", "recent-failure", "old-success"]
    assert list(Failure.objects.filter(name__in=names).values_list("name", flat=True)) == ["recent-failure"]
    assert list(Success.objects.filter(name__in=names).values_list("name", flat=True)) == ["old-success"]
    settings.PORTAL_FAILED_TASK_DAYS = 7
    async_task(schedule.func)
    assert not Failure.objects.filter(name__in=names).exists()
