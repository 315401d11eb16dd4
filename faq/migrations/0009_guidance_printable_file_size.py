from django.db import migrations, models


def sizes_from_storage(apps, schema_editor):
    """Printables stored before their size was kept: read each one's size once from the storage (a few per site), so
    their links give it now rather than after the next publish. One the storage cannot answer for keeps none."""
    GuidancePrintable = apps.get_model("faq", "GuidancePrintable")
    for printable in GuidancePrintable.objects.filter(file_size__isnull=True).exclude(file=""):
        try:
            size = printable.file.size
        except Exception:  # noqa: BLE001, S112 - a missing file or a store's own error (S3): no size, not a failed deploy
            continue
        GuidancePrintable.objects.filter(pk=printable.pk).update(file_size=size)


class Migration(migrations.Migration):
    dependencies = [
        ("faq", "0008_guidance_audience_and_guide_steps"),
    ]

    operations = [
        migrations.AddField(
            model_name="guidanceprintable",
            name="file_size",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(sizes_from_storage, migrations.RunPython.noop),
    ]
