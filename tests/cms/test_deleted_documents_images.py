"""A document or image deleted from the library while pages still use it: every page type, its editor's view of the
draft and its printable still show, without the link or the picture (a link in rich text keeps its words), and a
copy of the page kept in the page cache goes with it."""

import pytest
import wagtail_factories
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.rich_text import RichText

from faq.models import FAQPage, VisualGuidePage
from tests.factories.accounts import staff_in_group, verified_login
from tests.factories.cms import HelpPageFactory, published
from tests.factories.faq import FAQPageFactory, VisualGuidePageFactory, question, step
from tests.pdfs import pdf_link_addresses, pdftotext

pytestmark = pytest.mark.django_db

DOCUMENT_TITLE = "Annual review form"
BLOCK_TITLE = "Download the annual review form"


def _document(title=DOCUMENT_TITLE):
    data = b"%PDF-1.4 annual review"
    return get_document_model().objects.create(
        title=title, file=ContentFile(data, name="annual-review.pdf"), file_size=len(data)
    )


def _rich_text(document, image):
    return (
        f'<p>Fill in <a linktype="document" id="{document.pk}">the annual review form</a> before the meeting.</p>'
        f'<embed embedtype="image" id="{image.pk}" alt="The form\'s first page" format="fullwidth"/>'
    )


@pytest.fixture
def used(home_page, django_capture_on_commit_callbacks):
    """One document and one image, each used by a help page, an FAQ page and a visual guide, all published (their
    printables rendered as the publish commits)."""
    document, image = _document(), wagtail_factories.ImageFactory(title="Form's first page")
    text = _rich_text(document, image)
    with django_capture_on_commit_callbacks(execute=True):
        help_page = published(
            HelpPageFactory(
                parent=home_page,
                title="Annual reviews",
                slug="annual-reviews",
                body=[
                    ("text", RichText(text)),
                    ("inset_text", RichText(text)),
                    ("details", {"summary": "What to bring", "text": RichText(text)}),
                    ("image", {"image": image, "alt_text": "The form's first page", "caption": "The first page"}),
                    ("document_link", {"document": document, "title": ""}),
                    ("document_link", {"document": document, "title": BLOCK_TITLE}),
                ],
            )
        )
        faq = published(
            FAQPageFactory(
                parent=home_page,
                title="Questions",
                slug="faqs",
                questions=[question("What do I fill in?", text)],
                downloads=[("document", {"document": document, "title": BLOCK_TITLE})],
            )
        )
        guide = published(
            VisualGuidePageFactory(
                parent=home_page,
                title="Filling in the form",
                slug="filling-in",
                steps=[step("Open the form", image, text, alt_text="The form's first page")],
            )
        )
    return {"document": document, "image": image, "pages": [help_page, faq, guide]}


def _delete_both(used):
    used["document"].delete()
    used["image"].delete()


def _main(response):
    assert response.status_code == 200, response.content[:500]
    return BeautifulSoup(response.content, "html.parser").select_one("main")


def _assert_shown_without_them(main):
    text = main.get_text(" ", strip=True)
    assert "Fill in the annual review form before the meeting." in text  # the sentence keeps its words
    assert not main.select("a[href*='/documents/']")
    assert not main.select("img")
    assert DOCUMENT_TITLE not in text and BLOCK_TITLE not in text
    assert "The first page" not in text  # the caption of the picture that is gone
    assert "Downloads" not in text


@pytest.mark.parametrize("index", [0, 1, 2], ids=["help-page", "faq-page", "visual-guide"])
def test_the_public_page_shows_without_the_deleted_document_and_image(used, index):
    page = used["pages"][index]
    _delete_both(used)

    main = _main(Client().get(page.url))

    _assert_shown_without_them(main)
    assert main.select_one("a.portal-missing-link").get_text() == "the annual review form"


def test_a_page_kept_in_the_page_cache_is_shown_again_without_them(used):
    page = used["pages"][0]
    assert _main(Client().get(page.url)).select("a[href*='/documents/']")  # now kept in the page cache

    _delete_both(used)

    _assert_shown_without_them(_main(Client().get(page.url)))


@pytest.mark.parametrize("index", [0, 1, 2], ids=["help-page", "faq-page", "visual-guide"])
def test_the_editors_view_of_the_draft_shows_and_says_the_document_is_gone(used, index, verified_admin_client):
    page = used["pages"][index].specific
    page.save_revision()  # a draft on top of the live page
    _delete_both(used)

    main = _main(verified_admin_client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk])))

    _assert_shown_without_them(main)
    assert main.select_one("a.portal-missing-link")["data-portal-link-note"] == "this document no longer exists"


@pytest.mark.parametrize("model", [FAQPage, VisualGuidePage], ids=["faq-page", "visual-guide"])
def test_the_printable_renders_without_them(used, model):
    _delete_both(used)
    page = model.objects.get()

    data = page.printable_pdf()

    text = " ".join(pdftotext(data).split())
    assert "Fill in the annual review form before the meeting." in text
    assert DOCUMENT_TITLE not in text
    assert not [uri for uri in pdf_link_addresses(data) if "/documents/" in uri]


@pytest.fixture
def editor_client(role_groups):
    return verified_login(Client(), staff_in_group("Content editor"))


def _report(client):
    response = client.get(reverse("cms_broken_links_report"))
    assert response.status_code == 200
    rows = BeautifulSoup(response.content, "html.parser").select("table tbody tr")
    return {
        row.find("a").get_text(strip=True): (
            row.find_all("td")[1].get_text(strip=True),
            [item.get_text(" ", strip=True) for item in row.find_all("td")[2].find_all("li")],
        )
        for row in rows
    }


def test_the_broken_links_report_names_the_pages_and_drafts_using_a_deleted_document_or_image(
    used, home_page, editor_client, verified_admin_client
):
    assert _report(editor_client) == {}
    meetings = published(HelpPageFactory(parent=home_page, title="Meetings", slug="meetings"))
    agenda = _document("Meeting agenda")
    meetings.body = [("document_link", {"document": agenda, "title": "The agenda"})]
    meetings.save_revision()  # a draft, not published: the live page does not use it
    poster = wagtail_factories.ImageFactory(title="Poster")
    HelpPageFactory(
        parent=home_page, title="Events", live=False, body=[("image", {"image": poster, "alt_text": "A poster"})]
    )

    # Deleted in the admin, as an editor does: Wagtail's history keeps its title. The images are deleted in code.
    for document in (used["document"], agenda):
        assert verified_admin_client.post(reverse("wagtaildocs:delete", args=[document.pk])).status_code == 302
    image_id, poster_id = used["image"].pk, poster.pk
    used["image"].delete()
    poster.delete()

    document_note = "a deleted document, “Annual review form”"
    assert _report(editor_client) == {
        "Annual reviews": ("Published", [f"{document_note}, in Body", f"a deleted image (id {image_id}), in Body"]),
        "Questions": (
            "Published",
            [
                f"{document_note}, in Downloads",
                f"{document_note}, in Questions",
                f"a deleted image (id {image_id}), in Questions",
            ],
        ),
        "Filling in the form": (
            "Published",
            [f"{document_note}, in Steps", f"a deleted image (id {image_id}), in Steps"],
        ),
        "Meetings": ("Published", ["a deleted document, “Meeting agenda”, in Body"]),
        "Events": ("Draft", [f"a deleted image (id {poster_id}), in Body"]),
    }
