"""Content editors and guidance approvers promote pages for a search (Settings → Promoted search results), so a
parent searching "ehcp" sees the parents' page first; caseworkers and the other roles do not."""

from django.db import migrations

from portal_pages.roles import (
    PORTAL_SETTINGS_EDITORS,
    SEARCH_PROMOTION_PERMISSIONS,
    permissions_named,
    portal_settings_editors_ensure,
)


def grant(apps, schema_editor):
    portal_settings_editors_ensure(apps, SEARCH_PROMOTION_PERMISSIONS)


def revoke(apps, schema_editor):
    permissions = permissions_named(apps, SEARCH_PROMOTION_PERMISSIONS)
    for group in apps.get_model("auth", "Group").objects.filter(name__in=PORTAL_SETTINGS_EDITORS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("portal_pages", "0019_organisation_email_address_endings"),
        ("wagtailsearchpromotions", "0008_query_verbose_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
