"""Wagtail's rich text editor (Draftail), drawn with the value it will write itself, so opening an editor changes
nothing.

Wagtail renders a rich text field's hidden input as its own contentstate JSON (indented, random block keys, entities
as stored). A quarter second after each Draftail editor is drawn, Draftail writes the input again in its own form:
Draft.js's ``convertToRaw`` compacted, or ``null`` for an empty text. On a page whose editors are all drawn within
two seconds nobody notices; on a long form definition the later ones are drawn after Wagtail's unsaved-changes check
has taken its first copy of the form, so the untouched form counts as changed: the autosave stores a draft revision
("Live + Draft"), and leaving warns of changes nobody made. Serialising on the server as Draftail will keeps the
input as it is.
"""

import json

from django.forms import Media
from django.utils.functional import cached_property
from wagtail.admin.rich_text import DraftailRichTextArea
from wagtail.admin.rich_text.editors.draftail import DraftailRichTextAreaAdapter
from wagtail.admin.staticfiles import versioned_static
from wagtail.admin.telepath import register


def _runs(values):
    """(start, end, value) for each run of equal values other than None."""
    start = 0
    for index in range(1, len(values) + 1):
        if index == len(values) or values[index] != values[start]:
            if values[start] is not None:
                yield start, index, values[start]
            start = index


def draftail_raw(contentstate: dict) -> dict | None:
    """The raw state Draftail saves for a contentstate: Draft.js's convertToRaw after convertFromRaw (styles and
    entities per character, then encoded again as runs, entities numbered as first met, unused ones gone), or None
    when no block has text, a style or an entity (Draftail's serialiseEditorStateToRaw)."""
    entity_map = contentstate.get("entityMap") or {}
    numbers, entities, blocks = {}, {}, []
    for block in contentstate.get("blocks") or []:
        text = block.get("text") or ""
        styles = [[] for _ in text]
        for style_range in block.get("inlineStyleRanges") or []:
            start = style_range["offset"]
            for index in range(start, min(start + style_range["length"], len(text))):
                if style_range["style"] not in styles[index]:
                    styles[index].append(style_range["style"])
        order = list(dict.fromkeys(style for char_styles in styles for style in char_styles))
        style_ranges = [
            {"offset": start, "length": end - start, "style": style}
            for style in order
            for start, end, _ in _runs([True if style in char_styles else None for char_styles in styles])
        ]
        chars = [None] * len(text)
        for entity_range in block.get("entityRanges") or []:
            if str(entity_range["key"]) not in entity_map:
                continue  # Draft.js reads no entity there either
            start = entity_range["offset"]
            for index in range(start, min(start + entity_range["length"], len(text))):
                chars[index] = str(entity_range["key"])
        entity_ranges = []
        for start, end, key in _runs(chars):
            if key not in numbers:
                numbers[key] = len(numbers)
                entity = entity_map[key]
                entities[str(numbers[key])] = {
                    "type": entity["type"],
                    "mutability": entity["mutability"],
                    "data": entity.get("data") or {},
                }
            entity_ranges.append({"offset": start, "length": end - start, "key": numbers[key]})
        blocks.append(
            {
                "key": block["key"],
                "text": text,
                "type": block.get("type") or "unstyled",
                "depth": block.get("depth") or 0,
                "inlineStyleRanges": style_ranges,
                "entityRanges": entity_ranges,
                "data": block.get("data") or {},
            }
        )
    if all(not b["text"].strip() and not b["entityRanges"] and not b["inlineStyleRanges"] for b in blocks):
        return None
    return {"blocks": blocks, "entityMap": entities}


def draftail_json(contentstate_json: str) -> str:
    """Wagtail's contentstate JSON as Draftail writes it back (JSON.stringify: compact, characters unescaped)."""
    return json.dumps(draftail_raw(json.loads(contentstate_json)), ensure_ascii=False, separators=(",", ":"))


class SettledDraftailRichTextArea(DraftailRichTextArea):
    """Wagtail's Draftail widget, its hidden input drawn as Draftail will save it (WAGTAILADMIN_RICH_TEXT_EDITORS)."""

    def format_value(self, value):
        return draftail_json(super().format_value(value))


class LazyDraftailRichTextArea(SettledDraftailRichTextArea):
    """The same rich text box, its editor drawn the first time it is on screen (cms/static/cms/admin/lazy-rich-text.js).

    Until then the form holds the box's hidden input with its value, so the form posts, checks and saves the same.
    Each Draftail editor forces a layout of the whole page as it is drawn: on a long form definition, whose sections
    start collapsed, drawing a section's guidance only when the designer opens the section spares the opening of the
    editor a layout per section (docs/performance.md)."""

    @cached_property
    def media(self):
        return super().media + Media(js=[versioned_static("cms/admin/lazy-rich-text.js")])


class LazyDraftailRichTextAreaAdapter(DraftailRichTextAreaAdapter):
    js_constructor = "cms.widgets.LazyDraftailRichTextArea"


register(LazyDraftailRichTextAreaAdapter(), LazyDraftailRichTextArea)
