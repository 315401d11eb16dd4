"""django-q2's schedules, made by migrations and again after a database flush (post_migrate, as transactional tests
do), and never changed once they exist: the helpers every app's schedules and post_migrate hooks use (a daily run,
removing one, whether the hook's apps are migrated yet), and cms's
own: the every-minute run that publishes pages and snippets whose scheduled time has come, the weekly review
reminders, and the nightly removal of expired sessions, of old sent emails' bodies and of old failed tasks (made by the
post_migrate hook alone, which every `migrate` runs, so an upgraded database gets them from its release step)."""

from datetime import datetime, time, timedelta

from django.utils import timezone

PUBLISH_SCHEDULE_NAME = "Publish scheduled pages and snippets"
REVIEW_SCHEDULE_NAME = "Remind owners of guidance pages due for review"
SESSIONS_SCHEDULE_NAME = "Remove expired sessions"
SENT_EMAIL_BODIES_SCHEDULE_NAME = "Clear the bodies of old sent emails"
FAILED_TASKS_SCHEDULE_NAME = "Remove old failed tasks"


def migrated(apps, *app_labels: str) -> bool:
    """Whether the migration state ``apps`` that post_migrate hands a hook holds each of ``app_labels``. A partial
    `migrate <app>` on a new database sends post_migrate with only the apps migrated so far; a hook whose apps are not
    all there yet does nothing, and runs after the migrate that brings them (Django's own permission hook does so)."""
    try:
        for label in app_labels:
            apps.get_app_config(label)
    except LookupError:
        return False
    return True


def daily_schedule_ensure(apps, name: str, func: str, at: time, args: str | None = None) -> None:
    """A django-q2 schedule running ``func`` (with ``args``, django-q2's literal) daily at ``at`` from tomorrow, made
    once: an existing one stays as it is."""
    Schedule = apps.get_model("django_q", "Schedule")
    if Schedule.objects.filter(name=name).exists():
        return
    tomorrow = timezone.localdate() + timedelta(days=1)
    next_run = timezone.make_aware(datetime.combine(tomorrow, at))
    Schedule.objects.create(name=name, func=func, args=args, schedule_type="D", repeats=-1, next_run=next_run)


def schedule_remove(apps, name: str) -> None:
    apps.get_model("django_q", "Schedule").objects.filter(name=name).delete()


def publish_schedule_ensure(apps) -> None:
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.get_or_create(
        name=PUBLISH_SCHEDULE_NAME,
        defaults={"func": "cms.tasks.pages_publish_scheduled", "schedule_type": "I", "minutes": 1, "repeats": -1},
    )


def review_schedule_ensure(apps) -> None:
    """The weekly review reminders, on Monday mornings at 7:00 local time: made by a migration, and again after a
    database flush (post_migrate), never changed once they exist."""
    Schedule = apps.get_model("django_q", "Schedule")
    if Schedule.objects.filter(name=REVIEW_SCHEDULE_NAME).exists():
        return
    today = timezone.localdate()
    monday = today + timedelta(days=7 - today.weekday())
    Schedule.objects.create(
        name=REVIEW_SCHEDULE_NAME,
        func="cms.tasks.review_reminders_send",
        schedule_type="W",
        repeats=-1,
        next_run=timezone.make_aware(datetime.combine(monday, time(7, 0))),
    )


def sessions_schedule_ensure(apps) -> None:
    """Django's `clearsessions` every night at 3:15: expired sessions are otherwise kept in the database for ever.
    The command by name, not a task of ours, so a release rolled back to one without this schedule still runs it."""
    daily_schedule_ensure(
        apps, SESSIONS_SCHEDULE_NAME, "django.core.management.call_command", time(3, 15), args="'clearsessions'"
    )


def sent_email_bodies_schedule_ensure(apps) -> None:
    """cms.retention's nightly run at 3:30: a sent email's body is kept PORTAL_SENT_EMAIL_BODY_DAYS, then blanked."""
    daily_schedule_ensure(apps, SENT_EMAIL_BODIES_SCHEDULE_NAME, "cms.tasks.sent_email_bodies_clear", time(3, 30))


def failed_tasks_schedule_ensure(apps) -> None:
    """cms.retention's nightly run at 3:45: a failed task is kept PORTAL_FAILED_TASK_DAYS, then removed."""
    daily_schedule_ensure(apps, FAILED_TASKS_SCHEDULE_NAME, "cms.tasks.failed_tasks_remove", time(3, 45))
