"""A contribution, an upload or an outcome saved while the same request's Submit (or its acceptance) commits. The page
read the request open; the write then went to a request just submitted or accepted. Each such write now takes the
request's row lock and asks its state again: refused with the words the page gives for a closed request, nothing
stored, never a server error."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from advice_forms.models import AdviceRequest, Contribution, Document, DocumentState, Outcome, OutcomeState
from advice_forms.portal import documents as document_views
from advice_forms.portal.documents import UPLOAD_REFUSED, WITHDRAW_REFUSED
from advice_forms.portal.involvement import CONTRIBUTION_REFUSED
from advice_forms.portal.outcomes import NOT_EDITABLE
from advice_forms.services import involvement, outcomes
from advice_forms.services.documents import document_upload, document_withdraw
from advice_forms.workflow import NotEditable, RequestState
from cms.models import AuditEntry
from tests.advice_forms.portal.test_documents import _stored_files
from tests.factories.advice_forms import ChildRecordFactory, advice_request, document_types, pdf_bytes, pdf_upload

SUBMITTED, ACCEPTED = RequestState.SUBMITTED, RequestState.ACCEPTED

CONTRIBUTION = {
    "contribution_methods": ["meeting"],
    "communication_methods": ["parent_portal"],
    "interpreter_needed": "no",
    "parent_views": "Written while the form was being submitted.",
}


def _request(professional, state):
    document_types()
    return advice_request(professional, child=ChildRecordFactory(), state=state)


def _moved_first(monkeypatch, module, name, request_, state):
    """Call ``module.name`` only after the request has moved to ``state`` in the database: the view has read it open,
    and the Submit (or acceptance) commits before its write."""
    real = getattr(module, name)

    def moved_then_called(**kwargs):
        AdviceRequest.objects.filter(pk=request_.pk).update(state=state)
        return real(**kwargs)

    monkeypatch.setattr(module, name, moved_then_called)


def _outcome(professional, request_, terms):
    return outcomes.outcome_create(
        advice_request=request_, account=professional, team=terms["slt"], need_type=terms["comms"], outcome="Kept"
    )


def _outcome_post(terms, text):
    return {"team": terms["slt"].pk, "need_type": terms["comms"].pk, "outcome": text, "version": "1"}


def _refused(response, message):
    assert response.status_code == 200 and response.redirect_chain, response.status_code
    assert message in response.content.decode()


@pytest.mark.django_db
def test_a_contribution_saved_as_the_request_is_submitted_is_refused_and_nothing_stored(
    verified_client, professional, monkeypatch
):
    request_ = _request(professional, RequestState.IN_PROGRESS)
    _moved_first(monkeypatch, involvement, "contribution_save", request_, SUBMITTED)

    response = verified_client.post(f"/portal/requests/{request_.pk}/contribution/", CONTRIBUTION, follow=True)

    _refused(response, CONTRIBUTION_REFUSED)
    assert not Contribution.objects.exists()
    assert not AuditEntry.objects.filter(action="contribution.saved").exists()


@pytest.mark.django_db
def test_an_upload_as_the_advice_is_accepted_is_refused_and_nothing_filed(verified_client, professional, monkeypatch):
    request_ = _request(professional, SUBMITTED)
    files_before = _stored_files()
    _moved_first(monkeypatch, document_views, "document_upload", request_, ACCEPTED)

    upload = SimpleUploadedFile("report.pdf", pdf_bytes(), content_type="application/pdf")
    response = verified_client.post(
        f"/portal/requests/{request_.pk}/documents/",
        {"title": "Speech therapy report", "document_type": "report", "file": upload},
        follow=True,
    )

    _refused(response, UPLOAD_REFUSED)
    assert not Document.objects.exists()
    assert _stored_files() == files_before
    assert not AuditEntry.objects.filter(action="document.uploaded").exists()


@pytest.mark.django_db
def test_a_withdrawal_as_the_request_is_submitted_is_refused_and_the_document_kept(
    verified_client, professional, monkeypatch
):
    request_ = _request(professional, RequestState.IN_PROGRESS)
    document = document_upload(
        advice_request=request_,
        account=professional,
        uploaded=SimpleUploadedFile("report.pdf", pdf_bytes()),
        title="Speech therapy report",
        document_type="report",
    )
    _moved_first(monkeypatch, document_views, "document_withdraw", request_, SUBMITTED)

    response = verified_client.post(f"/portal/requests/{request_.pk}/documents/{document.pk}/withdraw/", follow=True)

    _refused(response, WITHDRAW_REFUSED)
    document.refresh_from_db()
    assert document.state == DocumentState.CURRENT
    assert not AuditEntry.objects.filter(action="document.withdrawn").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("write", ["add", "edit", "delete"])
def test_an_outcome_written_as_the_advice_is_accepted_is_refused_and_nothing_stored(
    verified_client, professional, terms, monkeypatch, write
):
    request_ = _request(professional, SUBMITTED)
    kept = _outcome(professional, request_, terms)
    before = list(Outcome.objects.values())
    audited = AuditEntry.objects.count()
    service, url = {
        "add": ("outcome_create", "outcomes/new/"),
        "edit": ("outcome_update", f"outcomes/{kept.pk}/"),
        "delete": ("outcome_delete_own", f"outcomes/{kept.pk}/delete/"),
    }[write]
    _moved_first(monkeypatch, outcomes, service, request_, ACCEPTED)

    response = verified_client.post(
        f"/portal/requests/{request_.pk}/{url}", _outcome_post(terms, "Written as it was accepted"), follow=True
    )

    _refused(response, NOT_EDITABLE)
    assert list(Outcome.objects.values()) == before
    assert Outcome.objects.get().state == OutcomeState.CURRENT
    assert AuditEntry.objects.count() == audited


# The interleaving itself, on PostgreSQL: the Submit (or acceptance) holds the request's row, its new state not yet
# committed, while the write comes in with the request as the page read it. The write must wait for the row and be
# refused by the state it then finds; without the lock it reads the old state and writes.


def _contribution(request_, professional, terms):
    involvement.contribution_save(advice_request=request_, account=professional, data=CONTRIBUTION)


def _upload(request_, professional, terms):
    uploaded = SimpleUploadedFile("report.pdf", pdf_bytes())
    document_upload(advice_request=request_, account=professional, uploaded=uploaded, title="T", document_type="report")


def _add_outcome(request_, professional, terms):
    _outcome(professional, request_, terms)


INTERLEAVED = {
    "contribution": (_contribution, RequestState.IN_PROGRESS, SUBMITTED, Contribution),
    "upload": (_upload, SUBMITTED, ACCEPTED, Document),
    "outcome": (_add_outcome, SUBMITTED, ACCEPTED, Outcome),
}


def _waiting_for_a_row_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype IN ('transactionid', 'tuple')")
        return cursor.fetchone()[0] > 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite takes one writer at a time and has no FOR UPDATE")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("write", INTERLEAVED)
def test_a_write_that_meets_a_submit_committing_waits_for_it_and_is_refused(professional, terms, write):
    call, opened_in, moved_to, model = INTERLEAVED[write]
    request_ = _request(professional, opened_in)
    as_read = AdviceRequest.objects.select_related("child").get(pk=request_.pk)  # the view's copy, open
    outcome = {}

    def written():
        try:
            call(as_read, professional, terms)
            outcome["result"] = "written"
        except NotEditable:
            outcome["result"] = "refused"
        except Exception as error:  # shown by the assert below
            outcome["result"] = error
        finally:
            connection.close()

    writer = threading.Thread(target=written)
    with transaction.atomic():
        # As request_transition does for a Submit or an acceptance: lock the row, move it, commit at the end.
        AdviceRequest.objects.select_for_update().get(pk=request_.pk)
        AdviceRequest.objects.filter(pk=request_.pk).update(state=moved_to)
        writer.start()
        for _ in range(2000):  # until the write waits for this row, or has finished without waiting
            if not writer.is_alive() or _waiting_for_a_row_lock():
                break
            writer.join(timeout=0.01)
    writer.join(timeout=60)

    assert outcome.get("result") == "refused", outcome
    assert not model.objects.exists()


@pytest.mark.django_db
def test_a_withdrawal_locks_its_request_once(professional):
    """It locked the request, then locked it again to move the document: two round trips, and a second lock taken
    while the first was held."""
    request_ = _request(professional, RequestState.IN_PROGRESS)
    document = document_upload(
        advice_request=request_, account=professional, uploaded=pdf_upload(), title="Report", document_type="report"
    )

    with CaptureQueriesContext(connection) as queries:
        document_withdraw(document=document, account=professional)

    reads = [
        q["sql"] for q in queries if q["sql"].startswith("SELECT") and 'FROM "advice_forms_advicerequest"' in q["sql"]
    ]
    assert len(reads) == 1, reads
    document.refresh_from_db()
    assert document.state == DocumentState.WITHDRAWN
