"""A submission's final PDF is kept once: as its Document's file (Submission.pdf pointed at the same filer file)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("advice_forms", "0016_submission_pdfs_all_documents"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="submission",
            name="pdf",
        ),
    ]
