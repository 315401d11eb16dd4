from django.db import migrations, models

from cms.names import name_folded


def fill_search_names(apps, schema_editor):
    """Every record's names as a search matches them (ChildRecord.save() writes them from now on), a thousand rows
    at a time."""
    ChildRecord = apps.get_model("advice_forms", "ChildRecord")
    batch = []
    for child in ChildRecord.objects.only("pk", "first_name", "last_name").iterator(chunk_size=1000):
        child.search_name = name_folded(" ".join(name for name in (child.first_name, child.last_name) if name))
        batch.append(child)
        if len(batch) == 1000:
            ChildRecord.objects.bulk_update(batch, ["search_name"])
            batch = []
    ChildRecord.objects.bulk_update(batch, ["search_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("advice_forms", "0038_child_last_name_optional"),
    ]

    operations = [
        migrations.AddField(
            model_name="childrecord",
            name="search_name",
            field=models.CharField(blank=True, editable=False, max_length=201),
        ),
        migrations.RunPython(fill_search_names, migrations.RunPython.noop),
    ]
