"""In the page editor, a Document link or Image block, or a visual guide's step, whose file was deleted from the
library comes with its chooser empty: saving the page says beside it what happened and what to do, not Wagtail's
bare "This field is required."; a chooser left empty in a new block asks for a document or an image. Nothing is
saved."""

import pytest
import wagtail_factories
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from tests.cms.guidance_admin import help_page_form
from tests.factories.cms import HelpPageFactory, published
from tests.factories.faq import FAQPageFactory, VisualGuidePageFactory, step

pytestmark = pytest.mark.django_db

DELETED_DOCUMENT = "The document this linked to was deleted. Choose another document or remove this block"
DELETED_IMAGE = "The image this showed was deleted. Choose another image or remove this block"
DELETED_PICTURE = (
    "The picture this step showed was deleted. Choose another picture, write a capture that takes one, or remove "
    "this step"
)


def _document():
    data = b"%PDF-1.4 annual review"
    return get_document_model().objects.create(
        title="Annual review form", file=ContentFile(data, name="annual-review.pdf"), file_size=len(data)
    )


def _posted(stream):
    """The editor's POST of a stream as it holds it: each block with its id, its file chooser empty."""
    return {
        "count": str(len(stream)),
        **{
            str(index): {
                "type": child.block_type,
                "id": child.id,
                "deleted": "",
                "order": str(index),
                "value": {
                    name: "" if name in ("document", "image") else (value or "") for name, value in child.value.items()
                },
            }
            for index, child in enumerate(stream)
        },
    }


def _block_errors(response, field):
    assert response.status_code == 200, response.status_code  # shown again, not saved
    error = response.context["form"].errors[field].as_data()[0]
    return {
        position: {name: " ".join(e.messages) for name, e in child.block_errors.items()}
        for position, child in error.block_errors.items()
    }


def test_a_help_page_block_whose_document_or_image_was_deleted_says_so(verified_admin_client, home_page):
    document, image = _document(), wagtail_factories.ImageFactory()
    page = published(
        HelpPageFactory(
            parent=home_page,
            slug="reviews",
            body=[
                ("image", {"image": image, "alt_text": "The form's first page", "caption": ""}),
                ("document_link", {"document": document, "title": "The form"}),
            ],
        )
    )
    revision_id = page.latest_revision_id
    document.delete()
    image.delete()

    response = verified_admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), help_page_form(page, body=_posted(page.body))
    )

    assert _block_errors(response, "body") == {0: {"image": DELETED_IMAGE}, 1: {"document": DELETED_DOCUMENT}}
    content = response.content.decode()
    assert "was deleted. Choose another" in content and "This field is required." not in content
    page.refresh_from_db()
    assert page.latest_revision_id == revision_id


def test_an_faq_download_whose_document_was_deleted_says_so(verified_admin_client, home_page):
    document = _document()
    page = published(
        FAQPageFactory(parent=home_page, slug="faqs", downloads=[("document", {"document": document, "title": ""})])
    )
    document.delete()

    response = verified_admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        nested_form_data(
            {
                "title": page.title,
                "slug": page.slug,
                "intro": "",
                "questions": streamfield([]),
                "related_links": streamfield([]),
                "hidden_related": streamfield([]),
                "downloads": _posted(page.downloads),
                "audience": "everyone",
                "change_kind": "minor",
                "action-publish": "Publish",
            }
        ),
    )

    assert _block_errors(response, "downloads") == {0: {"document": DELETED_DOCUMENT}}


def test_a_visual_guide_step_whose_picture_was_deleted_says_so(verified_admin_client, home_page):
    """It said "Choose a picture, or write a capture that takes one.", as if none had been chosen."""
    image = wagtail_factories.ImageFactory()
    guide = published(
        VisualGuidePageFactory(
            parent=home_page,
            slug="signing-in",
            steps=[step("Open the sign-in page", image), step("Sign in", wagtail_factories.ImageFactory())],
        )
    )
    image.delete()
    posted = _posted(guide.steps)
    for index in ("0", "1"):
        posted[index]["value"]["text"] = rich_text("<p>Do this.</p>")
    posted["1"]["value"]["image"] = ""  # the editor emptied the chooser of a picture that still exists

    response = verified_admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[guide.pk]),
        nested_form_data(
            {
                "title": guide.title,
                "slug": guide.slug,
                "intro": guide.intro,
                "steps": posted,
                "related_links": streamfield([]),
                "hidden_related": streamfield([]),
                "audience": "everyone",
                "change_kind": "minor",
                "action-publish": "Publish",
            }
        ),
    )

    assert _block_errors(response, "steps") == {
        0: {"image": DELETED_PICTURE},
        1: {"image": "Choose a picture, or write a capture that takes one"},
    }


def test_a_new_block_with_no_document_or_image_chosen_asks_for_one(verified_admin_client, home_page):
    page = published(HelpPageFactory(parent=home_page, slug="reviews"))
    body = streamfield(
        [
            ("image", {"image": "", "alt_text": "A picture", "caption": ""}),
            ("document_link", {"document": "", "title": ""}),
        ]
    )

    response = verified_admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), help_page_form(page, body=body)
    )

    assert _block_errors(response, "body") == {0: {"image": "Choose an image"}, 1: {"document": "Choose a document"}}


def test_a_block_whose_document_still_exists_but_was_emptied_asks_for_one(verified_admin_client, home_page):
    """The editor took the document out of the chooser: nothing was deleted, so nothing says it was."""
    document = _document()
    page = published(
        HelpPageFactory(parent=home_page, slug="reviews", body=[("document_link", {"document": document, "title": ""})])
    )

    response = verified_admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), help_page_form(page, body=_posted(page.body))
    )

    assert _block_errors(response, "body") == {0: {"document": "Choose a document"}}
