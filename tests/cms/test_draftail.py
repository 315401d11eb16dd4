"""A rich text box is drawn with the value Draftail writes back (cms/draftail.py); the browser's side of it is
tests/browser/test_editor_opening_changes_nothing.py. Here: what the server draws, and that it saves unchanged."""

import json
import re

from wagtail import blocks

from cms.draftail import SettledDraftailRichTextArea

FEATURES = ["h3", "bold", "italic", "link", "ul"]
TEXT = (
    '<h3>Before you start</h3><p><b>Side</b><b> by side</b>, <i>the head’s</i> <a href="https://example.org/a">one</a>'
    ' <a href="https://example.org/b">two</a></p><ul><li>Reports</li></ul>'
)


def _widget():
    return blocks.RichTextBlock(features=FEATURES).field.widget


def test_rich_text_boxes_use_the_settled_widget():
    assert isinstance(_widget(), SettledDraftailRichTextArea)


def test_an_empty_box_is_drawn_as_draftail_writes_it():
    assert _widget().format_value("") == "null"
    assert _widget().format_value("<p> </p>") == "null"


def test_a_box_is_drawn_compact_with_runs_merged_and_saves_the_same_text():
    widget = _widget()
    drawn = widget.format_value(TEXT)
    assert "\n" not in drawn and "’" in drawn  # JSON.stringify's form: one line, characters as they are
    paragraph = json.loads(drawn)["blocks"][1]
    assert list(paragraph) == ["key", "text", "type", "depth", "inlineStyleRanges", "entityRanges", "data"]
    assert paragraph["inlineStyleRanges"] == [
        {"offset": 0, "length": 12, "style": "BOLD"},
        {"offset": 14, "length": 10, "style": "ITALIC"},
    ]
    assert [r["key"] for r in paragraph["entityRanges"]] == [0, 1]
    # Saved back as the text, the two bold runs one (as a save from Draftail always stored it).
    saved = widget.value_from_datadict({"body": drawn}, {}, "body")
    assert _keyless(saved) == TEXT.replace("<b>Side</b><b> by side</b>", "<b>Side by side</b>")


def _keyless(html):
    """Without the block keys Wagtail writes into saved text (new ones each time a text is drawn)."""
    return re.sub(r' data-block-key="\w+"', "", html)
