"""Audit entries name an authenticator device by its kind and id, no longer by the name its owner typed ("Jane's
phone"). Entries written before then lose the name and gain the kind, read from the id (django-otp's persistent id,
"<app label>.<model>/<pk>"); their other data, actor, time and states stay.

The reverse does nothing: the code before this reads no name back from an entry, and a name could be put back only
for a device that still exists and only as it is named now, not as it was when the entry was written. The kind stays
in the entries, where that code never looks."""

from django.db import migrations

# portal_pages.otp.DeviceKind's values when this migration was written, by the model each device is a row of.
KINDS = {"otp_totp.totpdevice": "authenticator", "otp_static.staticdevice": "backup_codes"}


def device_names_to_kinds(apps, schema_editor):
    AuditEntry = apps.get_model("cms", "AuditEntry")
    for entry in AuditEntry.objects.filter(action__startswith="account.", data__has_key="device").iterator():
        data = {key: value for key, value in entry.data.items() if key != "device"}
        kind = KINDS.get(str(data.get("device_id", "")).rsplit("/", 1)[0])
        if kind:
            data = {"device_kind": kind, **data}
        entry.data = data
        entry.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("portal_pages", "0014_join_refusal_reasons_off_the_audit_log"),
        ("cms", "0008_guidance_links_and_subheadings"),
    ]

    operations = [
        migrations.RunPython(device_names_to_kinds, migrations.RunPython.noop),
    ]
