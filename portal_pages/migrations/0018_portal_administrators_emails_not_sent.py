"""Portal administrators see the emails the outbox has not sent, why, and since when (Reports → Emails not sent), and
try one again now, without reading logs or the database (cms.admin_views.EmailsNotSentReportView)."""

from django.db import migrations

from portal_pages.roles import (
    EMAILS_NOT_SENT_PERMISSION,
    emails_not_sent_viewers_ensure,
    portal_administrator_permission_revoke,
)


def grant(apps, schema_editor):
    emails_not_sent_viewers_ensure(apps)


def revoke(apps, schema_editor):
    portal_administrator_permission_revoke(apps, EMAILS_NOT_SENT_PERMISSION)


class Migration(migrations.Migration):
    dependencies = [
        ("portal_pages", "0017_used_backup_codes"),
        ("cms", "0016_portal_settings_help_page"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
