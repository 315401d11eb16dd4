"""The admin's preview says when each conditional step and question is shown, in the designer's words: question
labels and option labels (a dropdown list's, the question's own, Yes/No), never keys or option values; and the
preview and its "not available" page may be framed by the admin alone (tests/cms/test_editor_preview.py)."""

import re
from html import unescape

import pytest
from django.urls import reverse

from advice_forms.models import FormDefinition
from tests.advice_forms.admin.form_data import choice, definition_post, field, section
from tests.factories.advice_forms import DropdownListFactory, definition, school_form_sections

pytestmark = pytest.mark.django_db

RAW = ("home_language", "pl", "bsl", "has_an_interpreter", "mainstream", "needs_help")


@pytest.fixture
def languages(db):
    languages = DropdownListFactory(name="Languages")
    languages.options.create(label="Polish", value="pl")
    languages.options.create(label="British Sign Language", value="bsl")
    languages.save()  # modelcluster keeps children in memory until the parent is saved
    return languages


def _sections(languages):
    return [
        (
            "section",
            section(
                "Communication",
                [
                    ("single_choice", choice("Home language", dropdown_list=languages.pk, display="select"), ""),
                    (
                        "yes_no",
                        field("Has an interpreter?", condition={"rules": [("home_language", "is_one_of", "pl, bsl")]}),
                        "",
                    ),
                    (
                        "multiple_choice",
                        choice("Setting", options=[("mainstream", "Mainstream school"), ("", "Needs help at home")]),
                        "",
                    ),
                ],
            ),
            "",
        ),
        (
            "section",
            section(
                "Interpreter booking",
                [("short_text", field("Interpreter's name", max_length="100"), "")],
                condition={
                    "match": "any",
                    "rules": [("has_an_interpreter", "is_not", "yes"), ("setting", "is", "needs_help_at_home")],
                },
            ),
            "",
        ),
    ]


def _notes(html):
    return [unescape(re.sub(r"\s+", " ", note)).strip() for note in re.findall(r'govuk-inset-text">(.*?)</p>', html)]


def test_the_preview_names_questions_and_answers_by_their_labels(designer_client, languages):
    data = definition_post(title="Words", version_label="V1", sections=_sections(languages))
    assert designer_client.post(reverse("wagtailsnippets_advice_forms_formdefinition:add"), data).status_code == 302
    definition = FormDefinition.objects.get(title="Words")
    preview_url = reverse("wagtailsnippets_advice_forms_formdefinition:preview_on_edit", args=[definition.pk])
    assert designer_client.post(preview_url, data).json()["is_valid"] is True

    notes = _notes(designer_client.get(preview_url).content.decode())

    assert notes == [
        "Professionals see “Has an interpreter?” only when your answer to “Home language” is one of “Polish”, "
        "“British Sign Language”.",
        "Professionals see this step only when your answer to “Has an interpreter?” is not “Yes” or your answer "
        "to “Setting” is “Needs help at home”.",
    ]
    for note in notes:
        assert not any(re.search(rf"“{raw}”", note) for raw in RAW), note


def test_the_preview_shows_every_conditional_question_open(designer_client):
    """In a reveal under an option, or on a step after the answer it needs: the designer sees each without answering,
    and no script of the page can close it (no link to GOV.UK's reveal, no condition for conditions.js)."""
    version = definition(school_form_sections(), title="School form")
    url = reverse("wagtailsnippets_advice_forms_formdefinition:version", args=[version.pk])
    html = designer_client.get(url).content.decode()

    assert 'id="conditional-id_at_school-0" data-advice-reveal>' in html
    for hidden_by_a_script in (
        "conditional--hidden",
        "data-aria-controls",
        "data-advice-condition",
        "data-advice-reveal hidden",
    ):
        assert hidden_by_a_script not in html
    assert 'name="school"' in html and 'name="senco"' in html
    assert _notes(html) == [
        f"Professionals see “{label}” only when your answer to “Does the child go to school?” is “Yes”."
        for label in ("Which school?", "Name of the SENCO")
    ]
