"""Blocks of the FAQ page and the visual guide."""

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from cms.blocks import RICH_TEXT_FEATURES, DocumentLinkBlock

ANCHOR_MAX_LENGTH = 80
# The size a guide step's picture is shown at, on the page and in its printable PDF.
STEP_IMAGE_SPEC = "max-960x720"
# Ids the page template uses itself: an answer's anchor must not take one of them.
RESERVED_ANCHORS = {"top", "main-content", "contents", "feedback", "navigation", "related", "downloads", "contact"}


def anchor_from(text):
    return slugify(text)[:ANCHOR_MAX_LENGTH].strip("-") or "question"


def assign_anchors(questions):
    """Give each question without an anchor one made from its wording, unique on the page.

    ``questions`` is a list of dict-like values with "question" and "anchor". Anchors typed by an editor
    are kept; returns the positions (in the list) of typed anchors that another question already uses.
    """
    taken = {value["anchor"] for value in questions if value["anchor"]} | RESERVED_ANCHORS
    seen, duplicates = set(), []
    for position, value in enumerate(questions):
        if value["anchor"]:
            if value["anchor"] in seen or value["anchor"] in RESERVED_ANCHORS:
                duplicates.append(position)
            seen.add(value["anchor"])
            continue
        base = candidate = anchor_from(value["question"])
        number = 2
        while candidate in taken:
            candidate = f"{base[: ANCHOR_MAX_LENGTH - 4]}-{number}"
            number += 1
        value["anchor"] = candidate
        taken.add(candidate)
        seen.add(candidate)
    return duplicates


class FAQQuestionBlock(blocks.StructBlock):
    """One question and its answer; the anchor is the address of the answer on the page (#anchor)."""

    question = blocks.CharBlock(max_length=200)
    answer = blocks.RichTextBlock(features=[*RICH_TEXT_FEATURES, "image"])
    anchor = blocks.CharBlock(
        required=False,
        search_index=False,
        max_length=ANCHOR_MAX_LENGTH,
        help_text="Leave blank to make it from the question. Changing it breaks links people have saved.",
    )

    def clean(self, value):
        value = super().clean(value)
        if value["anchor"] and value["anchor"] != slugify(value["anchor"]):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "anchor": ValidationError("Use only lower-case letters, numbers and hyphens, e.g. 'new-phone'.")
                }
            )
        return value

    class Meta:
        icon = "help"
        label = "Question"


class FAQGroupHeadingBlock(blocks.CharBlock):
    """Starts a group of questions, e.g. "Signing in"; the questions after it belong to it."""

    class Meta:
        icon = "title"
        label = "Group heading"


class FAQQuestionsBlock(blocks.StreamBlock):
    group_heading = FAQGroupHeadingBlock(max_length=80)
    question = FAQQuestionBlock()

    def clean(self, value):
        value = super().clean(value)
        positions = [i for i, child in enumerate(value) if child.block_type == "question"]
        duplicates = assign_anchors([value[i].value for i in positions])
        if duplicates:
            raise blocks.StreamBlockValidationError(
                block_errors={
                    positions[d]: blocks.StructBlockValidationError(
                        block_errors={
                            "anchor": ValidationError("Another question on this page uses this anchor: choose another.")
                        }
                    )
                    for d in duplicates
                }
            )
        return value


class ExternalLinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120)
    url = blocks.URLBlock()

    class Meta:
        icon = "link-external"
        label = "Outside link"


class RelatedPageBlock(blocks.StructBlock):
    """A link to a page of this site. Not required, so that deleting the page never stops this one being published:
    a link whose page is gone or unpublished shows to editors only, saying so (cms/includes/missing_page_note.html)."""

    page = blocks.PageChooserBlock(required=False)
    title = blocks.CharBlock(required=False, max_length=120, help_text="Leave blank to use the page's title.")

    class Meta:
        icon = "doc-empty-inverse"
        label = "Page on this site"


def related_link_blocks():
    return [("page", RelatedPageBlock()), ("link", ExternalLinkBlock())]


def download_blocks():
    return [("document", DocumentLinkBlock())]


class GuideStepBlock(blocks.StructBlock):
    """One step of a visual guide: what to do, in words and in a picture."""

    heading = blocks.CharBlock(max_length=120)
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250, help_text="Required. Say what the picture shows, for someone who cannot see it."
    )

    class Meta:
        icon = "list-ol"
        label = "Step"
