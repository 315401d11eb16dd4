"""Moving a request, a document, an outcome or a contact from one state to another: set, save and audit (who,
from, to, why) in one place."""

from advice_forms.events import CaseworkEvent
from cms.services import audit_record


def casework_move(
    target,
    to_state: str,
    *,
    action: CaseworkEvent,
    actor,
    reason: str = "",
    request=None,
    data: dict | None = None,
    update_fields=None,
    **values,
) -> None:
    """Move ``target`` to ``to_state`` with ``values`` set on it, save it (only ``update_fields``, when given) and
    audit the move from the state it had. Call it inside the caller's transaction."""
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
        reason=reason,
        request=request,
        data=data,
    )
