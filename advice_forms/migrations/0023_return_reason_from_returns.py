from django.db import migrations


def latest_reasons_to_returns(apps, schema_editor):
    """A request's last return reason is kept with the version that return sent back (SubmissionReturn), which 0022
    filled from the audit log; where it has no row there yet (the log had lost the words), the words move onto the
    version the request's n-th return returned (n: its returns), else onto its latest version that has none, so no
    reason is dropped with the column. A request not in the returned state has its latest version under review or
    accepted, never returned: that one is passed over."""
    AdviceRequest = apps.get_model("advice_forms", "AdviceRequest")
    AuditEntry = apps.get_model("cms", "AuditEntry")
    Submission = apps.get_model("advice_forms", "Submission")
    SubmissionReturn = apps.get_model("advice_forms", "SubmissionReturn")
    for advice_request in AdviceRequest.objects.exclude(return_reason="").iterator():
        kept = SubmissionReturn.objects.filter(submission__request=advice_request).order_by("-submission__number")
        if kept.filter(reason=advice_request.return_reason).exists():
            continue
        returns = AuditEntry.objects.filter(
            target_type__app_label="advice_forms",
            target_type__model="advicerequest",
            target_id=str(advice_request.pk),
            action="advice_request.returned",
        ).count()
        versions = Submission.objects.filter(request=advice_request, returned__isnull=True)
        if advice_request.state != "returned":
            # Its latest version is under review or accepted, not returned: the words are an earlier one's.
            latest = Submission.objects.filter(request=advice_request).order_by("-number").first()
            versions = versions.exclude(pk=latest.pk) if latest else versions
        version = versions.filter(number=returns).first() or versions.order_by("-number").first()
        if version is not None:
            SubmissionReturn.objects.create(submission=version, reason=advice_request.return_reason)


def returns_to_latest_reasons(apps, schema_editor):
    AdviceRequest = apps.get_model("advice_forms", "AdviceRequest")
    SubmissionReturn = apps.get_model("advice_forms", "SubmissionReturn")
    for kept in SubmissionReturn.objects.order_by("submission__request_id", "submission__number").iterator():
        AdviceRequest.objects.filter(pk=kept.submission.request_id).update(return_reason=kept.reason)


class Migration(migrations.Migration):
    dependencies = [
        ("advice_forms", "0022_submission_returns_and_audit_reasons"),
        ("cms", "0008_guidance_links_and_subheadings"),
    ]

    operations = [
        migrations.RunPython(latest_reasons_to_returns, returns_to_latest_reasons),
        migrations.RemoveField(model_name="advicerequest", name="return_reason"),
    ]
