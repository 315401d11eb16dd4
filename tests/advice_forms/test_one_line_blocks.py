"""Every one-line text of the form builder (a title, a label, a key) is a OneLineBlock, which carries the one-line
check itself: no declaration can leave it out, and its definition in migrations is the one each declaration wrote."""

import pytest
from django.core.exceptions import ValidationError
from wagtail import blocks

from advice_forms.blocks import OneLineBlock, SectionsBlock
from cms.form_fields import one_line


def _one_line_blocks(block, path=()):
    if isinstance(block, OneLineBlock):
        yield ".".join(path), block
        return
    for name, child in (getattr(block, "child_blocks", None) or {}).items():
        yield from _one_line_blocks(child, (*path, name))
    if isinstance(block, blocks.ListBlock):
        yield from _one_line_blocks(block.child_block, (*path, "item"))


ONE_LINE_BLOCKS = list(_one_line_blocks(SectionsBlock()))


def test_the_form_builder_has_its_one_line_texts():
    paths = [path for path, _block in ONE_LINE_BLOCKS]
    assert len(paths) >= 20
    assert {"section.title", "section.fields.short_text.label", "section.fields.table.columns.item.label"} <= set(paths)


@pytest.mark.parametrize("path,block", ONE_LINE_BLOCKS, ids=[path for path, _block in ONE_LINE_BLOCKS])
def test_each_one_line_text_refuses_a_hidden_character_and_folds_a_tab(path, block):
    with pytest.raises(ValidationError, match="cannot be seen"):
        block.clean("Name of\x07 the school")
    assert block.clean("Name of\tthe school") == "Name of the school"
    # The definition migrations hold: Wagtail's CharBlock with the one-line check.
    block_path, _args, kwargs = block.deconstruct()
    assert block_path == "wagtail.blocks.CharBlock"
    assert kwargs["validators"] == [one_line]
