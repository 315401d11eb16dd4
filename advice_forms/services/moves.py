"""Moving a request, a document, an outcome or a contact from one state to another: set, save and audit (who,
from, to) in one place. Why is casework: a caseworker's reason may name the child or their needs, so the caller
keeps it on the casework row and the audit entry names the row by id, never copying the words (the audit log is
read by roles that see no casework). And the guard of a write on what hangs on a request: its row locked, its state
asked again."""

from advice_forms import workflow
from advice_forms.events import CaseworkEvent
from advice_forms.models import AdviceRequest
from advice_forms.workflow import NotEditable
from cms.services import audit_record


def request_lock(pk, *, allowing: str | None, rows=None):
    """The state of advice request ``pk`` (an AdviceRequest holding only that, or a row of ``rows``), its row locked
    until the caller's transaction ends, if the workflow lets ``allowing`` be taken from it now (None: whatever its
    state); else NotEditable, before anything is written. A Submit, an acceptance or a return holds the same lock
    while it commits (request_transition), so a contribution, an upload or an outcome saved at that moment waits for
    it and is refused by the state it left, where the state the view read would have let it through."""
    rows = AdviceRequest.objects.only("state") if rows is None else rows
    locked = rows.select_for_update(of=("self",)).get(pk=pk)
    if allowing is not None and not workflow.state_allows(allowing, locked.state):
        raise NotEditable(locked.state)
    return locked


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
