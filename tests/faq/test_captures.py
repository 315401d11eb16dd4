"""The capture vocabulary an editor writes on a guide step: each line is checked, and a wrong one is named."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError

from faq.blocks import GuideStepBlock
from faq.captures import Action, parse_capture
from faq.models import VisualGuidePage

GOOD = """go to /portal/sign-in/
sign in as senco@oakfield-primary.example.org
open the link emailed to senco@littlewrens-nursery.example.org

Click Save and continue
fill Your team's work email address with team@school.example.org
highlight .govuk-task-list
show css=table"""


def messages(text):
    with pytest.raises(ValidationError) as caught:
        parse_capture(text)
    return caught.value.messages


def test_every_verb_of_the_vocabulary_is_read_with_its_line():
    actions = parse_capture(GOOD)

    assert actions == [
        Action("go", "/portal/sign-in/", line=1),
        Action("sign_in", "senco@oakfield-primary.example.org", line=2),
        Action("email_link", "senco@littlewrens-nursery.example.org", line=3),
        Action("click", "Save and continue", line=5),
        Action("fill", "Your team's work email address", "team@school.example.org", line=6),
        Action("highlight", ".govuk-task-list", line=7),
        Action("show", "css=table", line=8),
    ]
    assert parse_capture("go to /portal/\nshow page")[-1] == Action("show", "", line=2)


def test_an_unknown_verb_is_refused_with_its_line_named():
    errors = messages("go to /portal/\npress Continue\nshow page")

    assert len(errors) == 1
    assert errors[0].startswith("Line 2: “press” is not an action.")
    assert "“go to”" in errors[0] and "“fill”" in errors[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("go to portal/\nshow page", "Line 1: “go to” needs a path starting with /"),
        ("go to /portal/\nfill Email address\nshow page", "Line 2: write “fill <label> with <text>”"),
        ("go to /portal/\nclick Continue", "The last line must say what to show"),
        ("go to /portal/\nshow page\nshow css=table", "Line 2: only the last line may be a “show”"),
    ],
)
def test_a_badly_formed_line_gets_a_message_that_says_how_to_write_it(text, expected):
    assert any(message.startswith(expected) for message in messages(text))


def test_the_guide_step_refuses_a_bad_capture_and_a_step_without_picture_or_capture():
    block = GuideStepBlock()
    value = {"heading": "Sign in", "text": "<p>Sign in.</p>", "image": None, "alt_text": "The sign-in page"}

    with pytest.raises(StructBlockValidationError) as caught:
        block.clean(block.to_python({**value, "capture": "visit /portal/\nshow page"}))
    assert "Line 1: “visit” is not an action." in str(caught.value.block_errors["capture"])

    with pytest.raises(StructBlockValidationError) as caught:
        block.clean(block.to_python({**value, "capture": ""}))
    assert "Choose a picture, or write a capture" in str(caught.value.block_errors["image"])

    cleaned = block.clean(block.to_python({**value, "capture": "go to /portal/sign-in/\nshow page"}))
    assert cleaned["capture_width"] == "desktop" and cleaned["image"] is None


def test_the_guide_page_form_shows_the_capture_error_beside_the_step():
    steps = VisualGuidePage._meta.get_field("steps").stream_block
    raw = [{"type": "step", "value": {"heading": "A", "text": "<p>b</p>", "alt_text": "c", "capture": "zoom in"}}]

    with pytest.raises(StreamBlockValidationError) as caught:
        steps.clean(steps.to_python(raw))

    assert "Line 1: “zoom” is not an action." in str(caught.value.block_errors[0].block_errors["capture"])
