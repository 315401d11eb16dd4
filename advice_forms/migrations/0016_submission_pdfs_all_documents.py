"""Before Submission.pdf goes (0017): any submission whose PDF was filed without its Document gets one, as 0008 gave
the ones filed before documents held submissions. Going back, each submission takes its Document's file again.
Kept apart from 0017: on PostgreSQL a table's rows and its columns are not changed in one transaction."""

from importlib import import_module

from django.db import migrations

# 0008's own step, the same now as then: a migration's module name starts with a digit, so it is imported by name.
submissions_filed_as_documents = import_module(
    "advice_forms.migrations.0008_submission_documents"
).submissions_filed_as_documents


def submission_pdfs_from_documents(apps, schema_editor):
    alias = schema_editor.connection.alias
    Document = apps.get_model("advice_forms", "Document")
    Submission = apps.get_model("advice_forms", "Submission")
    for document in Document.objects.using(alias).filter(submission__isnull=False).only("submission_id", "file_id"):
        Submission.objects.using(alias).filter(pk=document.submission_id).update(pdf_id=document.file_id)


class Migration(migrations.Migration):
    dependencies = [
        ("advice_forms", "0015_section_quick_add"),
    ]

    operations = [
        migrations.RunPython(submissions_filed_as_documents, submission_pdfs_from_documents),
    ]
