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


def _keys(definition):
    sections = definition.latest_revision.as_object().sections
    return [(s.value["key"], [f.value["key"] for f in s.value["fields"]]) for s in sections]


def test_a_section_saved_without_its_title_gets_its_key_from_the_title_written_later(designer_client):
    """The refused publish's draft kept the untitled section with the key "question" (made from nothing), and the page
    drawn from it showed that key as if typed: once the title was written and published, the key stayed "question"."""
    draft = FormDefinition.objects.create(title="Speech advice", version_label="V1")
    edit = reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[draft.pk])
    untitled = [("section", section("", [("short_text", field("", max_length="100"), "")]), "")]
    designer_client.post(
        edit, definition_post(title="Speech advice", version_label="V1", sections=untitled, publish=True)
    )
    draft.refresh_from_db()
    assert _keys(draft) == [("", [""])]

    # The page shows the saved draft's keys; the designer writes the title and the question, and publishes.
    saved = draft.latest_revision.as_object().sections
    section_key, (question_key,) = _keys(draft)[0]
    written = [
        (
            "section",
            section(
                "Communication",
                [
                    (
                        "short_text",
                        field("How does the child ask for help?", key=question_key, max_length="100"),
                        saved[0].value["fields"][0].id,
                    )
                ],
                key=section_key,
            ),
            saved[0].id,
        )
    ]
    response = designer_client.post(
        edit, definition_post(title="Speech advice", version_label="V1", sections=written, publish=True)
    )

    assert response.status_code == 302
    version = draft.versions.get()
    assert [(s["value"]["key"], [f["value"]["key"] for f in s["value"]["fields"]]) for s in version.content] == [
        ("communication", ["how_does_the_child_ask_for_help"])
    ]


def test_a_draft_with_two_untitled_sections_previews(designer_client):
    """With no keys yet, two untitled sections and their unlabelled questions still show in the preview."""
    draft = FormDefinition.objects.create(title="Speech advice", version_label="V1")
    untitled = [
        ("section", section("", [("short_text", field("", max_length="100"), ""), ("yes_no", field(""), "")]), "")
        for _ in range(2)
    ]
    posted = definition_post(title="Speech advice", version_label="V1", sections=untitled)
    edit = reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[draft.pk])
    assert designer_client.post(edit, posted).status_code == 302
    preview = reverse("wagtailsnippets_advice_forms_formdefinition:preview_on_edit", args=[draft.pk])
    assert designer_client.post(preview, posted).json()["is_valid"] is True
    assert designer_client.get(preview).status_code == 200
    assert designer_client.get(preview, {"mode": "print"}).status_code == 200


def test_a_draft_with_two_untitled_sections_previews_each_step_and_each_question(designer_client):
    """Without keys, both steps showed the first untitled section's form, and of two unlabelled questions of a step
    only the last: they shared the key "" (a form field of each name)."""
    draft = FormDefinition.objects.create(title="Speech advice", version_label="V1")
    untitled = [
        ("section", section("", [("short_text", field("", max_length="100"), ""), ("yes_no", field(""), "")]), ""),
        ("section", section("", [("long_text", field(""), ""), ("yes_no", field(""), "")]), ""),
    ]
    posted = definition_post(title="Speech advice", version_label="V1", sections=untitled)
    edit = reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[draft.pk])
    assert designer_client.post(edit, posted).status_code == 302
    preview = reverse("wagtailsnippets_advice_forms_formdefinition:preview_on_edit", args=[draft.pk])
    assert designer_client.post(preview, posted).json()["is_valid"] is True
    html = designer_client.get(preview).content.decode()

    assert html.count('type="radio"') == 4  # each step's yes/no question: yes and no
    assert html.count('type="text"') == 1 and html.count("<textarea") == 1
    assert 'name=""' not in html
    assert designer_client.get(preview, {"mode": "print"}).status_code == 200
