"""Blocks of the FAQ page and the visual guide."""

import re

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from cms.blocks import RICH_TEXT_FEATURES, ChosenFileMixin, DefaultChoiceBlock, DocumentLinkBlock, says_when_empty
from faq.captures import VOCABULARY, parse_capture

ANCHOR_MAX_LENGTH = 80
QUESTION_MAX_LENGTH = 200
# The size a guide step's picture is shown at, on the page and in its printable PDF.
STEP_IMAGE_SPEC = "max-960x720"
# The same picture full size, for a phone whose screen shrinks it past reading (the step links to it).
STEP_IMAGE_FULL_SPEC = "max-1920x1440"
# Ids the page template uses itself: an answer's anchor must not take one of them.
RESERVED_ANCHORS = {
    "top": "title",
    "main-content": "main content",
    "header-search": "search box",
    "navigation": "menu",
    "contents": "list of questions",
    "contents-heading": "list of questions",
    "history": "page history",
    "feedback": "“Was this page useful?” form",
    "feedback-comment": "“Was this page useful?” form",
    "feedback-comment-hint": "“Was this page useful?” form",
    "feedback-comment-info": "“Was this page useful?” form",
    "feedback-comment-error": "“Was this page useful?” form",
    "section-navigation": "section navigation",
    "related": "related content",
    "downloads": "downloads",
    "contact": "contact details",
}


def _cut_at_word(slug, length):
    """``slug`` no longer than ``length``, cut at the last whole word (hyphen) that fits."""
    if len(slug) <= length:
        return slug
    cut = slug[: length + 1].rsplit("-", 1)[0]
    return (cut if cut and len(cut) <= length else slug[:length]).strip("-")


def anchor_from(text):
    return _cut_at_word(slugify(text), ANCHOR_MAX_LENGTH) or "question"


def _same_question(text):
    """The wording that makes two questions the same: case, spacing and end punctuation aside."""
    return " ".join(text.casefold().split()).rstrip("?!. ")


def assign_anchors(questions):
    """Give each question without an anchor one made from its wording, unique on the page.

    ``questions`` is a list of dict-like values with "question" and "anchor". Anchors typed by an editor
    are kept; returns the positions (in the list) of typed anchors that another question already uses or the page
    itself uses (RESERVED_ANCHORS). One exception: a kept anchor the page itself uses that is the very one the
    question's wording makes is taken as made, not typed (the page took the id since), and made again.
    """
    # An anchor the page itself now uses (RESERVED_ANCHORS) that is the one its question's wording makes was made for
    # it before the page took that id ("history" for a question "History"): made again, as a new question's is, not
    # refused on a save by an editor who never typed it.
    for value in questions:
        if value["anchor"] in RESERVED_ANCHORS and value["anchor"] == anchor_from(value["question"]):
            value["anchor"] = ""
    taken = {value["anchor"] for value in questions if value["anchor"]} | set(RESERVED_ANCHORS)
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
            candidate = f"{_cut_at_word(base, ANCHOR_MAX_LENGTH - 4)}-{number}"
            number += 1
        value["anchor"] = candidate
        taken.add(candidate)
        seen.add(candidate)
    return duplicates


class FAQQuestionBlock(blocks.StructBlock):
    """One question and its answer; the anchor is the address of the answer on the page (#anchor)."""

    # No max_length here: it would become the input's maxlength, and the browser cuts longer text silently.
    question = blocks.CharBlock(help_text=f"{QUESTION_MAX_LENGTH} characters or fewer.")
    answer = blocks.RichTextBlock(features=[*RICH_TEXT_FEATURES, "image"])
    anchor = blocks.CharBlock(
        required=False,
        search_index=False,
        help_text=(
            f"{ANCHOR_MAX_LENGTH} characters or fewer. Leave blank to make it from the question. "
            "Changing it breaks links people have saved."
        ),
    )

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        question, anchor = value["question"], value["anchor"]
        if len(question) > QUESTION_MAX_LENGTH:
            errors["question"] = ValidationError(
                f"The question must be {QUESTION_MAX_LENGTH} characters or fewer (it has {len(question)}): "
                "shorten it, or move detail into the answer"
            )
        if anchor and anchor != slugify(anchor):
            errors["anchor"] = ValidationError(
                "Use only lower-case letters, numbers and hyphens, for example new-phone"
            )
        elif len(anchor) > ANCHOR_MAX_LENGTH:
            errors["anchor"] = ValidationError(
                f"The anchor must be {ANCHOR_MAX_LENGTH} characters or fewer (it has {len(anchor)})"
            )
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
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
        errors = {}
        first_asked = {}
        for number, position in enumerate(positions, start=1):
            wording = _same_question(value[position].value["question"])
            if wording in first_asked:
                errors.setdefault(position, {})["question"] = ValidationError(
                    f"Question {first_asked[wording]} on this page asks the same: remove one, or reword it"
                )
            first_asked.setdefault(wording, number)
        for duplicate in assign_anchors([value[i].value for i in positions]):
            anchor = value[positions[duplicate]].value["anchor"]
            message = (
                f"“{anchor}” is reserved for the page itself (its {RESERVED_ANCHORS[anchor]}): choose another anchor"
                if anchor in RESERVED_ANCHORS
                else "Another question on this page uses this anchor: choose another"
            )
            errors.setdefault(positions[duplicate], {})["anchor"] = ValidationError(message)
        if errors:
            raise blocks.StreamBlockValidationError(
                block_errors={
                    position: blocks.StructBlockValidationError(block_errors=fields)
                    for position, fields in errors.items()
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


def _capture_valid(text):
    parse_capture(text)


def _placeholders_in_brackets(usage: str) -> str:
    """The usage with its placeholders in square brackets (go to [path]): Wagtail shows a block's help as HTML, where
    <path> would be read as a tag and vanish."""
    return re.sub(r"<([^<>]+)>", r"[\1]", usage)


# Who takes the picture, in an editor's words: saving takes none; `make guides` (manage.py capture_guides), run by
# whoever runs the site, plays every capture on a throwaway copy of the demo portal, puts the pictures on the steps
# and publishes the guides again, or saves a draft where changes are not yet published (README, "Visual guides").
CAPTURE_HELP = (
    "Optional. Leave blank to keep the picture chosen above. Otherwise, write how to take the picture from the "
    "demo portal (its made-up accounts and children), one action a line: "
    + "; ".join(_placeholders_in_brackets(usage) for usage, _meaning in VOCABULARY)
    + ". For example, on three lines: sign in as senco@oakfield-primary.example.org, then go to /portal/, then "
    "show page. Saving checks each line but takes no picture. The picture is taken when the team that runs the "
    "portal retakes the guides' pictures: ask them once your change is saved. They put the new picture on this "
    "step and publish the guide again; if the guide has changes not yet published, the picture is saved with them as "
    "a draft instead. "
    "Until then the step shows the picture chosen above, or none."
)


class GuideStepBlock(ChosenFileMixin, blocks.StructBlock):
    """One step of a visual guide: what to do, in words and in a picture (uploaded, or captured from the portal).
    A step whose picture was deleted from the library says so in the editor, as an Image block does."""

    file_block = "image"
    required_message = "Choose a picture, or write a capture that takes one"
    deleted_message = (
        "The picture this step showed was deleted. Choose another picture, write a capture that takes one, or "
        "remove this step"
    )

    heading = blocks.CharBlock(max_length=120)
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)
    image = ImageChooserBlock(
        required=False, help_text="Required unless the step has a capture, which replaces it when it runs."
    )
    alt_text = says_when_empty(
        "Enter alt text: say what the picture shows, for someone who cannot see it",
        blocks.CharBlock(
            max_length=250, help_text="Required. Say what the picture shows, for someone who cannot see it."
        ),
    )
    # Not searched: the public searches what the guide says, not how its pictures are taken.
    capture = blocks.TextBlock(
        required=False, rows=5, help_text=CAPTURE_HELP, validators=[_capture_valid], search_index=False
    )
    capture_width = DefaultChoiceBlock(
        choices=[("desktop", "Desktop"), ("phone", "Phone")],
        default="desktop",
        search_index=False,
        help_text="The screen the capture is taken on.",
    )

    def clean(self, value):
        value = super().clean(value)
        if not value["image"] and not (value.get("capture") or "").strip():
            raise blocks.StructBlockValidationError(
                block_errors={"image": ValidationError(self.required_message, code="required")}
            )
        return value

    class Meta:
        icon = "list-ol"
        label = "Step"
