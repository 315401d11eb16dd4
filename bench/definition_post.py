"""The POST of the form-definition edit view, as Wagtail's block widgets submit it.

Two ways in: ``definition_post(sections=...)`` from items built by hand (tests/advice_forms/admin/form_data.py
builds them), and ``definition_post_for(definition)`` from a stored definition, every block walked as its widget
posts it (the bench saves the demo ERSA through the admin with it). Unticked checkboxes are absent, ticked ones
send "on", rich text is the editor's contentstate JSON, a chooser sends the chosen object's id.
"""

import json
import re

from wagtail import blocks
from wagtail.test.utils.form_data import nested_form_data


def stream(items):
    """items: [(block type, value, id or "")]."""
    data = {"count": str(len(items))}
    for index, (block_type, value, block_id) in enumerate(items):
        data[str(index)] = {"type": block_type, "value": value, "deleted": "", "order": str(index), "id": block_id}
    return data


def list_block(values, ids=()):
    data = {"count": str(len(values))}
    ids = list(ids) or [""] * len(values)
    for index, (value, block_id) in enumerate(zip(values, ids, strict=True)):
        data[str(index)] = {"value": value, "deleted": "", "order": str(index), "id": block_id or ""}
    return data


def definition_post(*, title, version_label, sections, kind="other_advice", description="", publish=False):
    data = nested_form_data(
        {
            "title": title,
            "kind": kind,
            "version_label": version_label,
            "description": description,
            "sections": stream(sections),
        }
    )
    # Unticked checkboxes are absent from a real POST; ticked ones send "on".
    data = {name: ("on" if value is True else value) for name, value in data.items() if value is not False}
    data = {name: ("" if value is None else value) for name, value in data.items()}
    if publish:
        data["action-publish"] = "action-publish"
    return data


def block_form_value(block, value):
    """One block's value as nested form data, as its widget posts it (see ``nested_form_data``)."""
    if isinstance(block, blocks.StreamBlock):
        return stream([(child.block_type, block_form_value(child.block, child.value), child.id) for child in value])
    if isinstance(block, blocks.ListBlock):
        bound = list(value.bound_blocks) if hasattr(value, "bound_blocks") else []
        return list_block(
            [block_form_value(block.child_block, child.value) for child in bound], ids=[child.id for child in bound]
        )
    if isinstance(block, blocks.StructBlock):
        return {name: block_form_value(child, value.get(name)) for name, child in block.child_blocks.items()}
    if isinstance(block, blocks.BooleanBlock):
        return bool(value)
    if isinstance(block, blocks.RichTextBlock):
        return block.field.widget.format_value(value.source if value is not None else "")
    prepared = block.get_prep_value(value)  # a chooser's id, a date's ISO text, a choice's value
    if isinstance(prepared, list):
        return tuple(prepared)  # several values of one name (a tuple: nested_form_data leaves it whole)
    return "" if prepared is None else prepared


def definition_post_for(definition, *, publish=False):
    """The whole edit form of a stored FormDefinition, as the admin's "Save draft" (or "Publish") posts it."""
    return definition_post(
        title=definition.title,
        kind=definition.kind,
        version_label=definition.version_label,
        description=definition.description,
        sections=[
            (child.block_type, block_form_value(child.block, child.value), child.id) for child in definition.sections
        ],
        publish=publish,
    )


def comparable(stream_value):
    """A StreamField's value as plain data, without what a save through the editor adds and means nothing: each
    block's defaults filled in, empty text as "" (not null), Draftail's block keys, an empty paragraph for empty
    rich text."""

    def plain(value):
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, list):
            return [plain(item) for item in value]
        if value is None:
            return ""
        if isinstance(value, str):
            text = re.sub(r' data-block-key="[^"]*"', "", value)
            return "" if text == "<p></p>" else text
        return value

    return plain(json.loads(json.dumps(stream_value.stream_block.get_prep_value(stream_value))))
