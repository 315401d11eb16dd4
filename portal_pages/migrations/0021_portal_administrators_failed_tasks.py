"""Portal administrators see each background task that failed (a PDF filed, an email sent, a nightly clean-up), when,
after how many tries and why (Reports → Failed background tasks), without a shell on the server
(cms.admin_views.FailedTasksReportView)."""

from django.db import migrations

from portal_pages.roles import (
    FAILED_TASKS_PERMISSION,
    failed_tasks_viewers_ensure,
    portal_administrator_permission_revoke,
)


def grant(apps, schema_editor):
    failed_tasks_viewers_ensure(apps)


def revoke(apps, schema_editor):
    portal_administrator_permission_revoke(apps, FAILED_TASKS_PERMISSION)


class Migration(migrations.Migration):
    dependencies = [
        ("portal_pages", "0020_guidance_editors_search_promotions"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
