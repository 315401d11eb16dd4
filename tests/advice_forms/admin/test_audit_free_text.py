"""What a caseworker or a professional types about a child (a document's title, a reason for a return or a
deletion) never reaches an audit entry or Wagtail's own log where a role that sees no casework reads it: audit
entries keep who, what kind, when and ids, and the words stay on the casework rows, shown to caseworkers."""

import json
import re

import pytest
from django.urls import reverse
from django.utils.html import escape
from wagtail.models import ModelLogEntry

from advice_forms.models import ChildRecord, DocumentState, OutcomeState, RequestState
from advice_forms.selectors import submission_history
from advice_forms.services import documents as document_services
from advice_forms.services import outcomes as outcome_services
from cms.models import AuditEntry
from tests.factories.accounts import verified_login
from tests.factories.advice_forms import (
    AdviceRequestFactory,
    ChildRecordFactory,
    document_types,
    need_type,
    pdf_upload,
    submission_make,
    team,
)

pytestmark = pytest.mark.django_db

NAME, DIAGNOSIS = "Jamie Tarrant", "autism spectrum disorder"


def _assert_no_log_holds_the_words():
    rows = list(AuditEntry.objects.values()) + list(ModelLogEntry.objects.values())
    for row in rows:
        stored = json.dumps(row, default=str).lower()
        assert NAME.lower() not in stored and DIAGNOSIS not in stored, row


def _assert_hidden_from(client, user):
    """The audit log (its list, each entry, a search for the words) and Wagtail's site history, as ``user``."""
    verified_login(client, user)
    for words in ("Tarrant", "autism"):
        found = client.get("/admin/audit_log/", {"q": words}).content.decode()
        assert re.findall(r"/admin/audit_log/inspect/\d+/", found) == [], words
    urls = ["/admin/audit_log/", "/admin/reports/site-history/"]
    urls += [f"/admin/audit_log/inspect/{pk}/" for pk in AuditEntry.objects.values_list("pk", flat=True)]
    for url in urls:
        response = client.get(url)
        page = response.content.decode().lower()
        assert response.status_code == 200, url
        assert NAME.lower() not in page and DIAGNOSIS not in page, url


def _child():
    return ChildRecordFactory(first_name="Jamie", last_name="Tarrant")


def test_a_return_keeps_its_reason_with_the_version_and_only_ids_in_the_audit_log(
    caseworker_client, caseworker, administrator, ersa
):
    advice_request = AdviceRequestFactory(form_version=ersa, child=_child())
    first = submission_make(advice_request, {"needs": {"needs": "Reading"}})
    reason = f"Add the diagnosis letter: {NAME} has an {DIAGNOSIS} diagnosis."
    url = reverse("review_queue:return", args=[advice_request.pk])

    assert caseworker_client.post(url, {"reason": reason, "submission": first.number}).status_code == 302
    second = submission_make(advice_request, {"needs": {"needs": "Reading, daily"}})
    assert (
        caseworker_client.post(url, {"reason": "Add who leads the sessions.", "submission": second.number}).status_code
        == 302
    )

    _assert_no_log_holds_the_words()
    entries = AuditEntry.objects.filter(action="advice_request.returned").order_by("pk")
    assert [(e.actor, e.from_state, e.to_state, e.data) for e in entries] == [
        (caseworker, RequestState.SUBMITTED, RequestState.RETURNED, {"submission": first.pk}),
        (caseworker, RequestState.SUBMITTED, RequestState.RETURNED, {"submission": second.pk}),
    ]
    # Each return's words are kept with the version it returned, for the caseworker and the account to read.
    assert [row["reason"] for row in submission_history(advice_request)] == ["Add who leads the sessions.", reason]
    _assert_hidden_from(caseworker_client, administrator)


def test_a_deleted_documents_title_and_reason_stay_on_the_document(client, caseworker, administrator, professional):
    document_types()
    advice_request = AdviceRequestFactory(account=professional, child=_child(), state=RequestState.IN_PROGRESS)
    document = document_services.document_upload(
        advice_request=advice_request,
        account=professional,
        uploaded=pdf_upload(),
        title=f"EP report - {NAME} ({DIAGNOSIS})",
        document_type="report",
    )
    reason = f"Filed on the wrong record: it is about {NAME}'s {DIAGNOSIS} assessment."
    admin = verified_login(client, caseworker)
    child_id = advice_request.child_id
    response = admin.post(
        f"/admin/casework/child-records/{child_id}/documents/{document.pk}/delete/", {"reason": reason}
    )

    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.state, document.state_reason) == (DocumentState.DELETED, reason)
    entry = AuditEntry.objects.get(action="document.deleted")
    assert (entry.actor, entry.target_id, entry.to_state) == (caseworker, str(document.pk), DocumentState.DELETED)
    assert AuditEntry.objects.filter(action="document.uploaded", target_id=str(document.pk)).exists()
    _assert_no_log_holds_the_words()
    # The caseworker's history of the child's documents still says why.
    assert escape(reason) in admin.get(f"/admin/casework/child-records/{child_id}/documents/").content.decode()
    _assert_hidden_from(client, administrator)


def test_a_deleted_outcomes_reason_stays_on_the_outcome(client, caseworker, administrator, professional):
    advice_request = AdviceRequestFactory(account=professional, child=_child(), state=RequestState.IN_PROGRESS)
    outcome = outcome_services.outcome_create(
        advice_request=advice_request, account=professional, team=team(), need_type=need_type(), outcome="Reads daily"
    )
    reason = f"Written for {NAME}'s brother, whose {DIAGNOSIS} is not this record's."
    admin = verified_login(client, caseworker)
    child_id = advice_request.child_id
    response = admin.post(f"/admin/casework/child-records/{child_id}/outcomes/{outcome.pk}/delete/", {"reason": reason})

    assert response.status_code == 302
    outcome.refresh_from_db()
    assert (outcome.state, outcome.deleted_reason) == (OutcomeState.DELETED, reason)
    entry = AuditEntry.objects.get(action="outcome.deleted")
    assert (entry.actor, entry.target_id, entry.reason) == (caseworker, str(outcome.pk), "")
    _assert_no_log_holds_the_words()
    assert escape(reason) in admin.get(f"/admin/casework/child-records/{child_id}/outcomes/").content.decode()
    _assert_hidden_from(client, administrator)


def test_wagtails_site_history_names_a_new_child_record_by_its_id_to_every_role(
    client, caseworker, administrator, content_editor, form_designer
):
    verified_login(client, caseworker)
    response = client.post(
        reverse("child_records:add"),
        {"first_name": "Jamie", "last_name": "Tarrant", "date_of_birth": "2015-06-01", "status": "requested"}
        | {"coordinator": caseworker.pk, "address": "", "parent_carer_name": "", "parent_carer_contact": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    child = ChildRecord.objects.get()
    # Wagtail's log labels it by kind and id, not by its str() (the child's name): cms.models.log_entry_label_by_id.
    assert ModelLogEntry.objects.get(object_id=str(child.pk)).label == f"Child record {child.pk}"
    client.get(response.url)  # its "Child record '…' created." message is shown there, to the caseworker

    for user in (caseworker, administrator, content_editor, form_designer):
        verified_login(client, user)
        page = client.get("/admin/reports/site-history/").content.decode()
        assert NAME not in page and "Tarrant" not in page, user
