"""A daily django-q2 schedule that removes authenticator devices never confirmed
(portal_pages.tasks.devices_remove_unconfirmed)."""

from django.db import migrations

from portal_pages.roles import UNCONFIRMED_DEVICES_SCHEDULE_NAME, unconfirmed_devices_schedule_ensure


def create_schedule(apps, schema_editor):
    unconfirmed_devices_schedule_ensure(apps)


def remove_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=UNCONFIRMED_DEVICES_SCHEDULE_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal_pages", "0006_documents_outcomes_involvement"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
