from django.db import migrations


def forget_child_records_references(apps, schema_editor):
    """Child records are kept out of Wagtail's reference index from now on (ChildRecord.wagtail_reference_index_ignore):
    the rows it already holds of them (each record's school and co-ordinator) go, or an organisation's edit and usage
    pages would still count the children at that school to a portal administrator."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    child_record = ContentType.objects.filter(app_label="advice_forms", model="childrecord").first()
    if child_record is not None:
        ReferenceIndex.objects.filter(base_content_type=child_record).delete()
        ReferenceIndex.objects.filter(content_type=child_record).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("advice_forms", "0028_document_type_help_text"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0096_referenceindex_referenceindex_source_object_and_more"),
    ]

    operations = [migrations.RunPython(forget_child_records_references, migrations.RunPython.noop)]
