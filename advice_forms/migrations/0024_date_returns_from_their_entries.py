from django.db import migrations


def date_undated_returns(apps, schema_editor):
    """0023 made a return's row from the request's column where the audit log had lost the words, dated when it ran and
    with nobody returning it. The request's history now reads a return from its row alone, so each such row takes its
    time and caseworker from the n-th return's audit entry (version n was returned by the n-th return), where one is
    kept. Rows with a caseworker were made by a return, or by 0022 from its entry, and are right already."""
    AuditEntry = apps.get_model("cms", "AuditEntry")
    SubmissionReturn = apps.get_model("advice_forms", "SubmissionReturn")
    for kept in SubmissionReturn.objects.filter(returned_by__isnull=True).select_related("submission").iterator():
        entries = AuditEntry.objects.filter(
            target_type__app_label="advice_forms",
            target_type__model="advicerequest",
            target_id=str(kept.submission.request_id),
            action="advice_request.returned",
        ).order_by("created_at", "pk")
        entry = next(iter(entries[kept.submission.number - 1 : kept.submission.number]), None)
        if entry is not None:
            SubmissionReturn.objects.filter(pk=kept.pk).update(
                returned_at=entry.created_at, returned_by_id=entry.actor_id
            )


class Migration(migrations.Migration):
    dependencies = [
        ("advice_forms", "0023_return_reason_from_returns"),
        ("cms", "0008_guidance_links_and_subheadings"),
    ]

    # Back: nothing to undo (the times and caseworkers are the entries' own).
    operations = [migrations.RunPython(date_undated_returns, migrations.RunPython.noop)]
