"""Housekeeping: expired sessions are removed every night by a django-q2 schedule, as `manage.py clearsessions` does."""

import ast
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.core.management.sql import emit_post_migrate_signal
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import async_task

from cms.schedules import SESSIONS_SCHEDULE_NAME


def test_expired_sessions_are_removed_every_night_and_live_ones_kept(db):
    Schedule.objects.filter(name=SESSIONS_SCHEDULE_NAME).delete()  # as a flush leaves it
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")  # what every `migrate` sends
    schedule = Schedule.objects.get(name=SESSIONS_SCHEDULE_NAME)
    assert (schedule.schedule_type, schedule.repeats) == (Schedule.DAILY, -1)
    assert timezone.localtime(schedule.next_run).hour == 3
    now = timezone.now()
    Session.objects.create(session_key="expired" + "x" * 25, session_data="", expire_date=now - timedelta(hours=1))
    Session.objects.create(session_key="live" + "y" * 28, session_data="", expire_date=now + timedelta(hours=1))

    async_task(schedule.func, ast.literal_eval(schedule.args))  # as the scheduler queues it (tasks run synchronously)

    assert list(Session.objects.values_list("session_key", flat=True)) == ["live" + "y" * 28]


def test_an_edited_schedule_is_kept_by_the_next_migrate(db):
    Schedule.objects.filter(name=SESSIONS_SCHEDULE_NAME).delete()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    Schedule.objects.filter(name=SESSIONS_SCHEDULE_NAME).update(schedule_type=Schedule.WEEKLY)

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert list(Schedule.objects.filter(name=SESSIONS_SCHEDULE_NAME).values_list("schedule_type", flat=True)) == [
        Schedule.WEEKLY
    ]
