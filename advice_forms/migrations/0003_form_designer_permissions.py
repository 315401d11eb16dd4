"""Give the "Form designer" group its permissions on the advice-forms snippets.

The accounts work creates the groups; get_or_create lets either migration run first, and this one adds only
its own permissions (plus admin access, without which none of them can be used).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Form designer"
ACTIONS = {
    "formdefinition": ["add", "change", "delete", "view", "publish", "lock", "unlock"],
    "dropdownlist": ["add", "change", "delete", "view"],
    "team": ["add", "change", "delete", "view"],
    "needtype": ["add", "change", "delete", "view"],
}
VERBOSE = {"formdefinition": "form definition", "dropdownlist": "dropdown list", "team": "Team", "needtype": "Type"}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("advice_forms")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for model, actions in ACTIONS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label="advice_forms", model=model)
        for action in actions:
            # publish, lock and unlock are Wagtail's own; its post_migrate makes them too, and skips existing ones.
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {VERBOSE[model]}"},
            )
            group.permissions.add(permission)
    admin_access = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin").first()
    if admin_access:
        group.permissions.add(admin_access)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="advice_forms"))


class Migration(migrations.Migration):
    dependencies = [
        ("advice_forms", "0002_team_and_type_terms"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
