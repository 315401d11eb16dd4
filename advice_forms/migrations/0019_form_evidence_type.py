"""Files uploaded through a form's file question had no type ("Not given" in document lists); they get the type the
portal now gives them, found by the answers (drafts and submitted versions) that name them."""

from django.db import migrations

FORM_EVIDENCE = "form_evidence"


def _named_documents(answers):
    for section in (answers or {}).values():
        for answer in section.values() if isinstance(section, dict) else ():
            if isinstance(answer, dict) and isinstance(answer.get("document"), int):
                yield answer["document"]


def forwards(apps, schema_editor):
    ids = set()
    for model in (apps.get_model("advice_forms", "AdviceRequest"), apps.get_model("advice_forms", "Submission")):
        for answers in model.objects.values_list("answers", flat=True).iterator():
            ids.update(_named_documents(answers))
    document = apps.get_model("advice_forms", "Document")
    ids = sorted(ids)
    for start in range(0, len(ids), 500):  # in slices: SQLite caps the variables of one statement
        untyped = document.objects.filter(pk__in=ids[start : start + 500], document_type="", submission__isnull=True)
        untyped.update(document_type=FORM_EVIDENCE)


def backwards(apps, schema_editor):
    apps.get_model("advice_forms", "Document").objects.filter(document_type=FORM_EVIDENCE).update(document_type="")


class Migration(migrations.Migration):
    dependencies = [
        ("advice_forms", "0018_child_record_checks"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
