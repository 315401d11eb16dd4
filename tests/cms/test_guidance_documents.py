"""Guidance documents that staff upload to Wagtail pass the same PDF content checks as professionals' uploads."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents.models import Document
from wagtail.models import Collection

from cms.pdf_checks import UploadProblem, too_many_pages_message
from tests.factories.advice_forms import pdf_bytes
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
