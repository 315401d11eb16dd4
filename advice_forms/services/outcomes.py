"""Writes on outcomes: "add new" always creates, only the author edits (refused when made from a stale copy)
or deletes its own until the advice is accepted, and a caseworker deletes any with a reason. Audited, ids only."""

from django.db import transaction
from django.utils import timezone

from advice_forms.events import CaseworkEvent
from advice_forms.models import Outcome, OutcomeState
from advice_forms.services.documents import added_after_submission_notify
from advice_forms.services.moves import casework_move, request_lock
from advice_forms.workflow import Action
from cms.services import audit_record
from portal_pages.models import User


class OutcomeStale(Exception):
    """Someone saved the outcome after this copy was opened; ``outcome`` holds the newer text."""

    def __init__(self, outcome):
        super().__init__("The outcome was changed since this copy was opened.")
        self.outcome = outcome


def outcome_create(
    *,
    advice_request,
    account: User,
    team,
    need_type,
    outcome: str,
    provision: str = "",
    timescale: str = "",
    request=None,
):
    """Always a new outcome ("Add an outcome" never edits someone else's). Open until the advice is accepted; one
    added while it is being reviewed is news for the co-ordinator. Refused (NotEditable, nothing written) once it is
    accepted, though it was open when the page read it; so are an edit and a deletion by the author."""
    with transaction.atomic():
        locked = request_lock(advice_request.pk, allowing=Action.ADD_SUPPORTING)
        created = Outcome.objects.create(
            child=advice_request.child,
            advice_request=advice_request,
            author=account,
            team=team,
            need_type=need_type,
            outcome=outcome,
            provision=provision,
            timescale=timescale,
        )
        audit_record(action=CaseworkEvent.OUTCOME_ADDED, actor=account, target=created, request=request)
        if locked.is_submitted:
            added_after_submission_notify(advice_request=advice_request, key=f"outcome:{created.pk}")
    return created


def outcome_update(
    *,
    outcome,
    account: User,
    expected_version: int,
    team,
    need_type,
    outcome_text: str,
    provision: str = "",
    timescale: str = "",
    request=None,
):
    """Save the author's edit only if nobody saved since the form was opened (``expected_version``); otherwise
    raise OutcomeStale with the newer copy, so the caller can show it beside what the person typed."""
    if outcome.author_id != account.pk:
        raise PermissionError("Only the author edits an outcome.")
    with transaction.atomic():
        request_lock(outcome.advice_request_id, allowing=Action.ADD_SUPPORTING)
        # One conditional UPDATE: of two saves from the same copy, exactly one matches the version.
        changed = Outcome.objects.filter(
            pk=outcome.pk, version=expected_version, state=OutcomeState.CURRENT, author=account
        ).update(
            team=team,
            need_type=need_type,
            outcome=outcome_text,
            provision=provision,
            timescale=timescale,
            version=expected_version + 1,
            updated_at=timezone.now(),
        )
        if changed:
            audit_record(
                action=CaseworkEvent.OUTCOME_EDITED,
                actor=account,
                target=outcome,
                request=request,
                data={"version": expected_version + 1},
            )
    if not changed:
        newer = Outcome.objects.select_related("team", "need_type", "author").get(pk=outcome.pk)
        audit_record(action=CaseworkEvent.OUTCOME_STALE_EDIT_REFUSED, actor=account, target=newer, request=request)
        raise OutcomeStale(newer)
    outcome.refresh_from_db()
    return outcome


def _outcome_soft_delete(outcome, *, by, reason, request):
    casework_move(
        outcome,
        OutcomeState.DELETED,
        action=CaseworkEvent.OUTCOME_DELETED,
        actor=by,
        request=request,
        deleted_at=timezone.now(),
        deleted_by=by,
        deleted_reason=reason,
        update_fields=["state", "deleted_at", "deleted_by", "deleted_reason"],  # its words and their time stay
    )


def outcome_delete_own(*, outcome, account: User, request=None):
    """The author deletes its own outcome while the request it was written under is still open."""
    if outcome.author_id != account.pk:
        raise PermissionError("Only the author deletes its own outcome.")
    with transaction.atomic():
        request_lock(outcome.advice_request_id, allowing=Action.ADD_SUPPORTING)
        _outcome_soft_delete(outcome, by=account, reason="Deleted by its author.", request=request)
    return outcome


def outcome_delete(*, outcome, by: User, reason: str, request=None):
    """A caseworker deletes any outcome, with a reason."""
    if not reason.strip():
        raise ValueError("A reason is required.")
    with transaction.atomic():
        _outcome_soft_delete(outcome, by=by, reason=reason.strip(), request=request)
    return outcome
