"""A submitted form's final PDF is one of the child's documents: filed once, with the submitter, the time, the
reference and the version, listed beside the uploads, and downloaded through the one checked document view."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from filer.models import File

from advice_forms.models import SUBMITTED_ADVICE, AdviceRequest, Document, FormKind, RequestState, Submission
from advice_forms.selectors import documents_for_request
from advice_forms.services import submissions
from advice_forms.services.documents import document_delete, document_withdraw
from advice_forms.services.requests import submission_return
from advice_forms.services.submissions import submission_pdf_store
from advice_forms.tasks import submission_pdf_file
from cms.models import AuditEntry
from tests.advice_forms.portal.test_wizard import fill_all_steps, submit, url
from tests.factories.accounts import ProfessionalFactory, TOTPDeviceFactory, verified_login
from tests.factories.advice_forms import (
    AdviceRequestFactory,
    ChildRecordFactory,
    small_form_version,
    submission_make,
)
from tests.otp import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def advice_request(professional, small_form):
    child = ChildRecordFactory(first_name="Robin", last_name="Marchwood")
    return AdviceRequestFactory(account=professional, form_version=small_form, child=child)


@pytest.fixture
def submitted(verified_client, advice_request, django_capture_on_commit_callbacks):
    """The request filled in and submitted through the portal, with the filing task run."""
    fill_all_steps(verified_client, advice_request)
    with django_capture_on_commit_callbacks(execute=True):
        submit(verified_client, advice_request)
    return Submission.objects.get(request=advice_request)


def document_url(advice_request, document):
    return reverse("portal:request_document", kwargs={"pk": advice_request.pk, "document_pk": document.pk})


def test_submitting_files_the_pdf_as_a_document_with_submitter_time_reference_and_version(
    submitted, advice_request, professional, small_form
):
    document = Document.objects.get()
    assert document.submission == submitted
    assert (document.child, document.advice_request) == (advice_request.child, advice_request)
    assert (document.uploaded_by, document.uploaded_by_name) == (professional, "Oakfield Primary SENCO")
    assert document.uploaded_at == submitted.submitted_at
    assert document.submission.reference == submitted.reference and document.submission.number == 1
    assert document.submission.form_version == small_form
    assert document.title == f"{small_form.title} ({small_form.version_label}) – {submitted.reference}"
    assert document.document_type == SUBMITTED_ADVICE and document.document_type_label() == "Submitted advice"
    assert document.file_id == submitted.pdf.pk and document.size == submitted.pdf.size > 0
    assert document.original_filename == f"{submitted.reference}.pdf"
    assert document.is_current and documents_for_request(advice_request).get(pk=document.pk).downloadable
    entry = AuditEntry.objects.get(action="document.uploaded")
    assert (entry.target, entry.actor, entry.data) == (document, professional, {"submission": submitted.pk})


def test_the_submitted_pdf_is_listed_among_the_documents_and_not_withdrawn(verified_client, submitted, advice_request):
    document = Document.objects.get()
    AdviceRequest.objects.filter(pk=advice_request.pk).update(state=RequestState.RETURNED)

    page = verified_client.get(url("request_documents", advice_request)).content.decode()
    assert document.title in page and "Submitted advice" in page and "Your team" in page
    assert document_url(advice_request, document) in page
    withdraw = reverse("portal:request_document_withdraw", kwargs={"pk": advice_request.pk, "document_pk": document.pk})
    assert withdraw not in page
    assert verified_client.post(withdraw).status_code == 404
    with pytest.raises(PermissionError):
        document_withdraw(document=document, account=advice_request.account)
    document.refresh_from_db()
    assert document.is_current


def test_a_filed_appendix_b_is_named_by_the_forms_full_title_in_both_documents_lists(professional, caseworker_client):
    """The receipt, the email subject and the task list say "Educational advice (Appendix B)"; the filed PDF's file
    was named "Appendix B – Oakfield Primary SENCO (V1)" (the form's short label), a second name for the document
    both lists call by its title."""
    version = small_form_version(title="Educational advice (Appendix B)", kind=FormKind.APPENDIX_B)
    advice_request = AdviceRequestFactory(account=professional, form_version=version)
    submission = submission_make(advice_request, {})
    document = Document.objects.get(pk=submission_pdf_file(submission.pk))

    named = f"Educational advice (Appendix B) (V1) – {submission.reference}"
    assert document.title == document.file.name == named
    admin_list = caseworker_client.get(reverse("casework_documents", args=[advice_request.child.pk]))
    assert named in BeautifulSoup(admin_list.content, "html.parser").select_one("table").get_text()
    assert "Appendix B –" not in admin_list.content.decode()


def test_the_submitted_pdf_downloads_through_the_document_view_which_the_web_server_may_send(
    verified_client, professional, submitted, advice_request, settings
):
    document = Document.objects.get()
    settings.PORTAL_DOWNLOAD_ACCEL_PREFIX = "/protected-media/"

    old_link = verified_client.get(url("request_submission_pdf", advice_request, number=1))
    assert old_link.status_code == 302 and old_link.url == document_url(advice_request, document)
    response = verified_client.get(old_link.url)

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["X-Accel-Redirect"] == f"/protected-media/{submitted.pdf.file.name}"
    assert response["Content-Disposition"] == f'attachment; filename="{submitted.reference}.pdf"'
    assert "no-store" in response["Cache-Control"] and response.content == b""
    entry = AuditEntry.objects.get(action="document.downloaded")
    assert (entry.target, entry.actor) == (document, professional)


def test_another_account_gets_404_for_the_submitted_pdf(client, submitted, advice_request):
    document = Document.objects.get()
    other = ProfessionalFactory()
    TOTPDeviceFactory(user=other)
    sign_in(client, other)
    for address in (url("request_submission_pdf", advice_request, number=1), document_url(advice_request, document)):
        assert client.get(address).status_code == 404, address

    # Through its own request about the same child that shows initials only, the PDF is not there either.
    own = AdviceRequestFactory(account=other, child=advice_request.child, shows_child_name=False)
    assert client.get(document_url(own, document)).status_code == 404
    assert not AuditEntry.objects.filter(action="document.downloaded").exists()


def test_filing_twice_makes_one_document(verified_client, advice_request):
    fill_all_steps(verified_client, advice_request)
    submit(verified_client, advice_request)  # on_commit not run: the task has not run yet
    submission = Submission.objects.get()
    assert not Document.objects.exists()

    first = submission_pdf_file(submission.pk)
    second = submission_pdf_file(submission.pk)

    assert first == second == Document.objects.get().pk
    assert File.objects.count() == 1
    assert AuditEntry.objects.filter(action="document.uploaded").count() == 1


def test_a_version_whose_pdf_a_caseworker_deleted_offers_no_dead_link(
    verified_client, submitted, advice_request, caseworker
):
    document_delete(document=Document.objects.get(), by=caseworker, reason="Superseded by version 2")

    page = verified_client.get(url("request_detail", advice_request)).content.decode()

    pdf_link = reverse("portal:request_submission_pdf", kwargs={"pk": advice_request.pk, "number": 1})
    assert pdf_link not in page and "The SEND service removed this PDF" in page


def test_a_versions_download_link_is_left_off_paper_and_a_removed_pdfs_note_is_printed(
    verified_client, submitted, advice_request, caseworker
):
    """GOV.UK's print styles write a link's address after it, which means nothing on paper: the history's "Download
    the PDF" cell is not printed (GOV.UK's display-none-print); the note that the PDF was removed still is."""

    def actions_cell():
        page = verified_client.get(url("request_detail", advice_request)).content.decode()
        return BeautifulSoup(page, "html.parser").select_one(".govuk-summary-list__actions")

    cell = actions_cell()
    assert cell.get_text(" ", strip=True) == f"Download version 1 (PDF, {Document.objects.get().size_display})"
    assert "govuk-!-display-none-print" in cell["class"]

    document_delete(document=Document.objects.get(), by=caseworker, reason="Superseded by version 2")
    cell = actions_cell()
    assert cell.get_text(" ", strip=True) == "The SEND service removed this PDF"
    assert "govuk-!-display-none-print" not in cell["class"]


def test_each_link_to_a_filed_pdf_says_its_size_and_one_not_filed_yet_says_none(
    verified_client, advice_request, caseworker
):
    """GOV.UK: a link to a file ends with its type and size, "(PDF, 38 KB)", and says PDF once: the version history's
    and the review page's read "Download the PDF (38 KB)". The submitted PDF is a filed document of a known size;
    until the filing task has run it is made on the first download, and its size is not known."""
    fill_all_steps(verified_client, advice_request)
    submit(verified_client, advice_request)  # the filing task is left unqueued: no document yet
    review_url = reverse("review_queue:review", args=[advice_request.pk])
    staff = verified_login(Client(), caseworker)

    def links():
        confirmation = BeautifulSoup(
            verified_client.get(url("request_confirmation", advice_request, number=1)).content, "html.parser"
        )
        detail = BeautifulSoup(verified_client.get(url("request_detail", advice_request)).content, "html.parser")
        review = BeautifulSoup(staff.get(review_url).content, "html.parser")
        return [
            confirmation.find("a", string=lambda text: text and "copy of your form" in text).get_text(" ", strip=True),
            detail.select_one(".govuk-summary-list__actions a").get_text(" ", strip=True),
            review.select_one("#review-submission").find_next("a").get_text(" ", strip=True),
        ]

    reference = Submission.objects.get().reference
    before = links()
    submission_pdf_store(submission_id=Submission.objects.get().pk)
    size = Document.objects.get().size_display

    assert before == [
        "Download a copy of your form (PDF)",
        "Download version 1 (PDF)",
        f"Download {reference} (PDF)",
    ]
    assert size.endswith(" KB") and links() == [
        f"Download a copy of your form (PDF, {size})",
        f"Download version 1 (PDF, {size})",
        f"Download {reference} (PDF, {size})",
    ]


def _documents_types(client, advice_request):
    """Each row of the portal's documents list: (its title, its Type cell's words)."""
    page = BeautifulSoup(client.get(url("request_documents", advice_request)).content, "html.parser")
    rows = [row.find_all("td") for row in page.select("main table tbody tr")]
    return [(cells[0].contents[0].strip(), " ".join(cells[1].get_text(" ", strip=True).split())) for cells in rows]


def test_the_pdf_of_a_version_returned_and_submitted_again_reads_as_replaced_in_the_same_queries_however_many(
    verified_client, advice_request, caseworker
):
    """Both versions' PDFs read "Submitted advice" alone: nothing told the professional which was the advice under
    review. A replaced one says so in the staff's words, read in the list's one query whatever the number replaced."""
    submission_pdf_store(submission_id=submission_make(advice_request, {}).pk)

    def send_back_and_submit_again():
        submission_return(advice_request=advice_request, actor=caseworker, reason="Add the report.")
        submission_pdf_store(submission_id=submission_make(advice_request, {}).pk)

    def queries_reading_the_documents(replaced):
        with CaptureQueriesContext(connection) as queries:
            types = dict(_documents_types(verified_client, advice_request))
        newest = Document.objects.get(submission__number=replaced + 1)
        assert types.pop(newest.title) == "Submitted advice"
        assert list(types.values()) == [f"Submitted advice Replaced by submission {replaced + 1}"] * replaced
        return [query["sql"] for query in queries]

    assert _documents_types(verified_client, advice_request)[0][1] == "Submitted advice"
    submission_return(advice_request=advice_request, actor=caseworker, reason="Add the report.")
    assert _documents_types(verified_client, advice_request)[0][1] == "Submitted advice"  # not replaced yet
    submission_pdf_store(submission_id=submission_make(advice_request, {}).pk)
    _documents_types(verified_client, advice_request)  # the first read may fill caches Django keeps
    one_replaced = queries_reading_the_documents(1)
    send_back_and_submit_again()
    send_back_and_submit_again()
    three_replaced = queries_reading_the_documents(3)
    assert len(three_replaced) == len(one_replaced), three_replaced


def test_another_accounts_replaced_pdf_is_not_offered_for_access_and_reads_as_replaced_where_made_available(
    verified_client, advice_request, caseworker, small_form
):
    """Another account's returned version, replaced by its next, was listed as plain "Submitted advice" with a
    Request access button: the advice under review is the later one, so the earlier one is not listed unless a
    caseworker made it available, and then it says "Replaced by submission 2" as the staff's list does, with no
    query each."""
    other = AdviceRequestFactory(account=ProfessionalFactory(), form_version=small_form, child=advice_request.child)
    submission_pdf_store(submission_id=submission_make(other, {}).pk)
    submission_return(advice_request=other, actor=caseworker, reason="Add the report.")
    submission_pdf_store(submission_id=submission_make(other, {}).pk)
    first, second = Document.objects.filter(submission__request=other).order_by("submission__number")

    assert advice_request.shows_child_name
    assert [d.pk for d in documents_for_request(advice_request)] == [second.pk]
    assert _documents_types(verified_client, advice_request) == [(second.title, "Submitted advice")]
    assert verified_client.get(document_url(advice_request, first)).status_code == 404

    first.available_to.add(advice_request.account)
    listed = list(documents_for_request(advice_request))
    with CaptureQueriesContext(connection) as queries:
        replaced = [document.replaced_by for document in listed]
    assert replaced == [None, 2] and not queries
    assert dict(_documents_types(verified_client, advice_request)) == {
        second.title: "Submitted advice",
        first.title: "Submitted advice Replaced by submission 2",
    }


def test_the_pdf_is_rendered_before_the_transaction_that_files_it(verified_client, advice_request, monkeypatch):
    """Rendering takes seconds: inside the filing transaction it held SQLite's one write lock (every transaction
    begins IMMEDIATE) all that time, and a caseworker's return or a professional's submit waited for it, or failed
    with "database is locked". Rendered outside, it holds none; the filing is still one document."""
    fill_all_steps(verified_client, advice_request)
    submit(verified_client, advice_request)  # on_commit not run: the task has not run yet
    submission = Submission.objects.get()
    rendered = submissions.submission_pdf_render
    depths = []

    def render(submission):
        depths.append(len(connection.atomic_blocks))
        return rendered(submission)

    monkeypatch.setattr(submissions, "submission_pdf_render", render)
    depth = len(connection.atomic_blocks)  # the test's own transaction

    document = submission_pdf_store(submission_id=submission.pk)

    assert depths == [depth]
    assert Document.objects.get() == document and document.file.file.read().startswith(b"%PDF-")


def test_a_pdf_rendered_while_another_run_filed_it_is_not_filed_again(verified_client, advice_request, monkeypatch):
    """Two runs at once (the task, and a download asked for before it ran) may both render; the one that files second
    finds the first's document and keeps it: one document, one stored file, one audit entry."""
    fill_all_steps(verified_client, advice_request)
    submit(verified_client, advice_request)
    submission = Submission.objects.get()
    rendered = submissions.submission_pdf_render
    renders, other_runs = [], []

    def render(submission):
        renders.append(submission.pk)
        if len(renders) == 1:  # the other run renders and files while this one renders
            other_runs.append(submission_pdf_store(submission_id=submission.pk))
        return rendered(submission)

    monkeypatch.setattr(submissions, "submission_pdf_render", render)

    document = submission_pdf_store(submission_id=submission.pk)

    assert renders == [submission.pk] * 2
    assert other_runs == [document] == [Document.objects.get()]
    assert File.objects.count() == 1
    assert AuditEntry.objects.filter(action="document.uploaded").count() == 1
