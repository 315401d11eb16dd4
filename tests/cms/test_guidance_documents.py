"""Guidance documents that staff upload to Wagtail pass the same PDF content checks as professionals' uploads."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents.models import Document
from wagtail.models import Collection

from cms.pdf_checks import UploadProblem, too_many_pages_message
from tests.factories.advice_forms import padded_pdf, pdf_bytes
from tests.pdfs import embedded_file, javascript_on_open, launch_link, many_pages, xfa_form


def _add(client, data, name="leaflet.pdf"):
    return client.post(
        "/admin/documents/add/",
        {
            "title": "Guidance leaflet",
            "file": SimpleUploadedFile(name, data, content_type="application/pdf"),
            "collection": Collection.get_first_root_node().pk,
        },
    )


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (javascript_on_open, UploadProblem.SCRIPT),
        (launch_link, UploadProblem.LAUNCH),
        (embedded_file, UploadProblem.EMBEDDED),
        (xfa_form, UploadProblem.XFA_FORM),
        (many_pages, None),
    ],
    ids=["javascript", "launch", "embedded-file", "xfa-form", "100000-pages"],
)
def test_a_guidance_pdf_with_active_content_or_too_many_pages_is_refused(verified_admin_client, build, message):
    response = _add(verified_admin_client, build())

    assert response.status_code == 200
    assert html.escape(message or too_many_pages_message()) in response.content.decode()
    assert "extension" not in response.content.decode()  # Wagtail's, for the file it no longer has: never said
    assert not Document.objects.exists()


def test_an_ordinary_guidance_pdf_and_other_files_are_stored(verified_admin_client):
    pdf = _add(verified_admin_client, pdf_bytes(pages=2))
    csv = _add(verified_admin_client, b"school,phase\nOakfield,Primary\n", name="schools.csv")

    assert (pdf.status_code, csv.status_code) == (302, 302)
    assert sorted(Document.objects.values_list("file", flat=True))[0].startswith("documents/leaflet")
    assert Document.objects.count() == 2


def test_a_guidance_document_over_10mb_is_refused_beside_the_field_and_nothing_is_stored(verified_admin_client):
    """A 5.9MB PDF went in once (there was no limit): a parent on a phone downloads whatever is put up."""
    over = _add(verified_admin_client, padded_pdf(10 * 1024 * 1024 + 1))
    page = over.content.decode()

    assert over.status_code == 200
    assert "The selected file must be 10MB or smaller" in page
    assert "Files must be 10MB or smaller" in page  # the hint says so before
    assert not Document.objects.exists()
    assert _add(verified_admin_client, padded_pdf(10 * 1024 * 1024)).status_code == 302  # exactly 10MB is taken


def test_the_guidance_document_limit_is_a_setting_and_the_multiple_uploader_keeps_it(verified_admin_client, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
    sent = verified_admin_client.post(
        "/admin/documents/multiple/add/",
        {
            "files[]": SimpleUploadedFile("leaflet.pdf", padded_pdf(int(5.9 * 1024 * 1024))),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    page = verified_admin_client.get("/admin/documents/multiple/add/").content.decode()

    assert sent.json() == {"success": False, "error_message": "The selected file must be 5MB or smaller"}
    assert not Document.objects.exists()
    # What the page says before and, in the browser, instead of sending a file over the limit.
    assert "Files must be 5MB or smaller" in page
    assert 'data-max-file-size="5242880"' in page
    assert '"maxFileSize": "The selected file must be 5MB or smaller"' in page


def test_update_in_the_multiple_uploader_of_a_document_of_a_type_no_longer_taken_says_so(verified_admin_client):
    """A document kept from before its type was taken off WAGTAILDOCS_EXTENSIONS: "Update" on its row gave a server
    error, as Wagtail's check of the stored file's extension named a field the row's form does not have."""
    document = Document.objects.create(
        title="Old notes",
        file=SimpleUploadedFile("old-notes.rtf", b"{\\rtf1 notes}"),
        collection=Collection.get_first_root_node(),
    )

    response = verified_admin_client.post(
        f"/admin/documents/multiple/{document.pk}/",
        {f"doc-{document.pk}-title": "Older notes", f"doc-{document.pk}-collection": document.collection_id},
    )

    assert response.status_code == 200
    assert response.json()["success"] is False
    assert "rtf" in response.json()["form"]
    document.refresh_from_db()
    assert document.title == "Old notes"
