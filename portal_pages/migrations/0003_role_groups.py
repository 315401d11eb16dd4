"""The staff roles as Django groups with their permissions. Professionals belong to none of them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ADMIN_ACCESS = ("wagtailadmin", "access_admin")

ROLES = {
    "SEND caseworker": [
        ADMIN_ACCESS,
        ("portal_pages", "view_organisation"),
        ("portal_pages", "add_user"),
        ("portal_pages", "view_user"),
    ],
    "Form designer": [ADMIN_ACCESS],
    "Content editor": [
        ADMIN_ACCESS,
    ],
    "Portal administrator": [
        ADMIN_ACCESS,
        ("portal_pages", "add_organisation"),
        ("portal_pages", "change_organisation"),
        ("portal_pages", "delete_organisation"),
        ("portal_pages", "view_organisation"),
        ("portal_pages", "add_user"),
        ("portal_pages", "change_user"),
        ("portal_pages", "view_user"),
        ("cms", "view_auditentry"),
    ],
}
CONTENT_EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
CONTENT_EDITOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


def _ensure_permissions(apps):
    # Permissions are normally made after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_groups(apps, schema_editor):
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    def perm(app_label, codename):
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    for name, permissions in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*[perm(*p) for p in permissions])

    editors = Group.objects.get(name="Content editor")
    root_page = Page.objects.filter(depth=1).first()
    if root_page is not None:
        for codename in CONTENT_EDITOR_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=editors, page=root_page, permission=perm("wagtailcore", codename)
            )
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for app_label, codename in CONTENT_EDITOR_COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=editors, collection=root_collection, permission=perm(app_label, codename)
            )


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
