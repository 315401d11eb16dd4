"""Portal administrators see the emails the outbox has not sent, why, and since when (Reports → Emails not sent), and
try one again now, without reading logs or the database (cms.admin_views.EmailsNotSentReportView)."""

from django.db import migrations

from portal_pages.roles import EMAILS_NOT_SENT_PERMISSION, PORTAL_ADMINISTRATOR, emails_not_sent_viewers_ensure


def grant(apps, schema_editor):
    emails_not_sent_viewers_ensure(apps)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label=EMAILS_NOT_SENT_PERMISSION[0], codename=EMAILS_NOT_SENT_PERMISSION[1]
    )
    for group in apps.get_model("auth", "Group").objects.filter(name=PORTAL_ADMINISTRATOR):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("portal_pages", "0017_used_backup_codes"),
        ("cms", "0016_portal_settings_help_page"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
