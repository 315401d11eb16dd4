"""Moving a request, a document, an outcome or a contact from one state to another: set, save and audit (who,
from, to) in one place. Why is casework: a caseworker's reason may name the child or their needs, so the caller
keeps it on the casework row and the audit entry names the row by id, never copying the words (the audit log is
read by roles that see no casework)."""

from advice_forms.events import CaseworkEvent
from cms.services import audit_record


def casework_move(
    target,
    to_state: str,
    *,
    action: CaseworkEvent,
    actor,
    request=None,
    data: dict | None = None,
    update_fields=None,
    **values,
) -> None:
    """Move ``target`` to ``to_state`` with ``values`` set on it, save it (only ``update_fields``, when given) and
    audit the move from the state it had. Call it inside the caller's transaction. A reason belongs in ``values``
    (a field of the row), never in ``data``."""
    from_state = target.state
    target.state = to_state
    for name, value in values.items():
        setattr(target, name, value)
    target.save(update_fields=update_fields)
    audit_record(
        action=action,
        actor=actor,
        target=target,
        from_state=from_state,
        to_state=to_state,
        request=request,
        data=data,
    )
