"""A question a condition uses cannot be renamed or removed: the save is refused, naming the condition in the
designer's words beside the rule (and beside the renamed question's key), and nothing is stored."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from advice_forms.blocks import DefinitionErrors, check_sections, describe_rule, saved_questions
from advice_forms.message_check import PublishProblem, placed_problems
from advice_forms.models import FormDefinition
from tests.advice_forms.admin.form_data import definition_post, field, section
from tests.advice_forms.admin.test_form_design import errors_for, field_errors
from tests.factories.accounts import verified_login
from tests.factories.advice_forms import DropdownListFactory
from tests.refusals import refused_by_wagtail

pytestmark = pytest.mark.django_db

SCHOOL_ID = "6f1c2b1e-0000-4000-8000-000000000001"
WHICH_ID = "6f1c2b1e-0000-4000-8000-000000000002"
SECTION_ID = "6f1c2b1e-0000-4000-8000-000000000003"


def _sections(
    school_key="", school_label="Does the child go to school?", keep_school=True, rule_key="does_the_child_go_to_school"
):
    questions = []
    if keep_school:
        questions.append(("yes_no", field(school_label, key=school_key), SCHOOL_ID))
    questions.append(
        (
            "short_text",
            field("Which school?", max_length="100", condition={"rules": [(rule_key, "is", "yes")]}),
            WHICH_ID,
        )
    )
    return [("section", section("About the child", questions), SECTION_ID)]


@pytest.fixture
def saved(designer_client):
    """A definition saved once through the admin: the second question shows only when the first is "yes"."""
    response = designer_client.post(
        reverse("wagtailsnippets_advice_forms_formdefinition:add"),
        definition_post(title="School form", version_label="V1", sections=_sections()),
    )
    assert response.status_code == 302, errors_for(response)
    return FormDefinition.objects.get(title="School form")


def _edit(client, definition, sections):
    return client.post(
        reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[definition.pk]),
        definition_post(title="School form", version_label="V1", sections=sections),
    )


def test_the_key_a_condition_uses_was_made_from_the_label_at_the_first_save(saved):
    school, which = saved.sections[0].value["fields"]
    assert school.value["key"] == "does_the_child_go_to_school"
    assert which.value["condition"]["rules"][0]["field_key"] == "does_the_child_go_to_school"


def test_renaming_a_key_a_condition_uses_is_refused_beside_the_key_and_the_rule(designer_client, saved):
    before = saved.sections.get_prep_value()

    response = _edit(designer_client, saved, _sections(school_key="at_school"))

    assert response.status_code == 200
    errors = field_errors(response)
    named = (
        "Section “About the child”, question “Which school?” shows only when “Does the child go to school?” is “Yes”"
    )
    assert errors[0]["blockErrors"]["key"]["messages"] == [
        f"{named}: it uses this question's key “does_the_child_go_to_school”, so the key cannot change. "
        "Change that condition first"
    ]
    assert errors[1]["blockErrors"]["condition"]["messages"] == [
        "This question shows only when “Does the child go to school?” is “Yes”: it uses the key "
        "“does_the_child_go_to_school”, which that question no longer has (it is now “at_school”). Keep the key "
        "“does_the_child_go_to_school”, or change this rule"
    ]
    saved.refresh_from_db()
    assert saved.sections.get_prep_value() == before
    assert json.loads(saved.get_latest_revision().content["sections"]) == before


def test_a_new_label_with_a_blank_key_is_a_rename_too(designer_client, saved):
    response = _edit(designer_client, saved, _sections(school_label="Is the child at school?"))

    assert response.status_code == 200
    assert "so the key cannot change" in field_errors(response)[0]["blockErrors"]["key"]["messages"][0]


def test_removing_a_question_a_condition_uses_is_refused_naming_the_condition(designer_client, saved):
    response = _edit(designer_client, saved, _sections(keep_school=False))

    assert response.status_code == 200
    assert field_errors(response)[0]["blockErrors"]["condition"]["messages"] == [
        "This question shows only when “Does the child go to school?” is “Yes”: that question is no longer in the "
        "form. Put it back, or change or delete this rule"
    ]


def test_a_rename_no_condition_uses_and_a_relabel_with_its_key_kept_are_saved(designer_client, saved):
    kept = _edit(
        designer_client,
        saved,
        _sections(school_key="does_the_child_go_to_school", school_label="Is the child at school?"),
    )
    assert kept.status_code == 302, errors_for(kept)

    renamed = _edit(designer_client, saved, _sections(school_key="at_school", rule_key="at_school"))
    assert renamed.status_code == 302, errors_for(renamed)


def test_a_section_condition_on_a_removed_question_names_the_section():
    saved = [
        {
            "type": "section",
            "id": "s1",
            "value": {
                "title": "About",
                "key": "about",
                "fields": [
                    {
                        "type": "single_choice",
                        "id": "q1",
                        "value": {
                            "label": "Setting",
                            "key": "setting",
                            "options": [
                                {"label": "Mainstream school", "value": "mainstream"},
                                {"label": "At home", "value": ""},
                            ],
                        },
                    },
                ],
            },
        },
    ]
    from advice_forms.models import FormDefinition as Model

    now = Model(
        sections=[
            {
                "type": "section",
                "id": "s1",
                "value": {
                    "title": "About",
                    "fields": [{"type": "short_text", "id": "q2", "value": {"label": "Anything else"}}],
                },
            },
            {
                "type": "section",
                "id": "s2",
                "value": {
                    "title": "Home learning",
                    "fields": [{"type": "short_text", "id": "q3", "value": {"label": "Hours a week"}}],
                    "condition": {
                        "match": "all",
                        "rules": [{"field_key": "setting", "operator": "is_one_of", "value": "mainstream, at_home"}],
                    },
                },
            },
        ]
    ).sections

    check = check_sections(now, saved=saved)

    assert check.messages() == [
        "This section shows only when “Setting” is one of “Mainstream school”, “At home”: that question is no "
        "longer in the form. Put it back, or change or delete this rule"
    ]
    # Listed once a place, and linked to the rule, not to the section's title.
    assert placed_problems(now, check) == [
        PublishProblem(
            "Section 2 “Home learning”: This section shows only when “Setting” is one of “Mainstream school”, “At "
            "home”: that question is no longer in the form. Put it back, or change or delete this rule",
            "sections-1-value-condition-rules-0-value-field_key-picker",
            (1,),
        )
    ]
    keys = DefinitionErrors()
    keys.field(1, 0, "key", "Another question uses this key")
    keys.field(1, 0, "options", "Add an option")
    assert [problem.target for problem in placed_problems(now, keys)] == [
        "sections-1-value-fields-0-value-key",
        "sections-1-value-fields-0-value-label",  # the options have no box of their own
    ]


def test_a_removed_dropdown_question_is_described_with_the_lists_labels():
    languages = DropdownListFactory(name="Languages")
    languages.options.create(label="Polish", value="pl")
    languages.save()  # modelcluster keeps a child in memory until its parent is saved
    questions = saved_questions(
        [
            {
                "type": "section",
                "value": {
                    "fields": [
                        {
                            "type": "single_choice",
                            "id": "q",
                            "value": {"label": "Home language", "key": "lang", "dropdown_list": languages.pk},
                        }
                    ]
                },
            }
        ]
    )
    assert describe_rule({"field_key": "lang", "operator": "is_not", "value": "pl"}, questions["lang"]) == (
        "“Home language” is not “Polish”"
    )


def test_a_condition_on_a_question_made_later_from_its_label_says_it_comes_later():
    now = FormDefinition(
        sections=[
            {
                "type": "section",
                "id": "s1",
                "value": {
                    "title": "About",
                    "fields": [
                        {
                            "type": "short_text",
                            "id": "q2",
                            "value": {
                                "label": "Which school?",
                                "condition": {
                                    "match": "all",
                                    "rules": [{"field_key": "at_school", "operator": "is", "value": "yes"}],
                                },
                            },
                        },
                        {"type": "yes_no", "id": "q1", "value": {"label": "At school"}},
                    ],
                },
            },
        ]
    ).sections
    assert check_sections(now).messages() == [
        "Rule 1 of “Show only when”: “At school” comes later in the form; a condition can only use an earlier question"
    ]


def test_the_pickers_list_options_go_to_form_designers_alone(designer_client, caseworker):
    languages = DropdownListFactory(name="Languages")
    languages.options.create(label="Polish", value="pl")
    languages.options.create(label="Latin", value="la", retired=True)
    languages.save()
    url = reverse("wagtailsnippets_advice_forms_formdefinition:condition_options")

    assert designer_client.get(url).json() == {
        str(languages.pk): [{"value": "pl", "label": "Polish"}, {"value": "la", "label": "Latin (retired)"}]
    }
    assert refused_by_wagtail(verified_login(Client(), caseworker).get(url))


def test_the_editor_loads_the_picker_with_the_address_of_the_lists(designer_client):
    html = designer_client.get(reverse("wagtailsnippets_advice_forms_formdefinition:add")).content.decode()
    url = reverse("wagtailsnippets_advice_forms_formdefinition:condition_options")
    assert f'src="/static/advice_forms/condition_picker.js" data-options-url="{url}"' in html
