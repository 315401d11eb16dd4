"""Audit entries written before a caseworker's reasons stayed on the casework rows: the migration keeps each reason on
its row (a return's with the version it returned, a deletion's on the deleted row) and blanks it in the entry, whose
row, id, actor, time and states stay."""

import pytest

from advice_forms.models import AdviceRequest, DocumentState, Outcome, OutcomeState, RequestState, SubmissionReturn
from advice_forms.services import documents as document_services
from cms.models import AuditEntry
from tests.factories.accounts import ProfessionalFactory, staff_in_group
from tests.factories.advice_forms import advice_request, document_types, need_type, pdf_upload, submission_make, team
from tests.migrations import leaf_nodes, migrate

BEFORE = [("advice_forms", "0021_advice_request_section_saves")]
WITH_COLUMN = [("advice_forms", "0022_submission_returns_and_audit_reasons")]  # the request's return_reason


def _request_with_versions(*states):
    """A caseworker, and a request with one submitted version a state, each leaving the request in that state."""
    caseworker = staff_in_group("SEND caseworker")
    request_ = advice_request(ProfessionalFactory(), state=RequestState.IN_PROGRESS)
    return caseworker, request_, [submission_make(request_, {}, state=state) for state in states]


@pytest.mark.django_db(transaction=True)
def test_reasons_move_to_the_casework_rows_and_leave_the_entries_blank():
    document_types()
    caseworker = staff_in_group("SEND caseworker")
    account = ProfessionalFactory()
    request_ = advice_request(account, state=RequestState.IN_PROGRESS)
    first = submission_make(request_, {}, state=RequestState.RETURNED)
    second = submission_make(request_, {}, state=RequestState.RETURNED)
    document = document_services.document_upload(
        advice_request=request_, account=account, uploaded=pdf_upload(), title="EP report", document_type="report"
    )
    outcome = Outcome.objects.create(
        child=request_.child,
        advice_request=request_,
        author=account,
        team=team(),
        need_type=need_type(),
        outcome="Reads daily",
        state=OutcomeState.DELETED,
    )
    document.state = DocumentState.DELETED
    document.save()

    def old_entry(action, target, reason):
        return AuditEntry.objects.create(
            action=action, actor=caseworker, target=target, from_state="x", to_state="y", reason=reason
        )

    returns = [
        old_entry("advice_request.returned", request_, "Jamie Tarrant's autism letter is missing"),
        old_entry("advice_request.returned", request_, "Add who leads the sessions"),
    ]
    deleted_document = old_entry("document.deleted", document, "About Jamie Tarrant's autism")
    deleted_outcome = old_entry("outcome.deleted", outcome, "Jamie Tarrant's brother's")
    account_entry = old_entry("account.dormant", account, "No sign-in for 55 days")
    before = {e.pk: (e.actor_id, e.action, e.created_at, e.target_id) for e in AuditEntry.objects.all()}

    migrate(BEFORE)
    migrate(leaf_nodes())

    kept = SubmissionReturn.objects.order_by("submission__number")
    assert [(r.submission_id, r.reason, r.returned_by_id, r.returned_at) for r in kept] == [
        (first.pk, "Jamie Tarrant's autism letter is missing", caseworker.pk, returns[0].created_at),
        (second.pk, "Add who leads the sessions", caseworker.pk, returns[1].created_at),
    ]
    document.refresh_from_db()
    outcome.refresh_from_db()
    assert (document.state_reason, outcome.deleted_reason) == (
        "About Jamie Tarrant's autism",
        "Jamie Tarrant's brother's",
    )
    after = {e.pk: (e.actor_id, e.action, e.created_at, e.target_id) for e in AuditEntry.objects.all()}
    assert after == before
    for entry in (*returns, deleted_document, deleted_outcome):
        entry.refresh_from_db()
        assert (entry.reason, entry.from_state, entry.to_state) == ("", "x", "y")
    account_entry.refresh_from_db()
    assert account_entry.reason == "No sign-in for 55 days"


@pytest.mark.django_db(transaction=True)
def test_a_request_s_last_return_reason_moves_to_its_returned_version_when_the_column_goes():
    account = ProfessionalFactory()
    logged = advice_request(account, state=RequestState.IN_PROGRESS)
    submission_make(logged, {}, state=RequestState.RETURNED)
    lost = advice_request(account, state=RequestState.IN_PROGRESS)
    submission_make(lost, {}, state=RequestState.RETURNED)
    never = advice_request(account, state=RequestState.IN_PROGRESS)
    submission_make(never, {}, state=RequestState.SUBMITTED)
    old = migrate(WITH_COLUMN)
    old_request, old_return = (
        old.get_model("advice_forms", "AdviceRequest"),
        old.get_model("advice_forms", "SubmissionReturn"),
    )
    # One request's words are kept with its version already (0022 found them in the log), the other's only on it.
    old_return.objects.create(submission_id=logged.submissions.get().pk, reason="Add who leads the sessions")
    old_request.objects.filter(pk=logged.pk).update(return_reason="Add who leads the sessions")
    old_request.objects.filter(pk=lost.pk).update(return_reason="Add the outcomes for home")

    migrate(leaf_nodes())

    assert [(r.submission.request_id, r.reason) for r in SubmissionReturn.objects.order_by("pk")] == [
        (logged.pk, "Add who leads the sessions"),
        (lost.pk, "Add the outcomes for home"),
    ]
    reasons = {r.pk: r.return_reason for r in AdviceRequest.objects.filter(pk__in=[logged.pk, lost.pk, never.pk])}
    assert reasons == {logged.pk: "Add who leads the sessions", lost.pk: "Add the outcomes for home", never.pk: ""}


@pytest.mark.django_db(transaction=True)
def test_going_back_puts_each_reason_back_in_the_entry_that_held_it():
    caseworker, request_, (first, second) = _request_with_versions(RequestState.RETURNED, RequestState.RETURNED)
    entries = [
        AuditEntry.objects.create(action="advice_request.returned", actor=caseworker, target=request_) for _ in range(2)
    ]
    SubmissionReturn.objects.create(submission=first, reason="Add the reading plan")
    SubmissionReturn.objects.create(submission=second, reason="Add who leads the sessions")

    migrate(BEFORE)
    try:
        assert [AuditEntry.objects.get(pk=e.pk).reason for e in entries] == [
            "Add the reading plan",
            "Add who leads the sessions",
        ]
    finally:
        migrate(leaf_nodes())
    assert [r.reason for r in SubmissionReturn.objects.order_by("submission__number")] == [
        "Add the reading plan",
        "Add who leads the sessions",
    ]


@pytest.mark.django_db(transaction=True)
def test_a_reason_found_only_on_the_column_never_lands_on_the_version_under_review():
    caseworker, resubmitted, (returned_version, _) = _request_with_versions(
        RequestState.RETURNED, RequestState.SUBMITTED
    )
    old = migrate(WITH_COLUMN)
    old.get_model("advice_forms", "AdviceRequest").objects.filter(pk=resubmitted.pk).update(
        return_reason="Add the outcomes for home"
    )

    migrate(leaf_nodes())

    [kept] = SubmissionReturn.objects.all()
    assert (kept.submission_id, kept.reason) == (returned_version.pk, "Add the outcomes for home")
    # The version under review can still be returned.
    from advice_forms.services.requests import submission_return

    submission_return(advice_request=AdviceRequest.objects.get(pk=resubmitted.pk), actor=caseworker, reason="More")
    assert AdviceRequest.objects.get(pk=resubmitted.pk).return_reason == "More"


@pytest.mark.django_db(transaction=True)
def test_a_return_made_from_the_column_alone_takes_its_time_and_caseworker_from_its_entry():
    caseworker, request_, (first, second) = _request_with_versions(RequestState.RETURNED, RequestState.RETURNED)
    entries = [
        AuditEntry.objects.create(action="advice_request.returned", actor=caseworker, target=request_) for _ in range(2)
    ]
    AuditEntry.objects.filter(pk=entries[0].pk).update(created_at=entries[0].created_at.replace(year=2024))
    AuditEntry.objects.filter(pk=entries[1].pk).update(created_at=entries[1].created_at.replace(year=2025))
    other = staff_in_group("SEND caseworker")
    # As 0023 left them: one row with nobody and the migration's time, one made by a return.
    made_by_0023 = SubmissionReturn.objects.create(submission=first, reason="Add the reading plan")
    returned = SubmissionReturn.objects.create(
        submission=second, reason="Add who leads the sessions", returned_by=other
    )
    migrate([("advice_forms", "0023_return_reason_from_returns")])

    migrate(leaf_nodes())

    made_by_0023.refresh_from_db()
    assert (made_by_0023.returned_at, made_by_0023.returned_by) == (
        AuditEntry.objects.get(pk=entries[0].pk).created_at,
        caseworker,
    )
    assert SubmissionReturn.objects.get(pk=returned.pk).returned_at == returned.returned_at
    assert SubmissionReturn.objects.get(pk=returned.pk).returned_by == other
