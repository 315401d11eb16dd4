"""Every submission already filed (Submission.pdf) gets its Document, with the same filer file, so the PDFs
submitted before 0007 are listed and downloaded like the ones submitted after it. Kept apart from 0007: on
PostgreSQL a table's rows and its columns are not changed in one transaction.
"""

from django.db import migrations

# Frozen copies of advice_forms.models.documents.SUBMITTED_ADVICE and of the title that
# advice_forms.services.documents gives a submission's PDF: a migration keeps what they were when it was written.
SUBMITTED_ADVICE = "submitted_advice"


def _title(version, reference):
    return f"{version.title} ({version.version_label}) – {reference}"[:200]


def _size(filer_file):
    """The stored size; filer leaves it empty on the files we filed, so ask the storage then."""
    if filer_file._file_size:
        return filer_file._file_size
    try:
        return filer_file.file.size
    except Exception:  # noqa: BLE001 - a file missing from storage (any backend) is listed without a size
        return 0


def submissions_filed_as_documents(apps, schema_editor):
    alias = schema_editor.connection.alias
    Document = apps.get_model("advice_forms", "Document")
    Submission = apps.get_model("advice_forms", "Submission")
    filed = (
        Submission.objects.using(alias)
        .filter(pdf__isnull=False, document__isnull=True)
        .select_related("request", "form_version", "pdf")
        .order_by("pk")
    )
    for submission in filed.iterator(chunk_size=500):
        Document.objects.using(alias).create(
            child_id=submission.request.child_id,
            advice_request_id=submission.request_id,
            title=_title(submission.form_version, submission.reference),
            document_type=SUBMITTED_ADVICE,
            file_id=submission.pdf_id,
            original_filename=f"{submission.reference}.pdf"[:255],
            size=_size(submission.pdf),
            uploaded_by_id=submission.submitted_by_id,
            uploaded_by_name=submission.submitted_by_name[:200],
            uploaded_at=submission.submitted_at,
            submission_id=submission.pk,
        )


def submission_documents_removed(apps, schema_editor):
    """Going back: the submissions keep their PDFs (Submission.pdf); only the Document rows made for them go."""
    Document = apps.get_model("advice_forms", "Document")
    Document.objects.using(schema_editor.connection.alias).filter(submission__isnull=False).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("advice_forms", "0007_document_submission"),
    ]

    operations = [
        migrations.RunPython(submissions_filed_as_documents, submission_documents_removed),
    ]
