"""Writes shared by every app."""

from cms.models import AuditEntry


def client_ip(request):
    """The client's address as the first trusted hop saw it; REMOTE_ADDR unless a proxy is configured."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    action: str,
    actor=None,
    target=None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    request=None,
    data: dict | None = None,
) -> AuditEntry:
    """Write one audit entry. Callers pass ids and states, never special-category data or secrets."""
    actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    entry = AuditEntry(
        action=action,
        actor=actor,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        ip_address=client_ip(request),
        data=data or {},
    )
    if target is not None:
        entry.target = target
    entry.save()
    return entry
