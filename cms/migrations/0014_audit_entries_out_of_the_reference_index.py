from django.db import migrations


def forget_audit_entries_references(apps, schema_editor):
    """Audit entries are kept out of Wagtail's reference index from now on (AuditEntry.wagtail_reference_index_ignore):
    the rows it already holds of them (each entry's actor and target) go, or the Usage pages of child records and
    accounts would go on listing them, one query each."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    audit_entry = ContentType.objects.filter(app_label="cms", model="auditentry").first()
    if audit_entry is not None:
        ReferenceIndex.objects.filter(base_content_type=audit_entry).delete()
        ReferenceIndex.objects.filter(content_type=audit_entry).delete()
        ReferenceIndex.objects.filter(to_content_type=audit_entry).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0013_document_accessibility_and_settings_characters"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0096_referenceindex_referenceindex_source_object_and_more"),
    ]

    operations = [migrations.RunPython(forget_audit_entries_references, migrations.RunPython.noop)]
