"""A daily django-q2 schedule that marks accounts dormant (portal_pages.tasks.accounts_mark_dormant)."""

from datetime import datetime, time, timedelta

from django.db import migrations
from django.utils import timezone

NAME = "Mark dormant accounts"
FUNC = "portal_pages.tasks.accounts_mark_dormant"


def create_schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    tomorrow = timezone.localdate() + timedelta(days=1)
    next_run = timezone.make_aware(datetime.combine(tomorrow, time(2, 30)))
    Schedule.objects.update_or_create(
        name=NAME, defaults={"func": FUNC, "schedule_type": "D", "repeats": -1, "next_run": next_run}
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal_pages", "0003_role_groups"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
