"""The staff roles as Django groups with their permissions. Professionals belong to none of them."""

from django.db import migrations

from portal_pages.roles import ROLES, roles_ensure


def create_groups(apps, schema_editor):
    roles_ensure(apps)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal_pages", "0002_organisations_and_account_state"),
        ("cms", "0002_audit_entry"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
