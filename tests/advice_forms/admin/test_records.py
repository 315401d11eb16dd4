"""Caseworkers' pages on a child record: documents, outcomes, contacts, contribution, with their history; and the
reported changes they mark as dealt with."""

import datetime
import re
from io import BytesIO

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from advice_forms.events import CaseworkEvent
from advice_forms.models import AccessRequest, Document, DocumentState, Outcome, OutcomeState, RequestState
from advice_forms.services import documents as document_services
from advice_forms.services import involvement as involvement_services
from advice_forms.services import outcomes as outcome_services
from cms.admin_views import ADMIN_PAGE_SIZE
from cms.formats import govuk_date, govuk_datetime
from cms.models import AuditEntry
from tests.factories.accounts import ProfessionalFactory, staff_in_group, verified_login
from tests.factories.advice_forms import (
    ChildRecordFactory,
    advice_request,
    definition,
    document_copies,
    document_types,
    need_type,
    pdf_bytes,
    pdf_upload,
    question,
    report_upload,
    section,
    team,
)
from tests.otp import sign_in
from tests.refusals import refused_by_wagtail


@pytest.fixture
def record(professional):
    document_types()
    child = ChildRecordFactory(first_name="Ariadne", last_name="Quill")
    ar = advice_request(professional, child=child)
    document = report_upload(ar, title="Therapy report")
    outcome = outcome_services.outcome_create(
        advice_request=ar, account=professional, team=team(), need_type=need_type(), outcome="Uses a visual timetable"
    )
    return ar, document, outcome


def test_caseworker_sees_documents_and_makes_one_available_to_another_account(client, records_caseworker, record):
    ar, document, _ = record
    other = ProfessionalFactory(display_name="Kestrelford EP Service")
    advice_request(other, child=ar.child)
    AccessRequest.objects.create(document=document, account=other, advice_request=ar)
    admin = verified_login(client, records_caseworker)
    base = f"/admin/casework/child-records/{ar.child.pk}/documents/"

    listing = admin.get(base).content.decode()
    choices = admin.get(f"{base}{document.pk}/availability/").content.decode()
    admin.post(f"{base}{document.pk}/availability/", {"accounts": [other.pk], "complete": "yes"})
    pending = admin.get("/admin/casework/access-requests/").content.decode()

    assert "Therapy report" in listing and "Document uploaded" in listing
    assert "document.uploaded" not in listing  # the history says what happened in words, not its stored code
    assert "Kestrelford EP Service" in choices
    # The page says who is waiting for an answer: an unticked box alone did not say that this account asked.
    waiting = BeautifulSoup(choices, "html.parser").find(string=re.compile("Waiting for an answer"))
    asked = " ".join(waiting.find_next("ul").get_text().split())
    assert asked.startswith("Kestrelford EP Service, asked on ")
    assert list(document.available_to.all()) == [other]
    assert not AccessRequest.objects.filter(resolved_at__isnull=True).exists()
    assert "No one is waiting" in pending
    assert AuditEntry.objects.filter(action="document.availability_changed").exists()
    download = admin.get(f"{base}{document.pk}/download/")
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"


def _words(element):
    return " ".join(element.get_text().split())


def test_each_link_and_button_of_a_caseworkers_list_names_what_it_acts_on(
    client, records_caseworker, record, professional
):
    """Every row's "Download", "Who may download" and "Delete" (and each "Decide who may download" and "Mark as dealt
    with") read the same in a screen reader's list of links: a visually hidden part names the document, outcome or
    reported change."""
    ar, document, outcome = record
    AccessRequest.objects.create(document=document, account=professional, advice_request=ar)
    involvement_services.details_change_report(advice_request=ar, account=professional, details="5 Kite Lane")
    admin = verified_login(client, records_caseworker)
    child = ar.child.pk

    def page(url):
        return BeautifulSoup(admin.get(url).content, "html.parser")

    documents = page(f"/admin/casework/child-records/{child}/documents/").select(f"#document-{document.pk} a")
    outcomes = page(f"/admin/casework/child-records/{child}/outcomes/").select(f"#outcome-{outcome.pk} a")
    access = page("/admin/casework/access-requests/").select("#listing tbody a")
    reports = page("/admin/casework/reported-changes/").select("#reports button")

    named = f"Therapy report, report.pdf, uploaded by {professional}, {govuk_datetime(document.uploaded_at)}"
    assert [_words(a) for a in documents] == [f"Download {named}", f"Who may download {named}", f"Delete {named}"]
    assert all(a.span["class"] == ["w-sr-only"] for a in documents)
    assert [_words(a) for a in outcomes] == [
        "Delete the Communication and interaction outcome “Uses a visual timetable”"
    ]
    assert [_words(a) for a in access] == [f"Decide who may download Therapy report, asked by {professional}"]
    assert [_words(b) for b in reports] == [f"Mark as dealt with: Ariadne Quill, reported by {professional}"]


def test_documents_of_one_title_have_links_that_read_apart(client, records_caseworker, record):
    """Three documents called "Report" had three "Download Report" links (and as many "Who may download" and
    "Delete"): a screen reader's list of links could not tell them apart. Each names its file and when it came."""
    ar, *_ = record
    first = report_upload(ar, title="Report")
    Document.objects.filter(pk=first.pk).update(uploaded_at=first.uploaded_at - datetime.timedelta(days=3))
    second = report_upload(ar, title="Report")
    third = document_services.document_upload(
        advice_request=ar,
        account=ar.account,
        uploaded=pdf_upload("report-2.pdf"),
        title="Report",
        document_type="report",
    )
    admin = verified_login(client, records_caseworker)
    listing = BeautifulSoup(admin.get(f"/admin/casework/child-records/{ar.child.pk}/documents/").content, "html.parser")

    names = [_words(a) for d in (first, second, third) for a in listing.select(f"#document-{d.pk} a")]
    assert len(names) == 9 and len(set(names)) == 9
    first.refresh_from_db()
    assert names[0] == f"Download Report, report.pdf, uploaded by {ar.account}, {govuk_datetime(first.uploaded_at)}"
    assert names[8].startswith(f"Delete Report, report-2.pdf, uploaded by {ar.account}, ")


def test_documents_of_one_title_and_file_from_two_uploaders_in_one_minute_have_links_that_read_apart(
    client, records_caseworker, record
):
    """Two teams uploaded "Support plan", support-plan.pdf, in the same minute: title, file name and time were the
    same, so their links read the same. Each also names its uploader, as the list's Uploaded column does."""
    ar, *_ = record
    service = ProfessionalFactory(display_name="Educational Psychology Service")
    ours = report_upload(ar, title="Support plan")
    theirs = document_services.document_upload(
        advice_request=ar,
        account=service,
        uploaded=pdf_upload("report.pdf"),
        title="Support plan",
        document_type="report",
    )
    Document.objects.filter(pk=theirs.pk).update(uploaded_at=ours.uploaded_at)
    admin = verified_login(client, records_caseworker)
    listing = BeautifulSoup(admin.get(f"/admin/casework/child-records/{ar.child.pk}/documents/").content, "html.parser")

    names = [_words(a) for d in (ours, theirs) for a in listing.select(f"#document-{d.pk} a")]
    assert len(names) == 6 and len(set(names)) == 6
    uploaded = govuk_datetime(ours.uploaded_at)
    assert names[3] == f"Download Support plan, report.pdf, uploaded by Educational Psychology Service, {uploaded}"


def test_the_documents_list_costs_the_same_queries_for_one_document_as_for_twenty(client, records_caseworker, record):
    """Each document's type is named from the document types list, read once for the whole list."""
    ar, document, _ = record
    admin = verified_login(client, records_caseworker)
    url = f"/admin/casework/child-records/{ar.child.pk}/documents/"

    def queries():
        with CaptureQueriesContext(connection) as captured:
            page = BeautifulSoup(admin.get(url).content, "html.parser")
        return len(captured), {small.get_text().split(" · ")[0] for small in page.select("td.advice-long-text small")}

    admin.get(url)
    one = queries()
    document_copies(document, 19)

    assert one[1] == {"Professional report"}
    assert queries() == (one[0], {"Professional report", "Support plan"})


def test_an_account_seeing_the_child_by_initials_only_is_not_offered_and_refused_if_posted_anyway(
    client, records_caseworker, record
):
    """The speech therapy account, shared the child by initials only, was offered among who may download like any
    other, and ticking it gave it a PDF naming the child in full. It is not offered, the page says why and how to
    change that, a post that ticks it anyway stores nothing and says why, and so does the service."""
    ar, document, _ = record
    slt = ProfessionalFactory(display_name="Kestrelford SLT")
    advice_request(slt, child=ar.child, shows_child_name=False)
    ep = ProfessionalFactory(display_name="Kestrelford EP Service")
    advice_request(ep, child=ar.child)
    admin = verified_login(client, records_caseworker)
    url = f"/admin/casework/child-records/{ar.child.pk}/documents/{document.pk}/availability/"

    page = BeautifulSoup(admin.get(url).content, "html.parser")
    offered = {box["value"] for box in page.find_all("input", {"name": "accounts"})}
    note = " ".join(page.find(id="initials-only").get_text().split())
    response = admin.post(url, {"accounts": [ep.pk, slt.pk], "complete": "yes"})

    assert offered == {str(ep.pk)}
    assert note.startswith("Not offered: Kestrelford SLT sees this child by initials only")
    assert "full details" in note
    assert response.status_code == 200
    error = " ".join(BeautifulSoup(response.content, "html.parser").find(id="accounts-error").get_text().split())
    assert error.startswith("Kestrelford SLT sees this child by initials only") and not error.endswith(".")
    assert list(document.available_to.all()) == []
    assert not AuditEntry.objects.filter(action="document.availability_changed").exists()
    with pytest.raises(document_services.SeesChildByInitials):
        document_services.document_availability_set(document=document, accounts=[ep, slt], by=records_caseworker)
    assert list(document.available_to.all()) == []


def test_deciding_from_the_access_requests_list_goes_back_to_it_at_the_next_row(client, records_caseworker, record):
    """Saving "Who may download" opened from the Access requests list went to the child's documents: it goes back to
    the list's page, at the row after the one decided (granted, its row has gone); Cancel goes back to its row."""
    ar, document, _ = record
    asking = []
    for name in ("Kestrelford EP Service", "Kestrelford OT", "Kestrelford Physio"):
        account = ProfessionalFactory(display_name=name)
        asked_through = advice_request(account, child=ar.child)
        asking.append(AccessRequest.objects.create(document=document, account=account, advice_request=asked_through))
    admin = verified_login(client, records_caseworker)
    listing = BeautifulSoup(admin.get("/admin/casework/access-requests/").content, "html.parser")
    rows = [row["id"] for row in listing.select("#listing tbody tr")]
    links = [a["href"] for a in listing.select("#listing tbody a")]
    middle = asking[1]
    assert rows[1] == f"access-{middle.pk}"

    page = BeautifulSoup(admin.get(links[1]).content, "html.parser")
    cancel = page.find("a", string="Cancel")["href"]
    response = admin.post(links[1], {"accounts": [middle.account.pk], "complete": "yes"})

    assert cancel == f"/admin/casework/access-requests/?p=1#access-{middle.pk}"
    assert response.status_code == 302 and response.url == f"/admin/casework/access-requests/?p=1#{rows[2]}"


def test_saving_who_may_download_goes_back_to_the_documents_row_just_changed(client, records_caseworker, record):
    """Saving "Who may download" for the document listed first landed on the row below it, as if it had left the
    list: it is still there, changed, and the caseworker lands back on it, where Cancel goes too."""
    ar, first, _ = record
    second = report_upload(ar, title="Second report")
    admin = verified_login(client, records_caseworker)
    base = f"/admin/casework/child-records/{ar.child.pk}/documents/"
    listing = BeautifulSoup(admin.get(base).content, "html.parser")
    rows = [row["id"] for row in listing.select("#listing tbody tr")]
    assert sorted(rows) == sorted([f"document-{first.pk}", f"document-{second.pk}"])
    link = next(  # the first row's; its hidden part names the document
        a["href"] for a in listing.select("#listing a") if a.get_text(" ", strip=True).startswith("Who may download")
    )

    response = admin.post(link, {"accounts": [], "complete": "yes"})

    assert response.status_code == 302 and response.url == f"{base}?p=1#{rows[0]}"


def test_the_account_that_asked_is_told_once_in_its_inbox_and_by_an_email_naming_no_child(
    client, records_caseworker, record, django_capture_on_commit_callbacks
):
    """The professional who asked for a document was not told when it was allowed: a message in its inbox leads to
    the documents of the request it asked through, with an email that says only that; neither names the child nor
    the document, and saving again sends nothing more."""
    from django.core import mail

    from portal_pages.models import InboxMessage

    ar, document, _ = record
    other = ProfessionalFactory(display_name="Kestrelford EP Service", email="ep@kestrelford.example.org")
    asked_through = advice_request(other, child=ar.child)
    AccessRequest.objects.create(document=document, account=other, advice_request=asked_through)
    admin = verified_login(client, records_caseworker)
    url = f"/admin/casework/child-records/{ar.child.pk}/documents/{document.pk}/availability/"
    mail.outbox.clear()

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            admin.post(url, {"accounts": [other.pk], "complete": "yes"})

    message = InboxMessage.objects.get(account=other)
    assert message.link == f"/portal/requests/{asked_through.pk}/documents/"
    assert [email.to for email in mail.outbox] == [["ep@kestrelford.example.org"]]
    email = mail.outbox[0]
    assert "can now be downloaded" in email.subject
    child = ar.child
    details = [child.first_name, child.last_name, child.initials, govuk_date(child.date_of_birth), "Therapy report"]
    for told in (message.subject + message.body, email.subject + email.body):
        assert not [detail for detail in details if detail in told]


def test_one_that_asked_through_an_initials_only_request_is_led_to_its_request_that_shows_the_child_in_full(
    client, records_caseworker, record
):
    """Asked (before such asking was refused) through a request that shows only the initials, the granted account's
    message led to documents it cannot download there: it leads to its request that opens the child in full."""
    from portal_pages.models import InboxMessage

    ar, document, _ = record
    other = ProfessionalFactory(display_name="Kestrelford EP Service")
    initials = advice_request(other, child=ar.child, shows_child_name=False)
    in_full = advice_request(other, child=ar.child)
    AccessRequest.objects.create(document=document, account=other, advice_request=initials)

    document_services.document_availability_set(document=document, accounts=[other], by=records_caseworker)

    assert InboxMessage.objects.get(account=other).link == f"/portal/requests/{in_full.pk}/documents/"


def test_unticking_every_account_saves_that_only_the_uploader_may_download(client, records_caseworker, record):
    """With every box unticked the page posts no account, only its closing marker: that is an answer, and is saved."""
    ar, document, _ = record
    other = ProfessionalFactory(display_name="Kestrelford EP Service")
    advice_request(other, child=ar.child)
    document.available_to.set([other])
    admin = verified_login(client, records_caseworker)
    url = f"/admin/casework/child-records/{ar.child.pk}/documents/{document.pk}/availability/"
    page = BeautifulSoup(admin.get(url).content, "html.parser")
    marker = page.find("input", {"type": "hidden", "name": "complete"})

    response = admin.post(url, {marker["name"]: marker["value"]})

    assert (
        response.status_code == 302
        and response.url == f"/admin/casework/child-records/{ar.child.pk}/documents/?p=1#document-{document.pk}"
    )
    assert list(document.available_to.all()) == []
    entry = AuditEntry.objects.get(action="document.availability_changed")
    assert entry.data == {"before": [other.pk], "after": []}


@pytest.mark.parametrize("kept", [0, 1], ids=["empty", "cut-short-after-the-first-box"])
def test_a_post_that_lost_its_body_on_the_way_is_refused_and_changes_no_ones_access(
    client, records_caseworker, record, kept
):
    """An empty post, or one cut short before the page's closing marker, is not the caseworker's answer: it is
    refused with an error, every account keeps its access, and the page shows the boxes as they are stored."""
    ar, document, _ = record
    others = [ProfessionalFactory(display_name=name) for name in ("Kestrelford EP Service", "Kestrelford SLT")]
    for other in others:
        advice_request(other, child=ar.child)
    document.available_to.set(others)
    admin = verified_login(client, records_caseworker)
    url = f"/admin/casework/child-records/{ar.child.pk}/documents/{document.pk}/availability/"

    response = admin.post(url, {"accounts": [other.pk for other in others[:kept]]})

    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    summary = page.find(role="alert")
    assert "There is a problem" in summary.get_text()
    assert "Nothing was saved: the page's answer did not arrive whole." in summary.get_text()
    for other in others:
        assert page.find("input", {"name": "accounts", "value": str(other.pk)}).has_attr("checked")
    assert page.find("input", {"type": "hidden", "name": "complete"})["value"] == "yes"
    assert set(document.available_to.all()) == set(others)
    assert not AuditEntry.objects.filter(action="document.availability_changed").exists()


def test_caseworker_deletes_a_document_only_with_a_reason(client, records_caseworker, record):
    ar, document, _ = record
    admin = verified_login(client, records_caseworker)
    url = f"/admin/casework/child-records/{ar.child.pk}/documents/{document.pk}/delete/"

    refused = admin.post(url, {"reason": ""})
    empty = admin.post(url, {})  # a post with no fields at all is refused the same way, not taken for a fresh page
    assert Document.objects.get(pk=document.pk).state == DocumentState.CURRENT
    admin.post(url, {"reason": "Uploaded to the wrong record"})

    assert "Enter the reason for deleting it" in refused.content.decode()
    assert "Enter the reason for deleting it" in empty.content.decode()
    document.refresh_from_db()
    assert document.state == DocumentState.DELETED and document.state_reason == "Uploaded to the wrong record"
    entry = AuditEntry.objects.get(action="document.deleted")
    assert entry.actor == records_caseworker and entry.reason == ""  # the reason is the document's, shown from it


def test_deleting_a_file_questions_upload_takes_only_its_own_requests_draft_answer_out(
    client, records_caseworker, professional
):
    version = definition(
        [
            section("Evidence", [question("file", "Report", key="report"), question("short_text", "Age", key="age")]),
            section("Views", [question("short_text", "Views", key="views")], key="views"),
        ]
    )

    def answered(account, state=RequestState.IN_PROGRESS):
        ar = advice_request(account, version=version, child=ChildRecordFactory())
        upload = document_services.document_upload(
            advice_request=ar, account=account, uploaded=pdf_upload(), title="Report", document_type=""
        )
        ar.answers = {
            "evidence": {"report": {"document": upload.pk, "name": "report.pdf", "size": 900}, "age": "7"},
            "views": {"views": "Likes maths"},
        }
        ar.completed_sections, ar.state = ["evidence", "views"], state
        ar.save()
        return ar, upload

    (ar, upload), (other, _) = answered(professional), answered(ProfessionalFactory())
    sent, sent_upload = answered(professional, state=RequestState.SUBMITTED)
    admin = verified_login(client, records_caseworker)
    for request_, document in ((ar, upload), (sent, sent_upload)):
        admin.post(
            f"/admin/casework/child-records/{request_.child.pk}/documents/{document.pk}/delete/",
            {"reason": "Sent to wrong child"},
        )

    deleted = Document.objects.filter(state=DocumentState.DELETED)
    assert set(deleted.values_list("pk", flat=True)) == {upload.pk, sent_upload.pk}
    ar.refresh_from_db()
    assert ar.answers == {"evidence": {"age": "7"}, "views": {"views": "Likes maths"}}
    assert ar.completed_sections == ["views"]
    for untouched in (other, sent):  # another request's draft; a request under review, whose submission is history
        before = untouched.answers
        untouched.refresh_from_db()
        assert untouched.answers == before and untouched.completed_sections == ["evidence", "views"]


def test_a_file_deleted_during_review_is_asked_for_again_once_the_advice_is_returned(
    client, records_caseworker, professional, home_page
):
    version = definition(
        [section("Evidence", [question("file", "Latest report", key="report"), question("short_text", "Age")])]
    )
    ar = advice_request(professional, version=version)
    portal = Client()
    sign_in(portal, professional)
    step = f"/portal/requests/{ar.pk}/steps/evidence/"
    report = SimpleUploadedFile("speech-report.pdf", pdf_bytes(), content_type="application/pdf")
    assert portal.post(step, {"report": report, "age": "7", "action": "continue"}).status_code == 302
    _submit(portal, ar)
    document = Document.objects.get(advice_request=ar, original_filename="speech-report.pdf")

    admin = verified_login(client, records_caseworker)
    admin.post(
        f"/admin/casework/child-records/{ar.child.pk}/documents/{document.pk}/delete/", {"reason": "Wrong child"}
    )
    admin.post(reverse("review_queue:return", args=[ar.pk]), {"reason": "Add the latest report.", "submission": 1})

    ar.refresh_from_db()
    assert ar.state == RequestState.RETURNED
    assert ar.answers == {"evidence": {"age": "7"}} and "evidence" not in ar.completed_sections
    page = portal.get(step).content.decode()
    assert "You have uploaded" not in page and "speech-report.pdf" not in page
    check = portal.get(f"/portal/requests/{ar.pk}/check-answers/").content.decode()
    assert "“Latest report” in “Evidence”: Not answered yet" in check and "speech-report.pdf" not in check


def _file_question_request(professional):
    """A request whose form asks for one file, "Latest report", and the professional signed in: (request, their
    client, the step's address)."""
    version = definition([section("Evidence", [question("file", "Latest report", key="report")], key="evidence")])
    ar = advice_request(professional, version=version)
    portal = Client()
    sign_in(portal, professional)
    return ar, portal, f"/portal/requests/{ar.pk}/steps/evidence/"


def _file_removed_then_another_uploaded(professional, removed, kept):
    """A file question's answer uploaded as ``removed``, taken away with "Remove this file", then uploaded again as
    ``kept``: (request, the professional's client)."""
    ar, portal, step = _file_question_request(professional)
    for name in (removed, kept):
        upload = SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")
        assert portal.post(step, {"report": upload, "action": "continue"}).status_code == 302
        if name == removed:
            portal.post(step, {"row-action": "remove:report"})
    return ar, portal


def _submit(portal, ar):
    check = portal.get(f"/portal/requests/{ar.pk}/check-answers/").content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', check).group(1)
    assert portal.post(f"/portal/requests/{ar.pk}/submit/", {"idempotency_key": key}).status_code == 302


def test_the_documents_list_costs_the_same_queries_for_two_documents_as_for_a_page_of_two_hundred(
    client, records_caseworker, professional, home_page
):
    """Whether each file answer went with the form (``sent_with_form``) and whether each upload came after the
    advice was submitted (``added_after_submission``) are read with the list, not one query a document; so are
    each one's uploader, request and the accounts it was made available to."""
    document_types()
    ar, portal, step = _file_question_request(professional)
    upload = SimpleUploadedFile("Speech report.pdf", pdf_bytes(), content_type="application/pdf")
    assert portal.post(step, {"report": upload, "action": "continue"}).status_code == 302
    _submit(portal, ar)
    evidence = Document.objects.get(advice_request=ar)
    other = ProfessionalFactory(display_name="Kestrelford EP Service")
    admin = verified_login(client, records_caseworker)
    url = f"/admin/casework/child-records/{ar.child.pk}/documents/"

    def add(sent_with_the_form, reports_added_since):
        """Files sent with the form, each made available to the other account; reports uploaded since."""
        sent = document_copies(
            evidence, sent_with_the_form, document_type=evidence.document_type, uploaded_at=evidence.uploaded_at
        )
        ar.submissions.get().evidence.add(*sent)
        Document.available_to.through.objects.bulk_create(
            Document.available_to.through(document_id=document.pk, user_id=other.pk) for document in sent
        )
        document_copies(evidence, reports_added_since, document_type="report")

    def queries(page_number=1):
        with CaptureQueriesContext(connection) as captured:
            page = BeautifulSoup(admin.get(url, {"p": page_number}).content, "html.parser")
        rows = page.select_one("table.listing").select("tbody tr")
        rows = [" ".join(row.get_text(" ", strip=True).split()) for row in rows]
        return len(captured), (
            len(rows),
            sum("Evidence sent with the form" in row and "Kestrelford EP Service" in row for row in rows),
            sum("Professional report" in row and "Added after submission" in row for row in rows),
        )

    evidence.available_to.add(other)
    add(0, 1)
    admin.get(url)
    two = queries()
    add(99, 99)

    assert two[1] == (2, 1, 1)
    # Listed 20 a page, newest first: the reports added since, then the files sent with the form.
    assert queries() == (two[0], (20, 0, 20))
    last, rows = queries(10)
    assert rows == (20, 20, 0) and last <= two[0]  # no report on it: the document types list is not read


def test_a_file_answers_document_is_listed_by_the_name_the_professional_gave_it(
    client, records_caseworker, professional, home_page
):
    """A file answer's document is titled by the name it was uploaded with (not its question's label, written to the
    account filling the form), and downloads with it; one removed from the step (or replaced) stays listed as
    withdrawn, named, and says it was removed before it was sent: it was listed as "Evidence sent with the form",
    which it never was."""
    ar, portal = _file_removed_then_another_uploaded(
        professional, "Term 1 report (other child).pdf", "Speech report, spring.pdf"
    )
    _submit(portal, ar)

    admin = verified_login(client, records_caseworker)
    listing = BeautifulSoup(admin.get(f"/admin/casework/child-records/{ar.child.pk}/documents/").content, "html.parser")
    rows = {" ".join(row.get_text(" ", strip=True).split()) for row in listing.select("tbody tr")}
    current = Document.objects.get(advice_request=ar, submission=None, state=DocumentState.CURRENT)
    assert current.title == "Speech report, spring"
    assert any(
        row.startswith("Speech report, spring Evidence sent with the form · Speech report, spring.pdf ·")
        and "Current" in row
        for row in rows
    ), rows
    assert any(
        row.startswith(
            "Term 1 report (other child) Uploaded with the form, removed before it was sent"
            " · Term 1 report (other child).pdf ·"
        )
        and "Withdrawn by the uploader" in row
        and "Download" in row  # kept for the staff: the audit trail
        for row in rows
    ), rows
    download = admin.get(f"/admin/casework/child-records/{ar.child.pk}/documents/{current.pk}/download/")
    assert 'filename="Speech report, spring.pdf"' in download["Content-Disposition"]


def test_a_file_sent_with_the_form_and_replaced_after_a_return_still_reads_as_sent(
    client, records_caseworker, professional, home_page
):
    """Only a file never sent reads "removed before it was sent": one that went with version 1 of the advice, then
    replaced once it was returned, was sent with the form."""
    ar, portal, step = _file_question_request(professional)

    first = SimpleUploadedFile("Autumn report.pdf", pdf_bytes(), content_type="application/pdf")
    assert portal.post(step, {"report": first, "action": "continue"}).status_code == 302
    _submit(portal, ar)
    admin = verified_login(client, records_caseworker)
    admin.post(reverse("review_queue:return", args=[ar.pk]), {"reason": "Add the spring report.", "submission": 1})
    second = SimpleUploadedFile("Spring report.pdf", pdf_bytes(), content_type="application/pdf")
    assert portal.post(step, {"report": second, "action": "continue"}).status_code == 302
    _submit(portal, ar)

    listing = BeautifulSoup(admin.get(f"/admin/casework/child-records/{ar.child.pk}/documents/").content, "html.parser")
    rows = {" ".join(row.get_text(" ", strip=True).split()) for row in listing.select("tbody tr")}
    assert any(
        row.startswith("Autumn report Evidence sent with the form · Autumn report.pdf ·")
        and "Withdrawn by the uploader" in row
        for row in rows
    ), rows
    assert any(row.startswith("Spring report Evidence sent with the form · Spring report.pdf ·") for row in rows)
    assert not any("removed before it was sent" in row for row in rows)


def test_a_file_answer_of_a_draft_reads_as_not_sent_yet_on_both_sides_until_the_form_is_sent(
    client, records_caseworker, professional, home_page
):
    """A file uploaded to a draft's file question is on the child's record at once (the caseworker may make it
    available or delete it), but it has not gone with the advice: both lists said "Evidence sent with the form"
    before the form was sent. They say so only once it was."""
    ar, portal, step = _file_question_request(professional)
    upload = SimpleUploadedFile("Spring report.pdf", pdf_bytes(), content_type="application/pdf")
    assert portal.post(step, {"report": upload, "action": "continue"}).status_code == 302
    admin = verified_login(client, records_caseworker)

    def labels():
        """The type beside the file in the caseworker's list and in the professional's."""
        staff = admin.get(f"/admin/casework/child-records/{ar.child.pk}/documents/").content
        staff_rows = [row.get_text(" ", strip=True) for row in BeautifulSoup(staff, "html.parser").select("tbody tr")]
        own = BeautifulSoup(portal.get(f"/portal/requests/{ar.pk}/documents/").content, "html.parser")
        (own_row,) = [row for row in own.select("tbody tr") if "Spring report.pdf" in row.get_text()]
        return (
            re.search(r"Spring report (.*?) · Spring report\.pdf", " ".join(staff_rows)).group(1),
            own_row.select_one('td[data-label="Type"]').get_text(strip=True),
        )

    assert labels() == ("Uploaded with the form, not sent yet", "Uploaded with the form, not sent yet")
    _submit(portal, ar)
    assert labels() == ("Evidence sent with the form", "Evidence sent with the form")


def test_who_may_download_a_file_answer_not_sent_yet_says_the_accounts_ticked_wait_for_the_form(
    client, records_caseworker, professional, home_page
):
    """A draft's file is seen by no account but its uploader: the page let the caseworker tick another account and
    the list then named it beside the uploader as if it could download the file now."""
    ar, portal, step = _file_question_request(professional)
    upload = SimpleUploadedFile("Spring report.pdf", pdf_bytes(), content_type="application/pdf")
    assert portal.post(step, {"report": upload, "action": "continue"}).status_code == 302
    other = ProfessionalFactory(display_name="Educational Psychology Service")
    advice_request(other, child=ar.child)
    document = Document.objects.get(advice_request=ar, submission=None)
    admin = verified_login(client, records_caseworker)
    base = f"/admin/casework/child-records/{ar.child.pk}/documents/"

    def told():
        page = BeautifulSoup(admin.get(f"{base}{document.pk}/availability/").content, "html.parser")
        listing = BeautifulSoup(admin.get(base).content, "html.parser")
        rows = listing.select_one("table").select("tbody tr")  # the documents, not their history below
        (cell,) = [row.select("td")[3] for row in rows if "Spring report.pdf" in row.get_text()]
        return "can download it once the form is sent" in page.get_text(), " ".join(cell.get_text().split())

    assert told() == (True, f"{professional} (uploader)")
    admin.post(f"{base}{document.pk}/availability/", {"accounts": [other.pk], "complete": "yes"})
    assert told() == (True, f"{professional} (uploader), {other} (once the form is sent)")
    _submit(portal, ar)
    assert told() == (False, f"{professional} (uploader), {other}")


def test_caseworker_deletes_an_outcome_with_a_reason_and_gets_the_report_pdf(client, records_caseworker, record):
    ar, _, outcome = record
    admin = verified_login(client, records_caseworker)
    base = f"/admin/casework/child-records/{ar.child.pk}/outcomes/"

    report = admin.get(f"{base}report.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(report.content)).pages)
    written_at = outcome.updated_at
    admin.post(f"{base}{outcome.pk}/delete/", {"reason": "A duplicate"})

    assert report["Content-Type"] == "application/pdf"
    assert "Uses a visual timetable" in text and "Speech and Language Therapy" in text and "SLT" not in text
    outcome.refresh_from_db()
    assert outcome.state == OutcomeState.DELETED and outcome.deleted_reason == "A duplicate"
    assert outcome.updated_at == written_at < outcome.deleted_at, "deleting keeps the time its words were written"
    assert "A duplicate" in admin.get(base).content.decode()


def test_contacts_and_contribution_pages_show_to_caseworkers(client, records_caseworker, record, professional):
    ar, _, _ = record
    involvement_services.contact_create(
        advice_request=ar, account=professional, data={"name": "Sam Rivers", "role": "Teacher", "team": team()}
    )
    involvement_services.contribution_save(
        advice_request=ar, account=professional, data={"communication_methods": ["post"], "parent_views": "Views"}
    )
    admin = verified_login(client, records_caseworker)

    contacts = admin.get(f"/admin/casework/child-records/{ar.child.pk}/contacts/").content.decode()
    contribution = admin.get(f"/admin/casework/child-records/{ar.child.pk}/contribution/").content.decode()

    assert "Sam Rivers" in contacts and "Professional contact added" in contacts
    assert "Post" in contribution and "Views" in contribution


def test_staff_without_casework_permission_are_refused(client, record):
    ar, document, outcome = record
    editor = staff_in_group("Content editor")
    admin = verified_login(client, editor)
    for url in (
        f"/admin/casework/child-records/{ar.child.pk}/documents/",
        f"/admin/casework/child-records/{ar.child.pk}/outcomes/report.pdf",
        f"/admin/casework/child-records/{ar.child.pk}/documents/{document.pk}/download/",
    ):
        assert refused_by_wagtail(admin.get(url)), url
    deleting = admin.post(f"/admin/casework/child-records/{ar.child.pk}/outcomes/{outcome.pk}/delete/", {"reason": "x"})
    assert refused_by_wagtail(deleting)
    outcome.refresh_from_db()
    assert outcome.state == OutcomeState.CURRENT
    assert Document.objects.get().state == DocumentState.CURRENT
    assert Outcome.objects.count() == 1


def test_a_reported_change_is_dealt_with_once_audited_without_what_was_written(
    client, records_caseworker, record, professional
):
    ar, _, _ = record
    report = involvement_services.details_change_report(
        advice_request=ar, account=professional, details="They moved to 5 Kite Lane."
    )
    admin = verified_login(client, records_caseworker)
    url = "/admin/casework/reported-changes/"
    assert "Kite Lane" in admin.get(url).content.decode()

    response = admin.post(url, {"report": report.pk})

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.resolved_at is not None
    assert "Kite Lane" not in admin.get(url).content.decode()
    entry = AuditEntry.objects.get(action=CaseworkEvent.DETAILS_CHANGE_RESOLVED)
    assert entry.actor == records_caseworker and entry.target == ar.child and entry.data == {"report": report.pk}
    assert "Kite Lane" not in entry.reason + str(entry.data)
    # Dealt with already (a second click, a stale page) or never reported: not found, and nothing more written.
    assert admin.post(url, {"report": report.pk}).status_code == 404
    assert admin.post(url, {"report": report.pk + 1}).status_code == 404
    assert admin.post(url, {"report": "x"}).status_code == 404
    assert involvement_services.details_change_report_resolve(report=report, by=records_caseworker) is False
    assert AuditEntry.objects.filter(action=CaseworkEvent.DETAILS_CHANGE_RESOLVED).count() == 1


def test_reported_changes_list_the_children_a_caseworker_deals_with_each_linked_to_its_record(
    client, records_caseworker, record, professional
):
    """Every co-ordinator's list held every reported change, with no way to the child's record from it."""
    ar, _, _ = record
    mine = involvement_services.details_change_report(advice_request=ar, account=professional, details="5 Kite Lane")
    other = advice_request(professional, child=ChildRecordFactory(coordinator=staff_in_group("SEND caseworker")))
    theirs = involvement_services.details_change_report(advice_request=other, account=professional, details="Wren Way")
    admin = verified_login(client, records_caseworker)
    url = "/admin/casework/reported-changes/"

    page = BeautifulSoup(admin.get(url).content, "html.parser")

    assert "Kite Lane" in page.get_text() and "Wren Way" not in page.get_text()
    link = page.find("a", string="Change Ariadne Quill’s details")
    assert link["href"] == reverse("child_records:edit", args=[ar.child.pk]) + f"?report={mine.pk}&p=1&row=0"
    assert admin.post(url, {"report": theirs.pk}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.resolved_at is None and mine.resolved_at is None


def _history_items(admin, url):
    """(what happened, item) of each row of the page's History table, newest first."""
    page = BeautifulSoup(admin.get(url).content, "html.parser")
    rows = page.find("h2", string="History").find_next("table").select("tbody tr")
    return [(row.select("td")[1].get_text(strip=True), row.select("td")[3].get_text(strip=True)) for row in rows]


def test_the_history_tells_apart_the_files_uploaded_to_one_question(
    client, records_caseworker, professional, home_page
):
    """The rows of a replaced file and its successor all read as their question ("Latest report") when a file answer
    was titled with it. Each names its file, from the document (the audit entries hold ids only)."""
    ar, portal = _file_removed_then_another_uploaded(professional, "Autumn report.pdf", "Spring report.pdf")
    admin = verified_login(client, records_caseworker)

    items = _history_items(admin, f"/admin/casework/child-records/{ar.child.pk}/documents/")

    assert items == [
        (CaseworkEvent.DOCUMENT_UPLOADED.label, "Spring report (Spring report.pdf, 1 KB)"),
        (CaseworkEvent.DOCUMENT_WITHDRAWN.label, "Autumn report (Autumn report.pdf, 1 KB)"),
        (CaseworkEvent.DOCUMENT_UPLOADED.label, "Autumn report (Autumn report.pdf, 1 KB)"),
    ]
    assert not any("Spring report" in f"{entry.data} {entry.reason}" for entry in AuditEntry.objects.all())


def test_the_history_names_each_document_and_outcome_as_it_was_not_by_its_id(
    client, records_caseworker, record, professional
):
    ar, document, outcome = record
    involvement_services.contact_create(
        advice_request=ar, account=professional, data={"name": "Sam Rivers", "role": "Teacher", "team": team()}
    )
    involvement_services.contribution_save(advice_request=ar, account=professional, data={"parent_views": "Views"})
    admin = verified_login(client, records_caseworker)
    base = f"/admin/casework/child-records/{ar.child.pk}/"
    admin.post(f"{base}documents/{document.pk}/delete/", {"reason": "Uploaded to the wrong record"})
    admin.post(f"{base}outcomes/{outcome.pk}/delete/", {"reason": "A duplicate"})

    assert _history_items(admin, f"{base}documents/") == [
        (CaseworkEvent.DOCUMENT_DELETED.label, "Therapy report (report.pdf, 1 KB)"),
        (CaseworkEvent.DOCUMENT_UPLOADED.label, "Therapy report (report.pdf, 1 KB)"),
    ]
    # Its Type and Team in words, as the list above names them (it read "Comms, SLT: ...").
    outcome_name = "Communication and interaction, Speech and Language Therapy: Uses a visual timetable"
    assert _history_items(admin, f"{base}outcomes/") == [
        (CaseworkEvent.OUTCOME_DELETED.label, outcome_name),
        (CaseworkEvent.OUTCOME_ADDED.label, outcome_name),
    ]
    assert _history_items(admin, f"{base}contacts/") == [(CaseworkEvent.CONTACT_ADDED.label, "Sam Rivers (Teacher)")]
    assert _history_items(admin, f"{base}contribution/")[0][1] == f"Recorded by {professional}"
    # The names come from the records: the audit entries, which roles without casework read, still hold none.
    for entry in AuditEntry.objects.all():
        flat = f"{entry.data} {entry.reason}"
        assert "Therapy" not in flat and "timetable" not in flat and "Sam Rivers" not in flat


def test_an_entry_whose_event_does_not_fit_its_document_leaves_the_tab_open(client, records_caseworker, record):
    """An outcome's deletion recorded on a document (no service writes one; an import or a hand-mended row might)
    made the child's Documents tab a server error: the document has no outcome's reason to read."""
    ar, document, _ = record
    AuditEntry.objects.create(action=CaseworkEvent.OUTCOME_DELETED, actor=records_caseworker, target=document)
    admin = verified_login(client, records_caseworker)

    items = _history_items(admin, f"/admin/casework/child-records/{ar.child.pk}/documents/")

    assert items[0] == (CaseworkEvent.OUTCOME_DELETED.label, "Therapy report (report.pdf, 1 KB)")


def test_a_reported_change_opens_the_edit_form_with_what_was_reported_and_the_save_goes_back_to_its_row(
    client, records_caseworker, record, professional
):
    """ "Change … details" opened the edit form without the reported words, and saving left the caseworker on the
    child records list, far from the report to mark as dealt with."""
    ar, _, _ = record
    child = ar.child
    reports = [
        involvement_services.details_change_report(advice_request=ar, account=professional, details=f"Flat {n}")
        for n in range(ADMIN_PAGE_SIZE + 2)
    ]
    admin = verified_login(client, records_caseworker)
    listed = "/admin/casework/reported-changes/"
    page = BeautifulSoup(admin.get(listed, {"p": 2}).content, "html.parser")
    link = page.select("#reports a[href*='/edit/']")[1]
    report = reports[0]  # newest first: the first page holds the newest ones, the second the two oldest
    assert link["href"] == reverse("child_records:edit", args=[child.pk]) + f"?report={report.pk}&p=2&row=1"

    form_page = BeautifulSoup(admin.get(link["href"]).content, "html.parser")
    reported = form_page.select_one("[aria-labelledby=reported-change-heading]")
    assert "Flat 0" in reported.get_text() and str(professional) in reported.get_text()
    form = form_page.select_one("form#w-editor-form")
    assert form["action"] == link["href"]
    data = {
        field["name"]: field.get("value", "") for field in form.select("input[name]") if field["type"] != "checkbox"
    }
    data |= {
        select["name"]: (select.select_one("option[selected]") or {"value": ""})["value"]
        for select in form.select("select")
    }
    data |= {area["name"]: area.get_text() for area in form.select("textarea")}
    data["address"] = "Flat 0, 5 Kite Lane"

    saved = admin.post(form["action"], data)

    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert saved["Location"] == f"{listed}?p=2#report-{report.pk}"
    child.refresh_from_db()
    assert child.address == "Flat 0, 5 Kite Lane"


def test_the_edit_form_opened_otherwise_shows_no_report_and_goes_back_as_before(
    client, records_caseworker, record, professional
):
    ar, _, _ = record
    other = advice_request(professional, child=ChildRecordFactory())
    theirs = involvement_services.details_change_report(advice_request=other, account=professional, details="Wren Way")
    admin = verified_login(client, records_caseworker)

    for query in ("", f"?report={theirs.pk}", "?report=x"):
        page = admin.get(reverse("child_records:edit", args=[ar.child.pk]) + query)
        assert page.status_code == 200 and "Wren Way" not in page.content.decode(), query


def test_an_outcome_saved_with_only_its_outcome_shows_provision_and_timescale_as_not_answered(
    client, records_caseworker, record
):
    """The Outcomes page left out the Provision and Timescale lines of an outcome saved without them, while every
    other screen says "Not answered" for an empty part."""
    ar, _, _ = record
    admin = verified_login(client, records_caseworker)

    page = BeautifulSoup(admin.get(f"/admin/casework/child-records/{ar.child.pk}/outcomes/").content, "html.parser")

    lines = [small.get_text() for small in page.select("#listing tbody td small")]
    assert lines == ["Provision: Not answered", "Timescale: Not answered"]


def test_a_contacts_empty_organisation_and_contact_details_read_not_answered_on_both_sides(
    client, records_caseworker, record, professional
):
    """The staff Professional involvement page left an empty organisation's cell blank, and the portal's page left the
    Contact cell blank for a professional with neither email nor phone; both now say "Not answered"."""
    ar, _, _ = record
    involvement_services.contact_create(
        advice_request=ar, account=professional, data={"name": "Sam Rivers", "role": "Teacher", "team": team()}
    )
    admin = verified_login(client, records_caseworker)
    portal = verified_login(Client(), professional)

    staff_page = BeautifulSoup(
        admin.get(f"/admin/casework/child-records/{ar.child.pk}/contacts/").content, "html.parser"
    )
    portal_page = BeautifulSoup(portal.get(f"/portal/requests/{ar.pk}/contacts/").content, "html.parser")

    cells = [td.get_text() for td in staff_page.select("#listing tbody tr td")]
    assert cells[3:6] == ["Not answered", "Not answered", "Not answered"], cells
    assert portal_page.select_one('td[data-label="Contact"]').get_text() == "Not answered"
