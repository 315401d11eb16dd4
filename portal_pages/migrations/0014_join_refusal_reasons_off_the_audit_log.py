"""A portal administrator's reason for refusing a request to join is kept on the request (JoinRequest.reason), where
the person's email was written from; the audit entry of the refusal records who, when and the states, not the words.
Entries written before then held a copy: each is blanked once its request holds the same words (they are copied to
the request first if it has none). An entry whose request is gone (its account was deleted) or holds other words
keeps its own, the only copy of them. Back: each refusal's entry gets its request's reason again."""

from django.db import migrations

JOIN_REFUSED = "account.join_refused"


def _refusals(apps):
    AuditEntry = apps.get_model("cms", "AuditEntry")
    return AuditEntry.objects.filter(
        action=JOIN_REFUSED, target_type__app_label="portal_pages", target_type__model="user"
    )


def _join_request(apps, entry):
    JoinRequest = apps.get_model("portal_pages", "JoinRequest")
    return JoinRequest.objects.filter(account_id=int(entry.target_id)).first() if entry.target_id.isdigit() else None


def reasons_to_join_requests(apps, schema_editor):
    for entry in _refusals(apps).exclude(reason="").iterator():
        join = _join_request(apps, entry)
        if join is None:
            continue
        if not join.reason.strip():
            join.reason = entry.reason
            join.save(update_fields=["reason"])
        if join.reason == entry.reason:
            entry.reason = ""
            entry.save(update_fields=["reason"])


def reasons_to_audit_entries(apps, schema_editor):
    for entry in _refusals(apps).filter(reason="").iterator():
        join = _join_request(apps, entry)
        if join is not None and join.reason:
            entry.reason = join.reason
            entry.save(update_fields=["reason"])


class Migration(migrations.Migration):
    dependencies = [
        ("portal_pages", "0013_inbox_links_not_requests"),
        ("cms", "0008_guidance_links_and_subheadings"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(reasons_to_join_requests, reasons_to_audit_entries),
    ]
