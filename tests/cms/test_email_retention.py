"""The outbox keeps a sent email's body PORTAL_SENT_EMAIL_BODY_DAYS, then a nightly run blanks it: the address,
subject and times stay, and an email not yet sent is never touched."""

from datetime import timedelta

from django.core.management.sql import emit_post_migrate_signal
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import async_task

from cms.models import EmailNotification
from cms.retention import sent_email_bodies_clear
from cms.schedules import SENT_EMAIL_BODIES_SCHEDULE_NAME
from cms.services import email_notification_queue, email_notification_send

BODY = "Hello,\n\nA message is waiting for you in the portal: https://portal.example.org/portal/inbox/1/\n"


def _email(key, *, state=EmailNotification.State.SENT, sent_days_ago=None, created_days_ago=0):
    now = timezone.now()
    email = EmailNotification.objects.create(
        key=key,
        to=f"{key}@school.example.org",
        subject="A message is waiting for you",
        body=BODY,
        state=state,
        sent_at=None if sent_days_ago is None else now - timedelta(days=sent_days_ago),
    )
    EmailNotification.objects.filter(pk=email.pk).update(created_at=now - timedelta(days=created_days_ago))
    return email


def _run_the_nightly_schedule():
    schedule = Schedule.objects.get(name=SENT_EMAIL_BODIES_SCHEDULE_NAME)
    async_task(schedule.func)  # as the scheduler queues it (tasks run synchronously in tests)


def test_a_sent_emails_body_is_blanked_after_its_days_and_the_rest_kept(db, settings):
    settings.PORTAL_SENT_EMAIL_BODY_DAYS = 90
    Schedule.objects.filter(name=SENT_EMAIL_BODIES_SCHEDULE_NAME).delete()  # as a flush leaves it
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")  # what every `migrate` sends
    schedule = Schedule.objects.get(name=SENT_EMAIL_BODIES_SCHEDULE_NAME)
    assert (schedule.schedule_type, schedule.repeats) == (Schedule.DAILY, -1)
    assert timezone.localtime(schedule.next_run).hour == 3
    old_sent = _email("old-sent", sent_days_ago=91, created_days_ago=91)
    new_sent = _email("new-sent", sent_days_ago=89, created_days_ago=200)  # sent late: its days count from sending
    old_pending = _email("old-pending", state=EmailNotification.State.PENDING, created_days_ago=400)

    _run_the_nightly_schedule()

    old_sent.refresh_from_db()
    assert old_sent.body == ""
    assert (old_sent.to, old_sent.subject, old_sent.state) == (
        "old-sent@school.example.org",
        "A message is waiting for you",
        EmailNotification.State.SENT,
    )
    assert old_sent.sent_at is not None
    assert EmailNotification.objects.get(pk=new_sent.pk).body == BODY
    assert EmailNotification.objects.get(pk=old_pending.pk).body == BODY
    assert EmailNotification.objects.count() == 3  # nothing deleted


def test_clearing_twice_changes_nothing_the_second_time(db, settings):
    settings.PORTAL_SENT_EMAIL_BODY_DAYS = 90
    _email("old-sent", sent_days_ago=120, created_days_ago=120)
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert sent_email_bodies_clear() == 1
    before = list(EmailNotification.objects.values())
    assert sent_email_bodies_clear() == 0
    _run_the_nightly_schedule()

    assert list(EmailNotification.objects.values()) == before


def test_the_days_are_a_setting(db, settings):
    settings.PORTAL_SENT_EMAIL_BODY_DAYS = 30
    _email("a-month-ago", sent_days_ago=31, created_days_ago=31)
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    _run_the_nightly_schedule()

    assert EmailNotification.objects.get(key="a-month-ago").body == ""


def test_a_cleared_email_is_not_sent_again(db, settings, mailoutbox):
    settings.PORTAL_SENT_EMAIL_BODY_DAYS = 90
    email = _email("request-shared:1:account:2", sent_days_ago=100, created_days_ago=100)
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    _run_the_nightly_schedule()

    email_notification_queue(key=email.key, to=email.to, subject=email.subject, body=BODY)
    assert email_notification_send(notification_id=email.pk) is False
    assert mailoutbox == []
