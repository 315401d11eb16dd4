"""Documents around the form: checked uploads that store nothing when refused, and checked downloads."""

import io
import os
import re
import tracemalloc
import zlib

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from filer.models import File

from advice_forms.form_builder import FormBuilder
from advice_forms.models import AccessRequest, Document, DocumentState, RequestState, Submission
from cms.models import AuditEntry
from cms.pdf_checks import UploadProblem, too_big_when_opened_message, too_many_pages_message
from tests.factories.accounts import (
    OrganisationFactory,
    ProfessionalFactory,
    TOTPDeviceFactory,
    staff_in_group,
)
from tests.factories.advice_forms import (
    ChildRecordFactory,
    advice_request,
    definition,
    document_copies,
    document_types,
    padded_pdf,
    pdf_bytes,
    question,
    section,
    submission_make,
)
from tests.govuk import first_in_main
from tests.multipart import post_raw_multipart
from tests.otp import sign_in
from tests.pdfs import (
    action_on_open,
    annotation,
    embedded_file,
    inflating_to,
    javascript_on_open,
    launch_link,
    many_pages,
    raw_pdf,
    report_with_links_and_a_form,
    xfa_form,
    zlib_zeros,
)

MB = 1024 * 1024


@pytest.fixture
def coordinator(db):
    return staff_in_group("SEND caseworker", email="coordinator@kestrelford.example.org")


@pytest.fixture
def ersa(professional, coordinator):
    document_types()
    child = ChildRecordFactory(first_name="Ariadne", last_name="Quill", coordinator=coordinator)
    return advice_request(professional, child=child)


def _url(ar, suffix=""):
    return f"/portal/requests/{ar.pk}/documents/{suffix}"


def _stored_files():
    root = os.path.join(settings.MEDIA_ROOT, "private")
    return sorted(os.path.join(d, f) for d, _, files in os.walk(root) for f in files)


def _upload(client, ar, data, name="report.pdf", title="Speech therapy report", content_type="application/pdf"):
    return client.post(
        _url(ar),
        {"title": title, "document_type": "report", "file": SimpleUploadedFile(name, data, content_type=content_type)},
    )


def _raw_upload(client, ar, filename: bytes, data: bytes):
    fields = {"title": "A title", "document_type": "report"}
    return post_raw_multipart(client, _url(ar), fields, "file", filename, data, "application/pdf")


def test_a_real_pdf_is_filed_privately_with_a_generated_name_and_listed(verified_client, ersa, professional):
    stored_before = _stored_files()
    response = _upload(verified_client, ersa, pdf_bytes(pages=2), name="Jo's report (final).pdf")

    assert response.status_code == 302
    document = Document.objects.get()
    assert document.uploaded_by == professional
    assert document.child == ersa.child and document.advice_request == ersa
    assert document.original_filename == "Jo_s report (final).pdf"
    assert document.file.is_public is False
    assert "report" not in document.file.file.name  # generated stored name
    assert document.file.folder.name == f"Child record {ersa.child.pk}"
    assert _stored_files() == sorted([*stored_before, document.file.file.path])
    assert AuditEntry.objects.filter(action="document.uploaded", target_id=str(document.pk)).exists()
    page = verified_client.get(_url(ersa)).content.decode()
    assert "Speech therapy report" in page and "Professional report" in page and "Download" in page


def test_the_list_costs_the_same_queries_for_one_document_as_for_twenty(verified_client, ersa):
    """Each document's type is named from the document types list, read once for the whole list."""

    def queries():
        with CaptureQueriesContext(connection) as captured:
            page = BeautifulSoup(verified_client.get(_url(ersa)).content, "html.parser")
        return len(captured), {cell.get_text(strip=True) for cell in page.select('td[data-label="Type"]')}

    assert _upload(verified_client, ersa, pdf_bytes()).status_code == 302
    verified_client.get(_url(ersa))  # the first list after a redirect reads its flash message
    one = queries()
    document = Document.objects.get()
    assert document.document_type_label() == "Professional report"  # read alone, it reads the list itself
    document_copies(document, 19)

    assert one[1] == {"Professional report"}
    assert queries() == (one[0], {"Professional report", "Support plan"})


BAD_UPLOADS = [
    ("text renamed .pdf", b"Dear SENCO,\nthis is plain text.\n", "notes.pdf", UploadProblem.NOT_REAL_PDF),
    ("PNG renamed .pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "scan.pdf", UploadProblem.NOT_REAL_PDF),
    ("text", b"Dear SENCO,\nthis is plain text.\n", "notes.txt", UploadProblem.NOT_PDF),
    ("0 bytes", b"", "empty.pdf", UploadProblem.EMPTY),
    ("encrypted", "encrypted", "locked.pdf", UploadProblem.ENCRYPTED),
    ("truncated", "truncated", "cut.pdf", UploadProblem.UNREADABLE),
    ("3 MB + 1 byte", "oversized", "big.pdf", "The selected file must be 3MB or smaller"),
]


@pytest.mark.parametrize(("case", "data", "name", "message"), BAD_UPLOADS, ids=[c[0] for c in BAD_UPLOADS])
def test_bad_uploads_are_refused_with_their_own_message_and_store_nothing(
    verified_client, ersa, case, data, name, message
):
    if data == "encrypted":
        data = pdf_bytes(password="secret")
    elif data == "truncated":
        data = pdf_bytes(pages=3)[:-150]
    elif data == "oversized":
        data = padded_pdf(settings.PORTAL_MAX_UPLOAD_MB * MB + 1)
    files_before, stored_before = File.objects.count(), _stored_files()

    response = _upload(verified_client, ersa, data, name=name)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(message) == 2, f"{case}: beside the field and in the summary"
    assert "There is a problem" in html
    assert "govuk-file-upload--error" in html
    assert Document.objects.count() == 0
    assert File.objects.count() == files_before
    assert _stored_files() == stored_before


def test_the_hostile_test_files_are_what_they_claim():
    from pypdf import PdfReader

    assert 550_000 < len(many_pages()) < 650_000
    assert len(PdfReader(io.BytesIO(many_pages(pages=2000))).pages) == 2000
    assert 900_000 < len(inflating_to(1024)) < 1_200_000
    assert len(zlib.decompress(zlib_zeros(4))) == 4 * 1024 * 1024
    assert "notes.txt" in PdfReader(io.BytesIO(embedded_file())).attachments


HOSTILE_UPLOADS = [
    ("JavaScript in /OpenAction", javascript_on_open, UploadProblem.SCRIPT),
    ("a /Launch action", launch_link, UploadProblem.LAUNCH),
    ("an embedded file", embedded_file, UploadProblem.EMBEDDED),
    ("an XFA form with a script", xfa_form, UploadProblem.XFA_FORM),
    (
        "a /GoToR to a UNC path in /OpenAction",
        lambda: action_on_open(rb"<< /S /GoToR /F (\\\\attacker\\share\\x.pdf) /D [0 /Fit] >>"),
        UploadProblem.LAUNCH,
    ),
    (
        "a movie annotation playing a file from a UNC path",
        lambda: annotation(rb"/Subtype /Movie /Movie << /F (\\\\attacker\\share\\x.mov) >>"),
        UploadProblem.MEDIA,
    ),
    ("100,000 pages in 600 KB", many_pages, too_many_pages_message),
    ("100,000 pages under a /Count of 1", lambda: many_pages(declared=1), too_many_pages_message),
    ("1 MB inflating to 1 GB", lambda: inflating_to(1024), too_big_when_opened_message),
]


@pytest.mark.parametrize(("case", "build", "message"), HOSTILE_UPLOADS, ids=[c[0] for c in HOSTILE_UPLOADS])
def test_active_or_oversized_content_is_refused_with_its_own_message_and_stores_nothing(
    verified_client, ersa, case, build, message
):
    data = build()
    message = message if isinstance(message, str) else message()
    files_before, stored_before = File.objects.count(), _stored_files()

    tracemalloc.start()
    try:
        response = _upload(verified_client, ersa, data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(message) == 2, f"{case}: beside the field and in the summary"
    assert "govuk-file-upload--error" in html
    assert Document.objects.count() == 0
    assert File.objects.count() == files_before
    assert _stored_files() == stored_before
    assert peak < 64 * MB, f"{case}: checking the upload must not inflate it ({peak // MB} MB used)"


def test_page_limit_is_a_setting_and_exact(verified_client, ersa, settings):
    settings.PORTAL_MAX_UPLOAD_PAGES = 2000
    assert _upload(verified_client, ersa, many_pages(pages=2000), title="Long report").status_code == 302
    too_many = _upload(verified_client, ersa, many_pages(pages=2001, per_node=2001), title="Longer report")
    assert too_many.content.decode().count("The selected file must have 2000 pages or fewer") == 2
    assert Document.objects.count() == 1


def test_an_ordinary_pdf_with_compressed_text_links_and_an_open_action_is_accepted(verified_client, ersa):
    text = zlib.compress(b"BT /F1 12 Tf 10 100 Td (Speech and language therapy report) Tj ET\n" * 200)
    data = raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>",
        b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> /Annots [6 0 R] >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%b\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Annot /Subtype /Link /Rect [10 10 100 30] /A << /S /URI /URI (https://www.example.org/) >> >>",
    )

    response = _upload(verified_client, ersa, data)

    assert response.status_code == 302
    assert Document.objects.count() == 1


def test_a_report_with_web_links_and_a_plain_fillable_field_is_accepted(verified_client, ersa):
    response = _upload(verified_client, ersa, report_with_links_and_a_form())

    assert response.status_code == 302
    assert Document.objects.count() == 1


def test_the_size_limit_is_exact_a_file_of_exactly_the_limit_is_accepted(verified_client, ersa, settings):
    settings.PORTAL_MAX_UPLOAD_MB = 1
    assert _upload(verified_client, ersa, padded_pdf(MB)).status_code == 302
    assert Document.objects.count() == 1


@pytest.mark.parametrize(
    "filename",
    [
        b"..\\..\\windows\\report.pdf",
        b"../../etc/report.pdf",
        b"report\x07\x1b.pdf",
        "report\u202efdp.exe".encode(),  # reads "reportexe.pdf"
        "re\u200bport.pdf".encode(),
        "\u202e".encode(),  # no name left once cleaned: refused in words, not "no file chosen"
    ],
    # Plain ids: a test id is also a command-line argument (make mutate selects tests by id).
    ids=[
        "backslashes",
        "slashes",
        "control-characters",
        "right-to-left-override",
        "zero-width-space",
        "nothing-but-hidden",
    ],
)
def test_file_names_with_path_separators_or_invisible_characters_are_refused(verified_client, ersa, filename):
    stored_before = _stored_files()

    response = _raw_upload(verified_client, ersa, filename, pdf_bytes())

    assert response.status_code == 200
    assert response.content.decode().count(UploadProblem.BAD_NAME) == 2
    assert Document.objects.count() == 0 and File.objects.count() == 0
    assert _stored_files() == stored_before


def test_missing_title_type_and_file_each_get_a_message(verified_client, ersa):
    html = verified_client.post(_url(ersa), {"title": "", "document_type": ""}).content.decode()

    for message in ("Enter a title for the document", "Select the type of document", UploadProblem.MISSING):
        assert html.count(message) == 2
    assert Document.objects.count() == 0


def test_a_valid_file_chosen_with_other_answers_missing_is_asked_for_again_beside_its_field(verified_client, ersa):
    stored_before = _stored_files()
    response = verified_client.post(
        _url(ersa),
        {
            "title": "",
            "document_type": "",
            "file": SimpleUploadedFile("Speech report.pdf", pdf_bytes(), content_type="application/pdf"),
        },
    )

    html = response.content.decode()
    soup = BeautifulSoup(html, "html.parser")
    message = "The file you chose was not uploaded: Speech report.pdf. Choose it again"
    assert message in soup.select_one("#file-error").get_text()
    summary = soup.select_one(".govuk-error-summary")
    assert summary.find("a", href="#id_file").get_text(strip=True) == message
    assert "Enter a title for the document" in summary.get_text()
    assert 'aria-describedby="file-hint file-error"' in html
    assert Document.objects.count() == 0 and _stored_files() == stored_before


def test_no_upload_once_the_advice_is_accepted(verified_client, ersa):
    ersa.state = RequestState.ACCEPTED
    ersa.save()

    response = _upload(verified_client, ersa, pdf_bytes())

    assert response.status_code == 302
    assert Document.objects.count() == 0
    html = verified_client.get(_url(ersa)).content.decode()
    assert "Upload a document" not in html and "accepted this advice, so documents can no longer be added" in html


def test_a_document_added_after_submission_is_listed_so_and_the_coordinator_told(
    verified_client, ersa, coordinator, django_capture_on_commit_callbacks
):
    _upload(verified_client, ersa, pdf_bytes(), title="Before submitting")
    submission_make(ersa, {})
    page = verified_client.get(_url(ersa)).content.decode()
    assert "Upload a document" in page and "You can still add supporting documents until" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(verified_client, ersa, pdf_bytes(), title="After submitting")

    assert response.status_code == 302
    assert Document.objects.filter(title="After submitting").exists()
    rows = verified_client.get(_url(ersa)).content.decode().split("<tr")
    after = next(row for row in rows if "After submitting<br>" in row)
    before = next(row for row in rows if "Before submitting<br>" in row)
    assert "Added after submission" in after and "Added after submission" not in before
    told = [m for m in mail.outbox if m.to == [coordinator.email]]
    assert len(told) == 1 and "added to advice it has submitted" in told[0].subject
    assert "Ariadne" not in told[0].body and "Quill" not in told[0].body and "After submitting" not in told[0].body


# Downloads


@pytest.fixture
def colleague(ersa):
    """Another team account with its own request on the same child, signed in in its own browser."""
    account = ProfessionalFactory(organisation=OrganisationFactory(name="Kestrelford Speech Therapy"))
    TOTPDeviceFactory(user=account)
    own = advice_request(account, child=ersa.child)
    client = Client()
    sign_in(client, account)
    return account, own, client


def _assert_download_headers(response, filename):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_own_upload_downloads_with_safe_headers(verified_client, ersa):
    data = pdf_bytes()
    _upload(verified_client, ersa, data, name='weird "name"; x.pdf')
    document = Document.objects.get()

    response = verified_client.get(_url(ersa, f"{document.pk}/"))

    _assert_download_headers(response, "weird _name__ x.pdf")
    assert b"".join(response.streaming_content) == data
    assert AuditEntry.objects.filter(action="document.downloaded").count() == 1


def test_not_available_document_offers_request_access_which_tells_the_coordinator(
    verified_client, ersa, colleague, django_capture_on_commit_callbacks
):
    _upload(verified_client, ersa, pdf_bytes())
    document = Document.objects.get()
    account, own, client = colleague

    listing = client.get(f"/portal/requests/{own.pk}/documents/").content.decode()
    page = client.get(f"/portal/requests/{own.pk}/documents/{document.pk}/")

    assert "Request access" in listing
    assert page.status_code == 200 and "Request access" in page.content.decode()
    assert "access denied" not in page.content.decode().lower()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/portal/requests/{own.pk}/documents/{document.pk}/request-access/")
        client.post(f"/portal/requests/{own.pk}/documents/{document.pk}/request-access/")  # a double click
    assert AccessRequest.objects.filter(document=document, account=account).count() == 1
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["coordinator@kestrelford.example.org"]
    assert "Ariadne" not in email.body + email.subject and "Quill" not in email.body
    assert document.title not in email.body
    assert "Access requested" in client.get(f"/portal/requests/{own.pk}/documents/").content.decode()


def test_made_available_document_downloads(verified_client, ersa, colleague, coordinator):
    from advice_forms.services import documents as document_services

    _upload(verified_client, ersa, pdf_bytes())
    document = Document.objects.get()
    account, own, client = colleague
    document_services.document_availability_set(document=document, accounts=[account], by=coordinator)

    _assert_download_headers(client.get(f"/portal/requests/{own.pk}/documents/{document.pk}/"), "report.pdf")


def test_an_account_seeing_the_child_by_initials_only_is_given_none_of_its_documents_whatever_was_stored(
    verified_client, ersa
):
    """A speech therapy account shared the child by initials only was made able to download another account's
    upload (stored before, or posted by hand): the list showed Download and the PDF named the child in full. Through
    an initials-only request the account now downloads only its own uploads: another's is neither listed nor found
    (404), a SEND service's document is listed without a way to ask for it, and asking anyway stores nothing."""
    from advice_forms.models import AdviceRequest

    _upload(verified_client, ersa, pdf_bytes(), title="Full details report")
    document = Document.objects.get()
    account = ProfessionalFactory(display_name="Kestrelford SLT")
    TOTPDeviceFactory(user=account)
    initials = advice_request(account, child=ersa.child, shows_child_name=False)
    document.available_to.add(account)  # whatever was stored before
    service_document = Document.objects.create(
        child=ersa.child, title="Plan from the SEND service", file=document.file, size=document.size
    )
    client = Client()
    sign_in(client, account)

    listing = BeautifulSoup(client.get(_url(initials)).content, "html.parser").get_text(" ")
    assert "Full details report" not in listing and "Download" not in listing
    assert "Plan from the SEND service" in listing and "Request access" not in listing
    assert (
        "Your team sees this child by initials only" in listing
        and "can download only the documents it added" in listing
    )
    assert client.get(_url(initials, f"{document.pk}/")).status_code == 404
    assert client.get(_url(initials, f"{service_document.pk}/")).status_code == 404
    client.post(_url(initials, f"{service_document.pk}/request-access/"))
    assert not AccessRequest.objects.exists()
    assert not AuditEntry.objects.filter(action="document.downloaded").exists()

    # Shared in full afterwards (a request of its own showing the name), the account downloads it through that one.
    AdviceRequest.objects.filter(pk=initials.pk).update(shows_child_name=True)
    _assert_download_headers(client.get(_url(initials, f"{document.pk}/")), "report.pdf")


def test_added_after_submission_is_told_only_through_the_request_it_was_added_to(
    verified_client, ersa, colleague, coordinator
):
    """Another account to whom the document was made available saw "Added after submission": a tag about a submission
    that is not theirs (they had submitted nothing)."""
    from advice_forms.services import documents as document_services

    submission_make(ersa, {})
    _upload(verified_client, ersa, pdf_bytes(), title="After submitting")
    document = Document.objects.get()
    account, own, client = colleague
    document_services.document_availability_set(document=document, accounts=[account], by=coordinator)

    own_row = next(
        r for r in verified_client.get(_url(ersa)).content.decode().split("<tr") if "After submitting<br>" in r
    )
    their_row = next(r for r in client.get(_url(own)).content.decode().split("<tr") if "After submitting<br>" in r)
    assert "Added after submission" in own_row
    assert "Added after submission" not in their_row


def test_another_childs_document_or_another_accounts_request_is_not_found(verified_client, ersa, colleague):
    _upload(verified_client, ersa, pdf_bytes())
    document = Document.objects.get()
    account, own, client = colleague
    stranger = ProfessionalFactory()
    elsewhere = advice_request(stranger)  # a request on another child

    assert verified_client.get(f"/portal/requests/{own.pk}/documents/{document.pk}/").status_code == 404
    assert verified_client.get(f"/portal/requests/{own.pk}/documents/").status_code == 404
    stranger_client = Client()
    TOTPDeviceFactory(user=stranger)
    sign_in(stranger_client, stranger)
    assert stranger_client.get(f"/portal/requests/{elsewhere.pk}/documents/{document.pk}/").status_code == 404
    assert stranger_client.post(f"/portal/requests/{elsewhere.pk}/documents/{document.pk}/withdraw/").status_code == 404


def test_anonymous_download_goes_to_sign_in(verified_client, ersa):
    _upload(verified_client, ersa, pdf_bytes())
    document = Document.objects.get()

    response = Client().get(_url(ersa, f"{document.pk}/"))

    assert response.status_code == 302 and response.url.startswith("/portal/sign-in/")


def test_the_web_server_can_send_the_bytes_after_the_check(verified_client, ersa, settings):
    _upload(verified_client, ersa, pdf_bytes())
    document = Document.objects.get()
    settings.PORTAL_DOWNLOAD_ACCEL_PREFIX = "/protected-media/"

    response = verified_client.get(_url(ersa, f"{document.pk}/"))

    _assert_download_headers(response, "report.pdf")
    assert response["X-Accel-Redirect"] == f"/protected-media/{document.file.file.name}"
    assert response.content == b""


def _back_and_cancel(html):
    """The page's back link (href, words), its Cancel's href (None without one) and every other link back."""
    main = BeautifulSoup(html, "html.parser").find("main")
    back = BeautifulSoup(html, "html.parser").find("a", class_="govuk-back-link")
    cancel = main.find("a", string="Cancel")
    others = [a["href"] for a in main.find_all("a", string=re.compile(r"^Back to"))]
    return (back["href"], back.get_text()), cancel and cancel["href"], others


def _first_step(ar):
    return FormBuilder.for_version(ar.form_version).sections()[0]


def test_the_request_access_page_has_one_way_back_to_where_it_was_opened_from(verified_client, ersa, colleague):
    """Its back link said "Back to the request" and went to the request page, while a second link at its foot said
    "Back to documents": two ways back, to two places. It now has one, to the documents, or to the wizard step it
    was opened from (as every page around the form does), and asking for access goes back there too."""
    _upload(verified_client, ersa, pdf_bytes())
    document = Document.objects.get()
    _account, own, client = colleague
    page = f"/portal/requests/{own.pk}/documents/{document.pk}/"

    back, _cancel, others = _back_and_cancel(client.get(page).content.decode())
    assert (back, others) == ((_url(own), "Back to documents"), [])

    step = _first_step(own)
    step_url = reverse("portal:request_step", kwargs={"pk": own.pk, "step": step.key})
    html = client.get(f"{page}?step={step.key}").content.decode()
    back, _cancel, others = _back_and_cancel(html)
    assert (back, others) == ((step_url, f"Back to “{step.title}”"), [])
    action = BeautifulSoup(html, "html.parser").find("form", action=re.compile("request-access"))["action"]
    assert action == f"{page}request-access/?step={step.key}"
    assert client.post(action).url == step_url


# Withdrawing


def test_own_upload_is_withdrawn_softly_and_audited_while_the_request_is_open(verified_client, ersa):
    _upload(verified_client, ersa, pdf_bytes())
    document = Document.objects.get()

    assert verified_client.get(_url(ersa, f"{document.pk}/withdraw/")).status_code == 200
    response = verified_client.post(_url(ersa, f"{document.pk}/withdraw/"))

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.state == DocumentState.WITHDRAWN
    assert File.objects.filter(pk=document.file_id).exists()  # soft: the file is kept
    assert AuditEntry.objects.filter(action="document.withdrawn", target_id=str(document.pk)).exists()
    assert verified_client.get(_url(ersa, f"{document.pk}/")).status_code == 404
    verified_client.get(_url(ersa))  # shows the success message once
    assert "Speech therapy report" not in verified_client.get(_url(ersa)).content.decode()


def test_the_withdraw_page_goes_back_to_the_documents_as_its_cancel_does(verified_client, ersa):
    """ "Back to the request" went to the request page while Cancel went to the documents."""
    _upload(verified_client, ersa, pdf_bytes())
    document = Document.objects.get()

    soup = BeautifulSoup(verified_client.get(_url(ersa, f"{document.pk}/withdraw/")).content, "html.parser")

    back = soup.find("a", class_="govuk-back-link")
    assert (back["href"], back.get_text()) == (_url(ersa), "Back to documents")
    assert soup.find("a", string="Cancel")["href"] == _url(ersa)


def test_the_withdraw_page_opened_from_a_step_goes_back_to_that_step_as_its_cancel_and_withdrawing_do(
    verified_client, ersa
):
    """Opened from a wizard step (``?step=``), the withdraw page went back to the documents, unlike every other page
    around the form."""
    _upload(verified_client, ersa, pdf_bytes())
    document = Document.objects.get()
    step = _first_step(ersa)
    step_url = reverse("portal:request_step", kwargs={"pk": ersa.pk, "step": step.key})
    page = _url(ersa, f"{document.pk}/withdraw/?step={step.key}")

    back, cancel, others = _back_and_cancel(verified_client.get(page).content.decode())
    assert (back, cancel, others) == ((step_url, f"Back to “{step.title}”"), step_url, [])
    assert verified_client.post(page).url == step_url
    assert Document.objects.get().state == DocumentState.WITHDRAWN


def test_withdrawing_is_refused_after_submission(verified_client, ersa):
    _upload(verified_client, ersa, pdf_bytes())
    document = Document.objects.get()
    ersa.state = RequestState.SUBMITTED
    ersa.save()

    verified_client.post(_url(ersa, f"{document.pk}/withdraw/"))

    document.refresh_from_db()
    assert document.state == DocumentState.CURRENT


def test_someone_elses_upload_cannot_be_withdrawn(verified_client, ersa, colleague):
    _upload(verified_client, ersa, pdf_bytes())
    document = Document.objects.get()
    account, own, client = colleague

    assert client.post(f"/portal/requests/{own.pk}/documents/{document.pk}/withdraw/").status_code == 404
    document.refresh_from_db()
    assert document.state == DocumentState.CURRENT


def test_the_file_input_is_govuk_frontends_file_upload_component_with_and_without_errors(verified_client, ersa):
    wrapper = '<div class="govuk-file-upload-wrapper" data-module="govuk-file-upload"><input type="file" name="file"'

    page = verified_client.get(_url(ersa)).content.decode()
    refused = _upload(verified_client, ersa, b"not a pdf").content.decode()

    assert wrapper in page
    assert wrapper in refused and 'class="govuk-file-upload govuk-file-upload--error"' in refused


def test_the_error_summary_comes_before_the_caption_and_the_heading(verified_client, ersa):
    response = _upload(verified_client, ersa, b"", name="empty.pdf")

    assert "There is a problem" in response.content.decode()
    assert first_in_main(response.content.decode()) == "error summary"


def test_withdrawing_a_file_questions_upload_takes_its_answer_out_until_a_new_file_is_uploaded(
    verified_client, professional
):
    questions = [
        question("file", "Latest school report", key="report"),
        question("short_text", "Reading age", key="age"),
    ]
    version = definition([section("Evidence", questions, key="evidence")])
    ar = advice_request(professional, version=version)
    step = f"/portal/requests/{ar.pk}/steps/evidence/"
    report = SimpleUploadedFile("report.pdf", pdf_bytes(), content_type="application/pdf")
    assert verified_client.post(step, {"report": report, "age": "7 years", "action": "continue"}).status_code == 302
    document = Document.objects.get(advice_request=ar)
    # Audited with where it came from, as an upload on the documents page is (it had no address).
    uploaded = AuditEntry.objects.get(action="document.uploaded", target_id=str(document.pk))
    assert uploaded.ip_address == "127.0.0.1" and uploaded.actor == professional

    assert verified_client.post(_url(ar, f"{document.pk}/withdraw/")).status_code == 302

    ar.refresh_from_db()
    assert ar.answers == {"evidence": {"age": "7 years"}}  # what was typed beside it is kept
    assert "evidence" not in ar.completed_sections
    assert "You have uploaded" not in verified_client.get(step).content.decode()
    check = verified_client.get(f"/portal/requests/{ar.pk}/check-answers/").content.decode()
    assert "“Latest school report” in “Evidence”: Not answered yet" in check and "report.pdf" not in check
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', check).group(1)
    refused = verified_client.post(f"/portal/requests/{ar.pk}/submit/", {"idempotency_key": key})
    assert "“Latest school report” in “Evidence”: Not answered yet" in refused.content.decode()
    assert not Submission.objects.exists()

    newer = SimpleUploadedFile("newer.pdf", pdf_bytes(), content_type="application/pdf")
    assert verified_client.post(step, {"report": newer, "age": "7 years", "action": "continue"}).status_code == 302
    assert verified_client.post(f"/portal/requests/{ar.pk}/submit/", {"idempotency_key": key}).status_code == 302
    sent = Submission.objects.get(request=ar).answers["evidence"]["report"]
    assert sent["name"] == "newer.pdf" and sent["document"] != document.pk


def test_the_documents_list_names_each_file_as_the_caseworkers_list_does(verified_client, professional):
    """A file question's upload is titled by its file's name (its question's label is written to the account filling
    the form), and the file's name and size read under it as under any other upload."""
    version = definition([section("Evidence", [question("file", "Latest school report", key="report")], key="e")])
    ar = advice_request(professional, version=version)
    report = SimpleUploadedFile("Spring term 2026.pdf", pdf_bytes(), content_type="application/pdf")
    assert verified_client.post(f"/portal/requests/{ar.pk}/steps/e/", {"report": report, "action": "continue"})

    soup = BeautifulSoup(verified_client.get(_url(ar)).content, "html.parser")
    title = soup.select_one("td[data-label='Title']")
    assert " ".join(title.get_text(" ", strip=True).split()) == "Spring term 2026 Spring term 2026.pdf (PDF, 1 KB)"


def _folders_under(root):
    return {directory for directory, _, _ in os.walk(root)}


def test_an_uploaded_file_and_the_folders_made_for_it_are_the_service_users_and_its_groups_alone(verified_client, ersa):
    """Under the usual umask (022) Django left an upload 0644 and each folder it made 0755: every account on the
    server could read a child's documents."""
    private = os.path.join(settings.MEDIA_ROOT, "private")
    folders_before = _folders_under(private)
    previous = os.umask(0o022)
    try:
        response = _upload(verified_client, ersa, pdf_bytes(pages=1))
    finally:
        os.umask(previous)

    assert response.status_code == 302
    path = Document.objects.get().file.file.path
    assert oct(os.stat(path).st_mode & 0o777) == oct(0o640)
    made = _folders_under(private) - folders_before
    assert os.path.dirname(path) in made
    assert {folder: oct(os.stat(folder).st_mode & 0o777) for folder in made} == {folder: oct(0o750) for folder in made}


def test_a_head_request_for_a_download_is_not_audited_as_a_download(verified_client, ersa):
    """A download manager sends HEAD before the GET: only the GET, which sends the file, is a download."""
    _upload(verified_client, ersa, pdf_bytes())
    document = Document.objects.get()

    response = verified_client.head(_url(ersa, f"{document.pk}/"))

    assert response.status_code == 405
    assert not AuditEntry.objects.filter(action="document.downloaded").exists()
