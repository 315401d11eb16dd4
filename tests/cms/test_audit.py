from cms.models import AuditEntry
from cms.services import audit_record


def test_audit_record_stores_who_what_target_states_and_ip(rf, superuser, home_page):
    request = rf.get("/", REMOTE_ADDR="192.0.2.10")

    entry = audit_record(
        action="page.reviewed",
        actor=superuser,
        target=home_page,
        from_state="draft",
        to_state="live",
        reason="Checked",
        request=request,
    )

    entry = AuditEntry.objects.get(pk=entry.pk)
    assert (entry.actor, entry.target, entry.from_state, entry.to_state) == (superuser, home_page, "draft", "live")
    assert entry.ip_address == "192.0.2.10"
    assert entry.reason == "Checked"


def test_anonymous_actor_is_stored_as_none(rf, db):
    from django.contrib.auth.models import AnonymousUser

    entry = audit_record(action="signin.failed", actor=AnonymousUser())

    assert entry.actor is None
