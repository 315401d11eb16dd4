"""The POST of the form-definition edit view, as Wagtail's block widgets submit it.

Two ways in: ``definition_post(sections=...)`` from items built by hand (``field``, ``choice``, ``section``; the
tests build theirs with them too, and ``large_sections`` builds a real council's 250-question form), and
``definition_post_for(definition)`` from a stored definition, every block walked as its widget posts it (the bench
saves the demo ERSA through the admin with it). Unticked checkboxes are absent, ticked ones
send "on", rich text is the editor's contentstate JSON, a chooser sends the chosen object's id.
"""

import json
import re

from wagtail import blocks
from wagtail.test.utils.form_data import nested_form_data, rich_text


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


def condition_data(condition=None):
    """A condition as the admin posts it: {"match", "rules": [(field_key, operator, value)]}, or the old
    {"field_key", "value"} (one "is" rule)."""
    condition = condition or {}
    if "field_key" in condition:
        rules = [(condition["field_key"], "is", condition.get("value", ""))] if condition["field_key"] else []
    else:
        rules = condition.get("rules", [])
    return {
        "match": condition.get("match", "all"),
        "rules": list_block([{"field_key": k, "operator": op, "value": v} for k, op, v in rules]),
    }


def field(label, key="", required=True, condition=None, **extra):
    value = {
        "label": label,
        "key": key,
        "hint": "",
        "required": required,
        "error_message": "",
        "condition": condition_data(condition),
    }
    value.update(extra)
    return value


def choice(label, key="", options=(), dropdown_list="", **extra):
    return field(
        label,
        key,
        dropdown_list=dropdown_list,
        options=list_block([{"label": o_label, "value": o_value} for o_value, o_label in options]),
        **extra,
    )


def section(title, fields, key="", condition=None, quick_add=""):
    return {
        "title": title,
        "key": key,
        "guidance": rich_text(""),
        "condition": condition_data(condition),
        "fields": stream(fields),
        "quick_add": quick_add,
    }


# A real council's form: 250 questions in 12 sections, every simple kind in turn.
LARGE_SECTIONS = 12
LARGE_QUESTIONS = 250
LARGE_KINDS = ("short_text", "long_text", "number", "date", "yes_no", "single_choice", "multiple_choice")
LARGE_OPTIONS = [("often", "Often"), ("sometimes", "Sometimes"), ("rarely", "Rarely")]


def large_layout(questions=LARGE_QUESTIONS, sections=LARGE_SECTIONS):
    """[(section key, [(kind, key, label)])]: the questions spread over the sections, every simple kind in turn."""
    layout, number = [], 0
    for s in range(sections):
        count = questions // sections + (1 if s < questions % sections else 0)
        items = []
        for _ in range(count):
            number += 1
            kind = LARGE_KINDS[number % len(LARGE_KINDS)]
            items.append((kind, f"q{number:03d}", f"Question {number} of the big form"))
        layout.append((f"part_{s + 1:02d}", items))
    return layout


def large_sections(layout):
    """The admin's items for `large_layout`'s sections, each question with its own "not answered" message."""
    out = []
    for section_key, questions in layout:
        fields = []
        for kind, key, label in questions:
            if kind in ("single_choice", "multiple_choice"):
                fields.append((kind, choice(label, key=key, options=LARGE_OPTIONS, display="radios"), ""))
            elif kind in ("short_text", "long_text"):
                fields.append((kind, field(label, key=key, max_length="500"), ""))
            elif kind == "number":
                fields.append((kind, field(label, key=key, whole_numbers=True), ""))
            elif kind == "yes_no":
                fields.append((kind, field(label, key=key, error_message=f"Select yes or no for question {key}"), ""))
            else:
                fields.append((kind, field(label, key=key), ""))
        out.append(("section", section(f"Part {section_key[-2:]}", fields, key=section_key), ""))
    return out


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
