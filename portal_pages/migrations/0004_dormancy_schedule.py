"""A daily django-q2 schedule that marks accounts dormant (portal_pages.tasks.accounts_mark_dormant)."""

from django.db import migrations

from portal_pages.roles import DORMANCY_SCHEDULE_NAME, dormancy_schedule_ensure


def create_schedule(apps, schema_editor):
    dormancy_schedule_ensure(apps)


def remove_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=DORMANCY_SCHEDULE_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal_pages", "0003_role_groups"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
