"""Each required block of the form builder says what to enter when left empty, beside it (GOV.UK's "Enter …"), rather
than Django's bare "This field is required.", which names nothing in a form of many sections and questions."""

from django.urls import reverse
from wagtail import blocks

from advice_forms.blocks import SectionsBlock
from advice_forms.models import FormDefinition
from tests.advice_forms.admin.form_data import definition_post, field, guidance, section

DJANGO_REQUIRED = "This field is required."


def _required_field_blocks(block, path=()):
    """(path, block) of every required FieldBlock reachable from `block`."""
    if isinstance(block, blocks.FieldBlock):
        # A chooser's field needs the admin's snippet registry; the form builder's are all optional.
        if not isinstance(block, blocks.ChooserBlock) and block.required:
            yield path, block
        return
    children = getattr(block, "child_blocks", None) or {}
    for name, child in children.items():
        yield from _required_field_blocks(child, (*path, name))
    if isinstance(block, blocks.ListBlock):
        yield from _required_field_blocks(block.child_block, (*path, "item"))


def test_every_required_block_of_the_form_builder_says_what_to_enter():
    found = list(_required_field_blocks(SectionsBlock()))
    assert len(found) > 10
    bare = [".".join(path) for path, block in found if block.field.error_messages["required"] == DJANGO_REQUIRED]
    assert bare == []
    messages = {".".join(path): block.field.error_messages["required"] for path, block in found}
    assert messages["section.title"] == "Enter a title for the section"
    assert messages["section.fields.short_text.label"] == "Enter the question"
    assert messages["section.fields.single_choice.options.item.label"] == "Enter the option's label"
    assert messages["section.fields.table.columns.item.label"] == "Enter the column's heading"
    assert messages["section.fields.guidance.body"] == "Enter the guidance text"


def test_a_publish_with_an_empty_section_title_or_question_says_what_to_enter_beside_each(designer_client):
    """Refused beside the title with "This field is required." only; the draft it was saved as is kept."""
    draft = FormDefinition.objects.create(title="Speech advice", version_label="V1")
    sections = [
        (
            "section",
            section("", [("short_text", field("", max_length="100"), ""), ("guidance", guidance(""), "")]),
            "",
        )
    ]
    edit = reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[draft.pk])

    response = designer_client.post(
        edit, definition_post(title="Speech advice", version_label="V1", sections=sections, publish=True)
    )

    assert response.status_code == 200
    error = response.context["form"].errors["sections"].as_data()[0].as_json_data()
    own = error["blockErrors"][0]["blockErrors"]
    assert own["title"]["messages"] == ["Enter a title for the section"]
    questions = own["fields"]["blockErrors"]
    assert questions[0]["blockErrors"]["label"]["messages"] == ["Enter the question"]
    assert questions[1]["blockErrors"]["body"]["messages"] == ["Enter the guidance text"]
    assert DJANGO_REQUIRED not in response.content.decode()
    assert not draft.versions.exists()
