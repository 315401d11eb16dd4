from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.utils.text import capfirst

# The casework models marked ``wagtail_log_label_by_id`` when this migration was written.
CASEWORK = (
    "ChildRecord",
    "AdviceRequest",
    "Submission",
    "SubmissionReturn",
    "Document",
    "AccessRequest",
    "ProfessionalContact",
    "Contribution",
    "DetailsChangeReport",
    "Outcome",
)


def label_casework_log_entries_by_id(apps, schema_editor):
    """Wagtail's history of casework rows was labelled by their str(), which names the child ("Jamie Tarrant",
    "ERSA for Jamie Tarrant") and outlives a deleted record: each entry is relabelled by kind and id ("Child record
    12"), as entries are written from now on (cms.models.log_entry_label_by_id)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    for name in CASEWORK:
        model = apps.get_model("advice_forms", name)
        content_type = ContentType.objects.filter(app_label="advice_forms", model=name.lower()).first()
        if content_type is not None:
            kind = f"{capfirst(model._meta.verbose_name)} "
            ModelLogEntry.objects.filter(content_type=content_type).update(label=Concat(Value(kind), F("object_id")))


class Migration(migrations.Migration):
    dependencies = [
        ("advice_forms", "0032_one_line_texts"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0096_referenceindex_referenceindex_source_object_and_more"),
    ]

    # Going back keeps the labels by id: the names they replaced are not kept anywhere to restore.
    operations = [migrations.RunPython(label_casework_log_entries_by_id, migrations.RunPython.noop)]
