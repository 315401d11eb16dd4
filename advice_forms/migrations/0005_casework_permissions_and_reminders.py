"""Give the "SEND caseworker" group its casework permissions, and schedule the daily due/overdue reminders."""

from django.db import migrations

from advice_forms.casework_setup import (
    REMINDER_SCHEDULE_NAME,
    caseworker_permissions_ensure,
    reminder_schedule_ensure,
)


def forwards(apps, schema_editor):
    caseworker_permissions_ensure(apps)
    reminder_schedule_ensure(apps)


def backwards(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=REMINDER_SCHEDULE_NAME).delete()
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="SEND caseworker").first()
    if group:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="advice_forms", content_type__model__in=["childrecord", "advicerequest", "submission"]
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("advice_forms", "0004_casework"),
        ("portal_pages", "0004_dormancy_schedule"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
