"""A file uploaded through a form's file question was titled by the question's label ("Your full report"), which
reads as the reader's own to every other account and to the caseworker; it is now titled by the file's own name
(without ".pdf"), as an upload through the form is from now on. Only the portal gives that type, so every such row is
one; the original file name is kept on the row. Nothing to undo: the label is still in the form."""

from django.db import migrations

# Frozen copies: a migration keeps what it was when it was written.
FORM_EVIDENCE = "form_evidence"
SLICE = 500


def _title(original_filename: str) -> str:
    name = (original_filename or "").strip()
    if name.lower().endswith(".pdf"):
        name = name[:-4]
    return name.strip(" .")[:200]


def titles_from_file_names(apps, schema_editor):
    alias = schema_editor.connection.alias
    Document = apps.get_model("advice_forms", "Document")
    rows = Document.objects.using(alias).filter(document_type=FORM_EVIDENCE).order_by("pk")
    changed = []
    for document in rows.only("pk", "title", "original_filename").iterator(chunk_size=SLICE):
        title = _title(document.original_filename)
        if title and title != document.title:
            document.title = title
            changed.append(document)
    Document.objects.using(alias).bulk_update(changed, ["title"], batch_size=SLICE)


class Migration(migrations.Migration):
    dependencies = [
        ("advice_forms", "0036_rules_label_quick_add_class"),
    ]

    operations = [migrations.RunPython(titles_from_file_names, migrations.RunPython.noop)]
