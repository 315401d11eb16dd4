"""Guidance documents and images whose file name holds a character that cannot be seen are refused beside the file
field, in the words of professionals' uploads, and nothing is stored: Django's parser strips such characters, so
"report", U+202E and "fdp.exe.pdf" would otherwise be kept as a document named "reportfdp.exe.pdf"."""

import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection

from cms.pdf_checks import UploadProblem
from tests.conftest import verified_login
from tests.factories.advice_forms import pdf_bytes

HIDDEN = ["report\u202efdp.exe.pdf", "guide\u200b.pdf", "\u200b.pdf", "\u202e"]
REFUSAL = html.escape(UploadProblem.BAD_NAME)


@pytest.fixture
def editor_client(client, role_groups, content_editor):
    return verified_login(client, content_editor)


def _pdf(name):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def _beside_the_file_field(page):
    """The errors Wagtail shows above the file input."""
    field = page.split('data-contentpath="file"', 1)[1]
    return field.split("data-field-input", 1)[0]


def _root():
    return Collection.get_first_root_node().pk


@pytest.mark.parametrize("name", HIDDEN)
def test_the_add_a_document_page_refuses_a_name_with_a_hidden_character(editor_client, name):
    response = editor_client.post(
        "/admin/documents/add/", {"title": "Guidance leaflet", "file": _pdf(name), "collection": _root()}
    )

    assert response.status_code == 200
    assert REFUSAL in _beside_the_file_field(response.content.decode())
    assert not Document.objects.exists()


@pytest.mark.parametrize("name", HIDDEN)
def test_the_multiple_uploader_refuses_a_name_with_a_hidden_character(editor_client, name):
    response = editor_client.post("/admin/documents/multiple/add/", {"files[]": _pdf(name), "collection": _root()})

    assert response.json() == {"success": False, "error_message": UploadProblem.BAD_NAME}
    assert not Document.objects.exists()


@pytest.mark.parametrize("name", HIDDEN)
def test_the_choosers_upload_tab_refuses_a_name_with_a_hidden_character(editor_client, name):
    response = editor_client.post(
        "/admin/documents/chooser/create/",
        {
            "document-chooser-upload-title": "Guidance leaflet",
            "document-chooser-upload-file": _pdf(name),
            "document-chooser-upload-collection": _root(),
        },
    )

    assert response.status_code == 200
    assert response.json()["step"] == "reshow_creation_form"
    assert REFUSAL in _beside_the_file_field(response.json()["htmlFragment"])
    assert not Document.objects.exists()


@pytest.mark.parametrize("name", HIDDEN)
def test_replacing_a_documents_file_refuses_a_name_with_a_hidden_character(editor_client, name):
    document = Document.objects.create(title="Annual reviews", file=_pdf("annual-reviews.pdf"))
    stored = document.file.name

    response = editor_client.post(
        f"/admin/documents/edit/{document.pk}/",
        {"title": "Annual reviews", "file": _pdf(name), "collection": document.collection_id},
    )

    assert response.status_code == 200
    assert REFUSAL in _beside_the_file_field(response.content.decode())
    document.refresh_from_db()
    assert document.file.name == stored
    assert Document.objects.count() == 1


def test_a_name_with_spaces_and_accents_is_stored(editor_client):
    response = editor_client.post(
        "/admin/documents/add/", {"title": "Guide", "file": _pdf("Guide d’été 2025.pdf"), "collection": _root()}
    )

    assert response.status_code == 302
    assert Document.objects.get().file.name.startswith("documents/Guide")


def _png(name):
    buffer = io.BytesIO()
    PILImage.new("RGB", (20, 20), (10, 120, 60)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.mark.parametrize("name", ["step\u202egnp.exe.png", "step\u200b.png", "\u200b.png", "\u202e"])
def test_an_image_whose_name_has_a_hidden_character_is_refused_by_either_uploader(editor_client, name):
    added = editor_client.post("/admin/images/add/", {"title": "Step", "file": _png(name), "collection": _root()})
    several = editor_client.post("/admin/images/multiple/add/", {"files[]": _png(name), "collection": _root()})

    assert added.status_code == 200
    assert REFUSAL in _beside_the_file_field(added.content.decode())
    assert several.json() == {"success": False, "error_message": UploadProblem.BAD_NAME}
    assert not Image.objects.exists()
    assert (
        editor_client.post(
            "/admin/images/add/", {"title": "Step", "file": _png("step.png"), "collection": _root()}
        ).status_code
        == 302
    )
