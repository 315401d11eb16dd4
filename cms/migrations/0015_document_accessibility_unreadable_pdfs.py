from django.db import migrations, models


def forget_pdfs_kept_as_lacking_nothing(apps, schema_editor):
    # A damaged PDF was kept as lacking nothing, like an accessible one: the two cannot be told apart from the row, so
    # both are read again by check_document_accessibility (docs/operations.md) and the damaged ones then warn.
    apps.get_model("cms", "DocumentAccessibility").objects.filter(gaps=[]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0014_audit_entries_out_of_the_reference_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="documentaccessibility",
            name="readable",
            field=models.BooleanField(default=True),
        ),
        migrations.RunPython(forget_pdfs_kept_as_lacking_nothing, migrations.RunPython.noop),
    ]
