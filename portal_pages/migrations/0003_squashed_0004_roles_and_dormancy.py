"""The staff roles as Django groups with their permissions (professionals belong to none of them), and a daily
django-q2 schedule that marks accounts dormant (portal_pages.tasks.accounts_mark_dormant): 0003 and 0004 squashed."""

from django.db import migrations

from cms.schedules import schedule_remove
from portal_pages.roles import DORMANCY_SCHEDULE_NAME, ROLES, dormancy_schedule_ensure, roles_ensure


def create_groups(apps, schema_editor):
    roles_ensure(apps)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)).delete()


def create_schedule(apps, schema_editor):
    dormancy_schedule_ensure(apps)


def remove_schedule(apps, schema_editor):
    schedule_remove(apps, DORMANCY_SCHEDULE_NAME)


class Migration(migrations.Migration):
    replaces = [("portal_pages", "0003_role_groups"), ("portal_pages", "0004_dormancy_schedule")]

    dependencies = [
        ("portal_pages", "0001_squashed_0002_accounts_and_organisations"),
        ("cms", "0001_squashed_0005_site_audit_and_outbox"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [
        migrations.RunPython(create_groups, remove_groups),
        migrations.RunPython(create_schedule, remove_schedule),
    ]
