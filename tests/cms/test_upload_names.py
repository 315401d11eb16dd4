"""Guidance documents and images whose file name holds a character that cannot be seen are refused beside the file
field, in the words of professionals' uploads, and nothing is stored: Django's parser strips such characters, so
"report", U+202E and "fdp.exe.pdf" would otherwise be kept as a document named "reportfdp.exe.pdf"."""

import hashlib
import html
import inspect

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.http.multipartparser import MultiPartParser
from django.http.request import HttpRequest
from django.test import RequestFactory
from django.urls import NoReverseMatch, resolve, reverse
from wagtail.documents.models import Document
from wagtail.images.models import Image

from cms.pdf_checks import UploadProblem
from cms.upload_names import (
    REFUSING_VIEWS,
    NameCheckingMultiPartParser,
    UploadNameMiddleware,
    has_unsafe_name,
    refuses_unsafe_names,
)
from tests.cms.uploads import beside_the_file_field, png, root_collection
from tests.factories.advice_forms import pdf_bytes
from tests.multipart import CONTENT_TYPE, multipart_body

HIDDEN = ["report\u202efdp.exe.pdf", "guide\u200b.pdf", "\u200b.pdf", "\u202e"]
REFUSAL = html.escape(UploadProblem.BAD_NAME)


def _pdf(name):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


@pytest.mark.parametrize("name", HIDDEN)
def test_the_add_a_document_page_refuses_a_name_with_a_hidden_character(content_editor_client, name):
    response = content_editor_client.post(
        "/admin/documents/add/", {"title": "Guidance leaflet", "file": _pdf(name), "collection": root_collection()}
    )

    assert response.status_code == 200
    assert REFUSAL in beside_the_file_field(response.content.decode())
    assert not Document.objects.exists()


@pytest.mark.parametrize("name", HIDDEN)
def test_the_multiple_uploader_refuses_a_name_with_a_hidden_character(content_editor_client, name):
    response = content_editor_client.post(
        "/admin/documents/multiple/add/", {"files[]": _pdf(name), "collection": root_collection()}
    )

    assert response.json() == {"success": False, "error_message": UploadProblem.BAD_NAME}
    assert not Document.objects.exists()


@pytest.mark.parametrize("name", HIDDEN)
def test_the_choosers_upload_tab_refuses_a_name_with_a_hidden_character(content_editor_client, name):
    response = content_editor_client.post(
        "/admin/documents/chooser/create/",
        {
            "document-chooser-upload-title": "Guidance leaflet",
            "document-chooser-upload-file": _pdf(name),
            "document-chooser-upload-collection": root_collection(),
        },
    )

    assert response.status_code == 200
    assert response.json()["step"] == "reshow_creation_form"
    assert REFUSAL in beside_the_file_field(response.json()["htmlFragment"])
    assert not Document.objects.exists()


@pytest.mark.parametrize("name", HIDDEN)
def test_replacing_a_documents_file_refuses_a_name_with_a_hidden_character(content_editor_client, name):
    document = Document.objects.create(title="Annual reviews", file=_pdf("annual-reviews.pdf"))
    stored = document.file.name

    response = content_editor_client.post(
        f"/admin/documents/edit/{document.pk}/",
        {"title": "Annual reviews", "file": _pdf(name), "collection": document.collection_id},
    )

    assert response.status_code == 200
    assert REFUSAL in beside_the_file_field(response.content.decode())
    document.refresh_from_db()
    assert document.file.name == stored
    assert Document.objects.count() == 1


def test_a_name_with_spaces_and_accents_is_stored(content_editor_client):
    response = content_editor_client.post(
        "/admin/documents/add/",
        {"title": "Guide", "file": _pdf("Guide d’été 2025.pdf"), "collection": root_collection()},
    )

    assert response.status_code == 302
    assert Document.objects.get().file.name.startswith("documents/Guide")


@pytest.mark.parametrize("name", ["step\u202egnp.exe.png", "step\u200b.png", "\u200b.png", "\u202e"])
def test_an_image_whose_name_has_a_hidden_character_is_refused_by_either_uploader(content_editor_client, name):
    added = content_editor_client.post(
        "/admin/images/add/", {"title": "Step", "file": png(name=name), "collection": root_collection()}
    )
    several = content_editor_client.post(
        "/admin/images/multiple/add/", {"files[]": png(name=name), "collection": root_collection()}
    )

    assert added.status_code == 200
    assert REFUSAL in beside_the_file_field(added.content.decode())
    assert several.json() == {"success": False, "error_message": UploadProblem.BAD_NAME}
    assert not Image.objects.exists()
    assert (
        content_editor_client.post(
            "/admin/images/add/", {"title": "Step", "file": png(), "collection": root_collection()}
        ).status_code
        == 302
    )


def _files_received(path, name, func=None):
    """What request.FILES holds for the view at ``path`` (or ``func``) when a file named ``name`` is posted to it,
    through UploadNameMiddleware, with the URL resolved first as Django's handler does."""
    body = multipart_body({}, [("file", name.encode(), pdf_bytes(), "application/pdf")])
    request = RequestFactory().post(path, data=body, content_type=CONTENT_TYPE)
    request.resolver_match = resolve(path)
    if func is not None:
        request.resolver_match.func = func
    received = {}

    def view(request):
        received.update(request.FILES.dict())
        return HttpResponse()

    UploadNameMiddleware(view)(request)
    return received


@pytest.mark.parametrize("name", ["\u202e", "a/", "../..", "\u200b"])
def test_a_file_with_no_name_left_reaches_no_view_that_does_not_refuse_it(name):
    """Wagtail's avatar upload binds request.FILES to a form of its own: Django drops such a file, and so do we."""
    assert _files_received("/admin/account/", name) == {}
    assert _files_received("/admin/redirects/import/", name) == {}


@pytest.mark.parametrize("name", ["\u202e", "a/"])
def test_a_file_with_no_name_left_reaches_a_view_that_refuses_it_marked(name):
    for received in (
        _files_received("/admin/documents/add/", name),
        _files_received("/admin/account/", name, func=refuses_unsafe_names(lambda request: None)),
    ):
        assert received["file"].name == NameCheckingMultiPartParser.UNNAMED
        assert has_unsafe_name(received["file"])


def test_a_file_with_a_name_left_reaches_every_view_marked():
    received = _files_received("/admin/account/", "report\u202efdp.exe.pdf")

    assert received["file"].name == "reportfdp.exe.pdf"
    assert has_unsafe_name(received["file"])


def test_each_view_said_to_refuse_a_marked_file_is_one_of_the_sites():
    def reverses(name):
        for args in ([], [1]):
            try:
                return bool(reverse(name, args=args))
            except NoReverseMatch:
                pass
        return False

    assert [name for name in sorted(REFUSING_VIEWS) if not reverses(name)] == []


# The Django 5.2 code cms.upload_names stands in for or leans on: HttpRequest.parse_file_upload (copied into
# parse_noting_names with another parser), MultiPartParser.sanitize_file_name (called, then its result read),
# MultiPartParser.handle_file_complete (its self._files read after it) and MultiPartParser.parse, whose order (each
# file completed before the next is named) the parser's note of the name being read depends on, and which drops a
# file whose cleaned name is empty. When a digest changes, read upstream's new code, bring cms.upload_names in line
# with it, then write the new digest here.
UPSTREAM_DIGESTS = {
    "HttpRequest.parse_file_upload": "a67e10709aa147e0",
    "MultiPartParser.handle_file_complete": "bce667b630f57b17",
    "MultiPartParser.parse": "472a1c5b24e6fb93",
    "MultiPartParser.sanitize_file_name": "455d4338c8d87481",
}


def test_the_django_code_the_name_checking_parser_leans_on_is_as_it_was_written_against():
    found = {
        function.__qualname__: hashlib.sha256(inspect.getsource(function).encode()).hexdigest()[:16]
        for function in (
            HttpRequest.parse_file_upload,
            MultiPartParser.handle_file_complete,
            MultiPartParser.parse,
            MultiPartParser.sanitize_file_name,
        )
    }

    assert found == UPSTREAM_DIGESTS
