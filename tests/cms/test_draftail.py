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


def test_a_box_drawn_when_shown_posts_as_the_settled_one_through_its_own_script_after_draftails():
    """LazyDraftailRichTextArea (a form definition's guidance): the same value drawn and read back; in the browser
    its own constructor, given Draftail's options, from a script loaded after Draftail's
    (tests/browser/test_editor_lazy_guidance.py draws and saves it)."""
    from wagtail.admin.telepath import JSContext

    from advice_forms.blocks import SectionBlock
    from cms.draftail import LazyDraftailRichTextArea

    lazy, settled = LazyDraftailRichTextArea(features=FEATURES), _widget()
    drawn = lazy.format_value(TEXT)
    unkeyed = lambda value: re.sub(r'"key":"\w+"', "", value)  # noqa: E731 (random block keys, new each time)
    assert unkeyed(drawn) == unkeyed(settled.format_value(TEXT))
    assert _keyless(lazy.value_from_datadict({"b": drawn}, {}, "b")) == _keyless(
        settled.value_from_datadict({"b": drawn}, {}, "b")
    )
    packed = JSContext().pack(lazy)
    assert packed == {"_type": "cms.widgets.LazyDraftailRichTextArea", "_args": [settled.options]}
    scripts = [str(script) for script in lazy.media._js]
    draftail, own = (next(i for i, s in enumerate(scripts) if name in s) for name in ("draftail.js", "lazy-rich-text"))
    assert draftail < own
    assert isinstance(SectionBlock().child_blocks["guidance"].field.widget, LazyDraftailRichTextArea)
