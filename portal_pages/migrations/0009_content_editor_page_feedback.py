"""Content editors read the page feedback report and redact or delete comments that hold personal data."""

from django.db import migrations

from portal_pages.roles import CONTENT_EDITOR_FEEDBACK_PERMISSIONS, content_editor_feedback_ensure


def grant(apps, schema_editor):
    content_editor_feedback_ensure(apps)


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name="Content editor").first()
    if group is None:
        return
    Permission = apps.get_model("auth", "Permission")
    for app_label, codename in CONTENT_EDITOR_FEEDBACK_PERMISSIONS:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label=app_label, codename=codename))


class Migration(migrations.Migration):
    dependencies = [
        ("portal_pages", "0008_move_casework_models"),
        ("faq", "0002_feedback_redaction_and_question_limits"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
