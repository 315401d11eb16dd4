"""Deleting a document or image that a page's printable shows or links to: the stored printable is withdrawn at once
(the page says it is being prepared, never serves the PDF that still holds it) and rendered again without it once
the deletion commits. The printables of pages that do not use it are left as they are."""

import io

import pytest
import wagtail_factories
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader
from wagtail.documents import get_document_model

from faq.models import GuidancePrintable, VisualGuidePage
from faq.services import printable_render
from tests.factories.cms import published_with_tasks
from tests.factories.faq import FAQPageFactory, VisualGuidePageFactory, question, step
from tests.pdfs import figures_alt_text, pdftotext

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_default_cache")]

ALT_TEXT = "A letter showing a child's name"
DOCUMENT_TITLE = "Annual review form"


@pytest.fixture
def image():
    return wagtail_factories.ImageFactory(title="Letter")


@pytest.fixture
def document():
    data = b"%PDF-1.4 annual review"
    return get_document_model().objects.create(
        title=DOCUMENT_TITLE, file=ContentFile(data, name="annual-review.pdf"), file_size=len(data)
    )


@pytest.fixture
def guide(home_page, image, django_capture_on_commit_callbacks):
    page = VisualGuidePageFactory(
        parent=home_page,
        title="Reading the letter",
        slug="reading-the-letter",
        steps=[step("Open the letter", image, "<p>Read the first page.</p>", alt_text=ALT_TEXT)],
    )
    published_with_tasks(page, django_capture_on_commit_callbacks)
    return page


@pytest.fixture
def faq(home_page, document, django_capture_on_commit_callbacks):
    answer = f'<p>Fill in <a linktype="document" id="{document.pk}">the {DOCUMENT_TITLE.lower()}</a> first.</p>'
    page = FAQPageFactory(
        parent=home_page, title="Reviews", slug="reviews", questions=[question("What do I fill in?", answer)]
    )
    published_with_tasks(page, django_capture_on_commit_callbacks)
    return page


def _printable(page):
    return Client().get(page.url + "printable/")


def _pdf(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    return response.content


def _pictures(data):
    return [picture for pdf_page in PdfReader(io.BytesIO(data)).pages for picture in pdf_page.images]


def _links(data):
    return [
        annotation.get_object()["/A"]["/URI"]
        for pdf_page in PdfReader(io.BytesIO(data)).pages
        for annotation in pdf_page.get("/Annots") or []
        if "/A" in annotation.get_object()
    ]


def _delete_in_the_admin(client, url_name, pk):
    response = client.post(reverse(url_name, args=[pk]))
    assert response.status_code == 302, response.content[:300]


def test_deleting_an_image_withdraws_the_printable_showing_it_until_it_is_rendered_again_without_it(
    guide, image, verified_admin_client, django_capture_on_commit_callbacks
):
    before = _pdf(_printable(guide))
    assert _pictures(before) and ALT_TEXT in figures_alt_text(before)

    with django_capture_on_commit_callbacks() as callbacks:
        _delete_in_the_admin(verified_admin_client, "wagtailimages:delete", image.pk)
        # Deleted, its rendering queued but not yet run: the public gets "being prepared", not the PDF holding it.
        waiting = _printable(guide)
        assert waiting.status_code == 202
        assert b"%PDF" not in waiting.content
    for callback in callbacks:  # the deletion commits: the worker renders the printable again
        callback()

    after = _pdf(_printable(guide))
    assert not _pictures(after)
    assert ALT_TEXT not in figures_alt_text(after)
    assert "Read the first page." in pdftotext(after)


def test_deleting_a_document_renders_again_the_printable_linking_to_it(
    faq, document, verified_admin_client, django_capture_on_commit_callbacks
):
    assert [uri for uri in _links(_pdf(_printable(faq))) if "/documents/" in uri]

    with django_capture_on_commit_callbacks(execute=True):
        _delete_in_the_admin(verified_admin_client, "wagtaildocs:delete", document.pk)

    after = _pdf(_printable(faq))
    assert not [uri for uri in _links(after) if "/documents/" in uri]
    assert "Fill in the annual review form first." in " ".join(pdftotext(after).split())


def test_deleting_a_file_leaves_the_printables_of_pages_not_using_it(
    guide, faq, image, django_capture_on_commit_callbacks
):
    other = wagtail_factories.ImageFactory(title="Another picture")
    draft = VisualGuidePage.objects.get(pk=guide.pk)
    draft.steps = [step("Open the letter", other, "<p>Read the first page.</p>", alt_text="Another picture")]
    draft.save_revision()  # a draft using it: the live guide, and its printable, do not
    kept = list(GuidancePrintable.objects.values_list("pk", "page_id", "rendered_at").order_by("pk"))

    with django_capture_on_commit_callbacks(execute=True):
        other.delete()

    assert list(GuidancePrintable.objects.values_list("pk", "page_id", "rendered_at").order_by("pk")) == kept


def test_a_printable_rendered_while_its_image_was_deleted_is_not_stored(
    guide, image, monkeypatch, django_capture_on_commit_callbacks
):
    GuidancePrintable.objects.all().delete()  # the printable is being rendered again (a publish, a new renderer)
    render = VisualGuidePage.printable_pdf

    def render_then_delete_the_image(page):
        data = render(page)  # with the picture
        image.delete()  # meanwhile, an editor deletes the image
        return data

    monkeypatch.setattr(VisualGuidePage, "printable_pdf", render_then_delete_the_image)
    with django_capture_on_commit_callbacks() as callbacks:
        assert printable_render(page_id=guide.pk) is False
    assert not GuidancePrintable.objects.exists()

    monkeypatch.undo()
    for callback in callbacks:  # the rendering the deletion queued
        callback()
    assert not _pictures(_pdf(_printable(guide)))
