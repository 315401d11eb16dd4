"""Content editors and guidance approvers keep the council's phone number and its hours (Portal settings) up to
date, without asking a superuser; the settings' other fields stay with superusers (cms.models.PortalSettings)."""

from django.db import migrations

from portal_pages.roles import PORTAL_SETTINGS_EDITORS, PORTAL_SETTINGS_PERMISSION, portal_settings_editors_ensure


def grant(apps, schema_editor):
    portal_settings_editors_ensure(apps)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label=PORTAL_SETTINGS_PERMISSION[0], codename=PORTAL_SETTINGS_PERMISSION[1]
    )
    for group in apps.get_model("auth", "Group").objects.filter(name__in=PORTAL_SETTINGS_EDITORS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("portal_pages", "0015_device_names_off_the_audit_log"),
        ("cms", "0011_email_given_up"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
