"""A second pair of eyes on guidance: content editors lose direct publishing and submit pages to the "Guidance
approval" workflow, which the Guidance approvers group approves. Wagtail's half set-up "Moderators approval" (its
group never had members) is removed, with Wagtail's sample Moderators and Editors groups when they are empty."""

from django.db import migrations

from portal_pages.roles import GUIDANCE_APPROVAL, guidance_approval_ensure, roles_ensure

WAGTAIL_SAMPLE_WORKFLOW = "Moderators approval"
WAGTAIL_SAMPLE_GROUPS = ["Moderators", "Editors"]


def _publish_permissions(apps, group_name):
    return apps.get_model("wagtailcore", "GroupPagePermission").objects.filter(
        group__name=group_name, permission__content_type__app_label="wagtailcore", permission__codename="publish_page"
    )


def _remove_workflow_if_unused(apps, name):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    for workflow in Workflow.objects.filter(name=name):
        apps.get_model("wagtailcore", "WorkflowPage").objects.filter(workflow=workflow).delete()
        if apps.get_model("wagtailcore", "WorkflowState").objects.filter(workflow=workflow).exists():
            Workflow.objects.filter(pk=workflow.pk).update(active=False)  # keep the history of past moderation
        else:
            workflow.delete()
    for task in Task.objects.filter(name=name):
        if apps.get_model("wagtailcore", "TaskState").objects.filter(task=task).exists():
            Task.objects.filter(pk=task.pk).update(active=False)
        else:
            task.delete()


def forwards(apps, schema_editor):
    _publish_permissions(apps, "Content editor").delete()
    roles_ensure(apps)
    guidance_approval_ensure(apps)
    _remove_workflow_if_unused(apps, WAGTAIL_SAMPLE_WORKFLOW)
    apps.get_model("auth", "Group").objects.filter(name__in=WAGTAIL_SAMPLE_GROUPS, user__isnull=True).delete()


def backwards(apps, schema_editor):
    # Content editors publish again and the workflow stops applying; the approvers' group and the workflow stay
    # (deleting them through historical models trips over Wagtail's relations to Group), for a superuser to remove.
    Workflow = apps.get_model("wagtailcore", "Workflow")
    apps.get_model("wagtailcore", "WorkflowPage").objects.filter(workflow__name=GUIDANCE_APPROVAL).delete()
    Workflow.objects.filter(name=GUIDANCE_APPROVAL).update(active=False)
    editors = apps.get_model("auth", "Group").objects.filter(name="Content editor").first()
    root_page = apps.get_model("wagtailcore", "Page").objects.filter(depth=1).first()
    publish = apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="wagtailcore", codename="publish_page"
    )
    if editors is not None and root_page is not None and publish.exists():
        # By id: the historical Group of a backwards migration is not the class GroupPagePermission's key expects.
        apps.get_model("wagtailcore", "GroupPagePermission").objects.get_or_create(
            group_id=editors.pk, page_id=root_page.pk, permission_id=publish.get().pk
        )


class Migration(migrations.Migration):
    dependencies = [
        ("portal_pages", "0009_content_editor_page_feedback"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
