"""Deleting a document or an image that live pages use: Wagtail's confirmation says it is "referenced N times"; ours
also says, in one sentence, how many live pages use it and that their visitors will no longer see it. Drafts and
pages taken down are not counted: no visitor sees them."""

import pytest
import wagtail_factories
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model

from tests.factories.cms import HelpPageFactory, published

pytestmark = pytest.mark.django_db


def _document():
    return get_document_model().objects.create(
        title="Annual review form", file=ContentFile(b"%PDF-1.4 annual review", name="annual-review.pdf")
    )


def _help_page(home_page, slug, block, live=True):
    return HelpPageFactory(parent=home_page, title=slug.capitalize(), slug=slug, body=[block], live=live)


def _confirmation(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return " ".join(BeautifulSoup(response.content, "html.parser").select_one("main").get_text().split())


def test_deleting_a_document_says_how_many_live_pages_will_show_without_it(verified_admin_client, home_page):
    document = _document()
    block = ("document_link", {"document": document, "title": ""})
    published(_help_page(home_page, "reviews", block))
    published(_help_page(home_page, "meetings", block))
    _help_page(home_page, "draft", block, live=False)  # never published
    taken_down = published(_help_page(home_page, "old", block))
    taken_down.unpublish()
    drafted = published(HelpPageFactory(parent=home_page, title="Events", slug="events"))
    drafted.body = [block]
    drafted.save_revision()  # a draft of a live page: its visitors see the page as published, without the document

    words = _confirmation(verified_admin_client, f"/admin/documents/delete/{document.pk}/")

    assert "This document is referenced 4 times." in words  # Wagtail's: every page's own fields
    assert "2 live pages use this document. Visitors will no longer see it on those pages." in words


def test_deleting_an_image_one_live_page_shows_says_so(verified_admin_client, home_page):
    image = wagtail_factories.ImageFactory(title="Form's first page")
    block = ("image", {"image": image, "alt_text": "The form's first page", "caption": ""})
    published(_help_page(home_page, "reviews", block))

    words = _confirmation(verified_admin_client, f"/admin/images/{image.pk}/delete/")

    assert "1 live page uses this image. Visitors will no longer see it on that page." in words


def test_a_file_no_live_page_uses_gets_no_sentence(verified_admin_client, home_page):
    document, image = _document(), wagtail_factories.ImageFactory()
    _help_page(home_page, "draft", ("document_link", {"document": document, "title": ""}), live=False)

    for path in (f"/admin/documents/delete/{document.pk}/", f"/admin/images/{image.pk}/delete/"):
        assert "live page" not in _confirmation(verified_admin_client, path)


def _bulk_delete(client, app, model, files):
    query = "&".join(f"id={file.pk}" for file in files)
    with CaptureQueriesContext(connection) as queries:
        words = _confirmation(client, f"/admin/bulk/{app}/{model}/delete/?{query}")
    counted = [q["sql"] for q in queries if "referenceindex" in q["sql"] and "COUNT(DISTINCT" in q["sql"]]
    return words, counted


def test_bulk_deleting_documents_lists_those_live_pages_use_counted_in_one_query(verified_admin_client, home_page):
    reviews, meetings, unused = _document(), _document(), _document()
    reviews.title, meetings.title = "Annual reviews", "Meeting notes"
    reviews.save()
    meetings.save()
    for slug, document in (("reviews", reviews), ("more", reviews), ("meetings", meetings)):
        published(_help_page(home_page, slug, ("document_link", {"document": document, "title": ""})))
    _help_page(home_page, "draft", ("document_link", {"document": unused, "title": ""}), live=False)

    words, counted = _bulk_delete(verified_admin_client, "wagtaildocs", "document", [reviews, meetings, unused])

    assert "Live pages use these documents. Visitors will no longer see them on those pages:" in words
    assert "Annual reviews: 2 live pages Meeting notes: 1 live page" in words
    assert "Annual review form:" not in words  # the draft's is not live
    assert len(counted) == 1


def test_bulk_deleting_images_says_which_one_a_live_page_shows(verified_admin_client, home_page):
    shown, unused = wagtail_factories.ImageFactory(title="Form's first page"), wagtail_factories.ImageFactory()
    published(_help_page(home_page, "reviews", ("image", {"image": shown, "alt_text": "The form", "caption": ""})))

    words, _ = _bulk_delete(verified_admin_client, "wagtailimages", "image", [shown, unused])

    assert (
        "Live pages use this image. Visitors will no longer see it on those pages: Form's first page: 1 live page"
        in words
    )
    assert "live page" not in _bulk_delete(verified_admin_client, "wagtailimages", "image", [unused])[0]
