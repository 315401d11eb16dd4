"""A child record's History tab shows what happened to the record and to the child's requests, read from where each
fact is kept (Wagtail's log for the record's edits, the audit log for casework, a return's reason on the return), and
names the child nowhere but in the words a caseworker wrote."""

import datetime

from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from filer.models import File
from wagtail.log_actions import log

from advice_forms.admin.history import child_record_history
from advice_forms.events import CaseworkEvent
from advice_forms.form_builder import FormBuilder
from advice_forms.models import Document
from advice_forms.services.access_requests import access_request_refuse, document_access_request
from advice_forms.services.documents import document_delete
from advice_forms.services.due_dates import advice_request_due_date_change
from advice_forms.services.involvement import contact_create, contact_remove, contribution_save
from advice_forms.services.outcomes import outcome_create
from advice_forms.services.requests import advice_request_share, submission_return
from cms.models import AuditEntry
from cms.services import audit_record
from tests.factories.accounts import ProfessionalFactory
from tests.factories.advice_forms import ChildRecordFactory, advice_request, need_type, submission_make, team

FIRST, LAST = "Zephyrine", "Quillbrook"


def _rows(response):
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    return [[cell.get_text(" ", strip=True) for cell in row.select("td")] for row in page.select("tbody tr")]


def test_the_history_tab_shows_sharing_a_due_date_change_and_a_return_without_naming_the_child(
    caseworker_client, caseworker, ersa, team_account
):
    """The tab read Wagtail's log alone, which holds only the record's own edits: a caseworker found there nothing of
    the forms shared about the child, their due dates or their returns, though each is audited."""
    child = ChildRecordFactory(first_name=FIRST, last_name=LAST)
    log(instance=child, action="wagtail.edit", user=caseworker)
    shared = advice_request_share(
        child=child,
        form_version=ersa,
        account=team_account,
        shared_by=caseworker,
        due_date=datetime.date(2027, 2, 1),
        shows_child_name=False,
    )
    advice_request_due_date_change(advice_request=shared, due_date=datetime.date(2027, 2, 15), actor=caseworker)
    submission_make(shared, {"school": {"school_name": "Oakfield"}})
    submission_return(advice_request=shared, actor=caseworker, reason=f"{FIRST}'s needs are not described")
    other_child = ChildRecordFactory()
    advice_request_share(child=other_child, form_version=ersa, account=team_account, shared_by=caseworker)
    caseworker_client.get(reverse("child_records:inspect", args=[child.pk]))  # a view, left to the audit log

    response = caseworker_client.get(reverse("child_records:history", args=[child.pk]))

    marker, who = f"Test ERSA – request {shared.pk}", caseworker.person_name
    rows = [row[:4] for row in _rows(response)]
    assert rows == [
        [
            "Advice returned for more information",
            marker,
            f"State: Submitted, now Returned for more information. What is needed: {FIRST}'s needs are not described",
            who,
        ],
        ["Due date of a request changed", marker, "Due 1 February 2027, now 15 February 2027", who],
        ["Request shared with a team account", marker, "State now: To do", who],
        ["Edited", "This child record", "", who],
    ]
    assert AuditEntry.objects.filter(action="child_record.viewed", target_id=str(child.pk)).exists()
    page = BeautifulSoup(response.content, "html.parser")
    # The return's words, which the caseworker wrote, are the table's only words about the child
    table = page.select_one("table").get_text().replace(f"{FIRST}'s needs are not described", "")
    for words in (page.title.get_text(), table):
        assert FIRST not in words and LAST not in words, words
    assert f"{FIRST} {LAST}" in page.h1.get_text()  # whose record it is, in the heading only


def _document(child, account, advice_request_=None):
    return Document.objects.create(
        child=child,
        advice_request=advice_request_,
        title=f"{FIRST} {LAST} speech and language report",
        file=File.objects.create(original_filename="report.pdf", owner=account),
        uploaded_by=account,
    )


def _casework_of(account, caseworker, child=None):
    """A request on ``child`` with a document filed and deleted, an outcome, a contact added and removed and a
    contribution saved, each audited by its own service; a document the SEND service filed with no request."""
    ar = advice_request(account, child=child or ChildRecordFactory(first_name=FIRST, last_name=LAST))
    document = _document(ar.child, account, ar)
    audit_record(action=CaseworkEvent.DOCUMENT_UPLOADED, actor=account, target=document)
    document_delete(document=document, by=caseworker, reason=f"{FIRST}'s report was for another child")
    outcome = outcome_create(
        advice_request=ar, account=account, team=team(), need_type=need_type(), outcome=f"{FIRST} reads daily"
    )
    contact = contact_create(
        advice_request=ar, account=account, data={"name": "Dr Rivers", "role": "Paediatrician", "team": outcome.team}
    )
    contact_remove(contact=contact, by=account)
    contribution = contribution_save(advice_request=ar, account=account, data={"parent_views": f"{FIRST} is happy"})
    filed = _document(ar.child, caseworker)
    audit_record(action=CaseworkEvent.DOCUMENT_UPLOADED, actor=caseworker, target=filed)
    audit_record(action=CaseworkEvent.DOCUMENT_DOWNLOADED, actor=caseworker, target=filed)  # a read: left out
    return ar, document, outcome, contact, contribution, filed


def test_the_history_tab_shows_the_childs_documents_outcomes_contacts_and_contribution_by_their_ids(
    caseworker_client, caseworker, team_account
):
    """The tab read the audit entries about the record and its requests only: a document deleted, an outcome added
    or a contact removed was audited but left out of the child's history."""
    ar, document, outcome, contact, contribution, filed = _casework_of(team_account, caseworker)
    _casework_of(team_account, caseworker)  # another child's: not shown

    response = caseworker_client.get(reverse("child_records:history", args=[ar.child.pk]))

    marker, senco, who = f"{ar.form_version.title} – request {ar.pk}", str(team_account), caseworker.person_name
    assert [row[:4] for row in _rows(response)] == [
        ["Document uploaded", f"Document {filed.pk}", "", who],
        ["Contribution and communication method saved", f"Contribution {contribution.pk}, {marker}", "", senco],
        [
            "Professional contact removed",
            f"Professional contact {contact.pk}, {marker}",
            "State: Current, now Removed",
            senco,
        ],
        ["Professional contact added", f"Professional contact {contact.pk}, {marker}", "", senco],
        ["Outcome added", f"Outcome {outcome.pk}, {marker}", "", senco],
        [
            "Document deleted by a caseworker",
            f"Document {document.pk}, {marker}",
            "State: Current, now Deleted by a caseworker",
            who,
        ],
        ["Document uploaded", f"Document {document.pk}, {marker}", "", senco],
    ]
    table = BeautifulSoup(response.content, "html.parser").select_one("table").get_text()
    for words in (FIRST, LAST, "report", "Dr Rivers"):
        assert words not in table, words


def test_the_history_reads_in_the_same_number_of_queries_however_much_happened(caseworker, team_account):
    ar = _casework_of(team_account, caseworker)[0]
    with CaptureQueriesContext(connection) as few:
        assert len(child_record_history(ar.child)) == 7

    for _ in range(3):
        _casework_of(team_account, caseworker, child=ar.child)

    with CaptureQueriesContext(connection) as many:
        assert len(child_record_history(ar.child)) == 28
    assert len(many) == len(few), [query["sql"] for query in many]


def test_each_return_on_the_history_shows_what_was_asked_for_read_from_the_return_not_the_audit_log(
    caseworker_client, caseworker, ersa, team_account
):
    """The history said a request was returned but not why: the caseworker went to each review page to find it."""
    child = ChildRecordFactory(first_name=FIRST, last_name=LAST)
    shared = advice_request_share(child=child, form_version=ersa, account=team_account, shared_by=caseworker)
    submission_make(shared, {"school": {"school_name": "Oakfield"}})
    submission_return(advice_request=shared, actor=caseworker, reason="Add the speech therapist's report")
    submission_make(shared, {"school": {"school_name": "Oakfield Primary"}})
    submission_return(advice_request=shared, actor=caseworker, reason="Say who leads the sessions")

    rows = _rows(caseworker_client.get(reverse("child_records:history", args=[child.pk])))

    returned = "State: Submitted, now Returned for more information. What is needed: "
    assert [row[2] for row in rows if row[0] == "Advice returned for more information"] == [
        returned + "Say who leads the sessions",
        returned + "Add the speech therapist's report",
    ]
    for entry in AuditEntry.objects.filter(action=CaseworkEvent.REQUEST_RETURNED):
        assert entry.reason == "" and set(entry.data) == {"submission"}, (entry.reason, entry.data)


def test_the_child_records_page_links_its_history_in_the_page_and_in_its_actions_menu(caseworker_client):
    """The history was linked only from the Edit page's side panel, where no caseworker looked for it."""
    child = ChildRecordFactory()
    history = reverse("child_records:history", args=[child.pk])

    page = BeautifulSoup(
        caseworker_client.get(reverse("child_records:inspect", args=[child.pk])).content, "html.parser"
    )

    links = [link.get_text(strip=True) for link in page.select(f"a[href='{history}']")]
    assert "View history" in links  # on the page, beside Edit the record
    assert "History" in links  # in the header's actions menu, beside Edit and Delete
    assert caseworker_client.get(history).status_code == 200


def test_a_return_naming_sections_shows_them_on_the_history_after_its_reason(
    caseworker_client, caseworker, ersa, team_account
):
    """The review page named the sections a return asked to change, but the child's history gave the reason alone."""
    child = ChildRecordFactory(first_name=FIRST, last_name=LAST)
    shared = advice_request_share(child=child, form_version=ersa, account=team_account, shared_by=caseworker)
    submission_make(shared, {"school": {"school_name": "Oakfield"}})
    title = next(section.title for section in FormBuilder.for_version(ersa).sections() if section.key == "school")
    submission_return(advice_request=shared, actor=caseworker, reason="Add the report", sections=["school"])

    rows = _rows(caseworker_client.get(reverse("child_records:history", args=[child.pk])))

    assert [row[2] for row in rows if row[0] == "Advice returned for more information"] == [
        "State: Submitted, now Returned for more information. What is needed: Add the report. "
        f"Sections to change: {title}"
    ]


def _submitted_and_filed(advice_request_, caseworker, *, accept=False):
    """A version of ``advice_request_``'s advice submitted (audited as submit audits it) with its PDF filed among the
    child's documents, and accepted when ``accept``."""
    from advice_forms.services.documents import document_submission_file
    from advice_forms.services.requests import submission_accept

    submission = submission_make(advice_request_, {"school": {"school_name": "Oakfield"}})
    audit_record(
        action=CaseworkEvent.REQUEST_SUBMITTED,
        actor=advice_request_.account,
        target=advice_request_,
        data={"submission": submission.pk, "number": submission.number},
    )
    filed = File.objects.create(original_filename=f"{submission.reference}.pdf", owner=advice_request_.account)
    document = document_submission_file(submission=submission, filed=filed, size=2048)
    if accept:
        submission_accept(advice_request=advice_request_, actor=caseworker)
    return submission, document


def test_submitted_and_accepted_advice_and_its_filed_pdf_are_named_with_the_submissions_reference(
    caseworker_client, caseworker, ersa, team_account
):
    """The history named filed advice "Document 11, ERSA – request 7": its reference, the one the professional and
    the Documents page's title give, was nowhere, so a caseworker could not tell which version it was."""
    child = ChildRecordFactory(first_name=FIRST, last_name=LAST)
    shared = advice_request_share(child=child, form_version=ersa, account=team_account, shared_by=caseworker)
    first, first_pdf = _submitted_and_filed(shared, caseworker)
    submission_return(advice_request=shared, actor=caseworker, reason="Add the report")
    second, second_pdf = _submitted_and_filed(shared, caseworker, accept=True)

    rows = _rows(caseworker_client.get(reverse("child_records:history", args=[child.pk])))

    marker = f"Test ERSA – request {shared.pk}"
    assert [row[:2] for row in rows[:6]] == [
        ["Advice accepted", f"{marker}, reference {second.reference}"],
        ["Document uploaded", f"Document {second_pdf.pk}, {marker}, reference {second.reference}"],
        ["Advice submitted", f"{marker}, reference {second.reference}"],
        ["Advice returned for more information", marker],
        ["Document uploaded", f"Document {first_pdf.pk}, {marker}, reference {first.reference}"],
        ["Advice submitted", f"{marker}, reference {first.reference}"],
    ]


def test_the_references_are_read_in_the_same_number_of_queries_however_many_versions(caseworker, ersa, team_account):
    child = ChildRecordFactory()
    shared = advice_request_share(child=child, form_version=ersa, account=team_account, shared_by=caseworker)

    def version():
        submission_return(advice_request=shared, actor=caseworker, reason="Add the report")
        _submitted_and_filed(shared, caseworker)

    _submitted_and_filed(shared, caseworker)
    version()
    child_record_history(child)  # the content types, cached once read
    with CaptureQueriesContext(connection) as few:
        assert len(child_record_history(child)) == 6

    for _ in range(3):
        version()
    _submitted_and_filed(advice_request(team_account, child=child), caseworker, accept=True)  # shared unaudited

    with CaptureQueriesContext(connection) as many:
        rows = child_record_history(child)
    assert len(rows) == 6 + 3 * 3 + 3
    assert sum(", reference " in row.item for row in rows) == 4 + 3 * 2 + 3
    assert len(many) == len(few), [query["sql"] for query in many]


def _refused(child, account, asker, caseworker, reason):
    """A document of ``account``'s on ``child`` that ``asker`` asked for, through its own request, and was refused."""
    ar = advice_request(account, child=child)
    document = _document(child, account, ar)
    access = document_access_request(
        document=document, account=asker, advice_request=advice_request(asker, child=child)
    )
    return access_request_refuse(access=access, by=account, reason=reason)


def test_a_refused_request_for_access_shows_the_caseworkers_reason_read_from_the_request(
    caseworker_client, caseworker, team_account
):
    """The row "Access to a document refused" had an empty Details cell: the reason, the caseworker's own words, is
    kept on the request, and read for every refusal at once."""
    child = ChildRecordFactory(first_name=FIRST, last_name=LAST)
    asker = ProfessionalFactory()
    first = _refused(child, team_account, asker, caseworker, "Your service does not need the health details")
    asked_again = document_access_request(document=first.document, account=asker, advice_request=first.advice_request)
    access_request_refuse(access=asked_again, by=caseworker, reason="Still not needed for the advice")

    rows = _rows(caseworker_client.get(reverse("child_records:history", args=[child.pk])))

    assert [row[2] for row in rows if row[0] == "Access to a document refused"] == [
        "Reason: Still not needed for the advice",
        "Reason: Your service does not need the health details",
    ]
    with CaptureQueriesContext(connection) as few:
        child_record_history(child)
    for number in range(3):
        _refused(child, team_account, ProfessionalFactory(), caseworker, f"Reason {number}")
    with CaptureQueriesContext(connection) as many:
        assert len([row for row in child_record_history(child) if row.details.startswith("Reason: ")]) == 5
    assert len(many) == len(few), [query["sql"] for query in many]
