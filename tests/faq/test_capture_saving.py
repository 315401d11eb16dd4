"""Saving captured pictures on guide steps: the capture's step gets the picture, an uploaded picture is never
overwritten, alt text stays, and the guide is published again (or kept as a draft when changes await approval)."""

from io import BytesIO

import pytest
import wagtail_factories
from PIL import Image

from faq.captures import guide_captures
from faq.models import VisualGuidePage
from faq.services import CAPTURED_TITLE_PREFIX, guide_captures_save
from tests.factories.cms import published
from tests.factories.faq import VisualGuidePageFactory, step

pytestmark = pytest.mark.django_db


def png(colour):
    buffer = BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def guide(home_page):
    uploaded = wagtail_factories.ImageFactory(title="An uploaded picture")
    return published(
        VisualGuidePageFactory(
            parent=home_page,
            title="Adding a new phone",
            steps=[
                step("Install an app", uploaded, alt_text="An app store"),
                step("Open Sign-in devices", uploaded, alt_text="The devices page", capture="go to /\nshow page"),
            ],
        )
    )


def test_a_captured_picture_goes_on_its_step_and_the_guide_is_published_again(guide):
    uploaded = guide.steps[0].value["image"]
    revisions = guide.revisions.count()

    guide_captures_save(pictures=[(guide_captures([guide])[0], png("red"))])

    guide = VisualGuidePage.objects.get(pk=guide.pk)
    first, second = (child.value for child in guide.steps)
    assert first["image"] == uploaded and second["alt_text"] == "The devices page"
    assert second["image"] != uploaded and second["image"].title.startswith(CAPTURED_TITLE_PREFIX)
    with second["image"].file.open("rb") as stored:
        assert stored.read() == png("red")
    with uploaded.file.open("rb") as kept:
        assert kept.read() != png("red")  # the uploaded picture is left for whatever else uses it
    assert guide.revisions.count() == revisions + 1 and not guide.has_unpublished_changes


def test_a_second_run_replaces_the_captured_image_and_its_renditions(guide):
    guide_captures_save(pictures=[(guide_captures([guide])[0], png("red"))])
    guide = VisualGuidePage.objects.get(pk=guide.pk)
    captured = guide.steps[1].value["image"]
    captured.get_rendition("max-960x720")

    guide_captures_save(pictures=[(guide_captures([guide])[0], png("blue"))])

    guide = VisualGuidePage.objects.get(pk=guide.pk)
    assert guide.steps[1].value["image"].pk == captured.pk
    captured.refresh_from_db()
    assert not captured.renditions.exists()
    with captured.file.open("rb") as stored:
        assert stored.read() == png("blue")


def test_a_guide_with_changes_awaiting_approval_gets_a_draft_not_a_publication(guide):
    guide.title = "Adding a new phone (rewritten)"
    guide.save_revision()
    live_title = VisualGuidePage.objects.get(pk=guide.pk).title

    result = guide_captures_save(pictures=[(guide_captures([guide])[0], png("red"))])

    guide = VisualGuidePage.objects.get(pk=guide.pk)
    assert guide.title == live_title and guide.has_unpublished_changes
    assert "saved as a draft (not published)" in result.lines[0]
    latest = guide.get_latest_revision_as_object()
    assert latest.title == "Adding a new phone (rewritten)"
    assert latest.steps[1].value["image"].title.startswith(CAPTURED_TITLE_PREFIX)
