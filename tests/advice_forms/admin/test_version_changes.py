"""Version labels are unique per form, and "what changed" between any two published versions of one form."""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from advice_forms.models import DropdownOption, FormDefinitionVersion
from advice_forms.services.definitions import form_definition_publish
from advice_forms.version_changes import version_changes
from bench.definition_post import block_form_value, definition_post
from tests.factories.accounts import verified_login
from tests.factories.advice_forms import definition, question, section
from tests.refusals import refused_by_wagtail

pytestmark = pytest.mark.django_db

URLS = "wagtailsnippets_advice_forms_formdefinition"


def changes_url(definition_pk, query=""):
    return reverse(f"{URLS}:changes", args=[definition_pk]) + query


def options(*pairs):
    return [{"label": label, "value": value} for value, label in pairs]


def first_sections(languages):
    return [
        section(
            "About the child",
            [
                question("short_text", "Name of the school", key="school", hint="As on the letterhead"),
                question(
                    "single_choice",
                    "Year group",
                    key="year",
                    options=options(("y1", "Year 1"), ("y2", "Year 2"), ("y3", "Year 3")),
                ),
                question("yes_no", "Has a diagnosis?", key="diagnosis"),
                question(
                    "long_text",
                    "Diagnosis details",
                    key="diagnosis_details",
                    condition={"field_key": "diagnosis", "value": "yes"},
                ),
                question("short_text", "Favourite colour", key="colour"),
                question("single_choice", "Home language", key="language", dropdown_list=languages.pk),
            ],
            key="about",
        ),
        section("Anything else", [question("long_text", "Notes", key="notes")], key="extra"),
    ]


def second_sections(languages):
    return [
        section(
            "About the child",
            [
                question("short_text", "Name of the school or setting", key="school", hint="As on the letterhead"),
                question(
                    "single_choice",
                    "Year group",
                    key="year",
                    options=options(("y1", "Year One"), ("y2", "Year 2"), ("y4", "Year 4")),
                ),
                question("yes_no", "Has a diagnosis?", key="diagnosis"),
                question(
                    "long_text",
                    "Diagnosis details",
                    key="diagnosis_details",
                    condition={"field_key": "diagnosis", "value": "no"},
                ),
                question("single_choice", "Home language", key="language", dropdown_list=languages.pk),
                question("date", "Date of birth", key="born"),
            ],
            key="about",
        ),
        section("Health", [question("long_text", "Health needs", key="health_needs")], key="health"),
    ]


@pytest.fixture
def two_versions(languages):
    v1 = definition(first_sections(languages), title="Changing form", version_label="NOV26")
    DropdownOption.objects.create(dropdown_list=languages, value="polish", label="Polish", sort_order=3)
    languages.options.filter(value="welsh").update(retired=True)
    live = v1.definition
    live.sections = json.dumps(second_sections(languages))
    live.version_label = "DEC26"
    v2 = form_definition_publish(definition=live)
    return v1, v2


# --- unique labels ---


def test_the_database_refuses_two_versions_of_one_form_with_one_label(two_versions):
    v1, v2 = two_versions
    with pytest.raises(IntegrityError), transaction.atomic():
        FormDefinitionVersion.objects.create(
            definition=v1.definition, number=3, title=v1.title, kind=v1.kind, version_label="NOV26", content=[]
        )
    other = definition(
        [section("S", [question("short_text", "Q", key="q")], key="s")], title="Other", version_label="NOV26"
    )
    assert other.version_label == v1.version_label


def test_publishing_with_an_earlier_versions_label_is_refused_by_the_service(two_versions):
    _v1, v2 = two_versions
    live = v2.definition
    live.version_label = "nov26 "
    with pytest.raises(ValidationError) as refused:
        form_definition_publish(definition=live)
    assert "Version 1 of this form is already called “NOV26”" in str(refused.value)
    assert live.versions.count() == 2


def test_the_admin_refuses_to_publish_with_a_label_used_before_and_says_so_beside_the_label(
    designer_client, two_versions
):
    _v1, v2 = two_versions
    live = v2.definition
    sections = [(c.block_type, block_form_value(c.block, c.value), c.id) for c in live.sections]
    edit = reverse(f"{URLS}:edit", args=[live.pk])

    def post(label, publish):
        data = definition_post(title=live.title, version_label=label, sections=sections, publish=publish)
        return designer_client.post(edit, data)

    response = post("DEC26", publish=True)
    assert response.status_code == 200
    assert response.context["form"].errors["version_label"] == [
        "Version 2 of this form is already called “DEC26”: give this version a new label before publishing it, "
        "e.g. the month and year"
    ]
    assert live.versions.count() == 2
    # A draft may keep the label while the designer works; a new label publishes.
    assert post("DEC26", publish=False).status_code == 302
    assert live.versions.count() == 2
    assert post("JAN27", publish=True).status_code == 302
    assert list(live.versions.order_by("number").values_list("version_label", flat=True)) == ["NOV26", "DEC26", "JAN27"]


# --- what changed ---


def test_each_kind_of_change_is_named(two_versions):
    v1, v2 = two_versions

    changes = version_changes(v1, v2)

    found = {kind: items for kind, _heading, items in changes.groups}
    assert [c.title for c in found["sections_added"]] == ["“Health”"]
    assert [c.title for c in found["sections_removed"]] == ["“Anything else”"]
    assert sorted(c.title for c in found["questions_added"]) == ["“Date of birth”", "“Health needs”"]
    assert sorted(c.title for c in found["questions_removed"]) == ["“Favourite colour”", "“Notes”"]
    assert [(c.title, c.details) for c in found["reworded"]] == [
        ("“Name of the school or setting”", ["Question was “Name of the school”"])
    ]
    options_changed = {c.title: c.details for c in found["options"]}
    assert options_changed == {
        "“Year group”": ["“Year 1” is now “Year One”", "Added “Year 4”", "Removed “Year 3”"],
        "“Home language”": ["Retired “Welsh”", "Added “Polish”"],
    }
    assert [(c.title, c.details) for c in found["conditions"]] == [
        (
            "“Diagnosis details”",
            ["Before: Shown when “Has a diagnosis?” is “Yes”", "Now: Shown when “Has a diagnosis?” is “No”"],
        )
    ]
    assert "other" not in found
    assert version_changes(v1, v1).groups == []


def test_the_designer_reaches_what_changed_from_the_versions_panel(designer_client, two_versions):
    v1, v2 = two_versions
    edit = designer_client.get(reverse(f"{URLS}:edit", args=[v2.definition.pk])).content.decode()
    link = changes_url(v2.definition.pk, "?from=1&amp;to=2")
    assert f'href="{link}"' in edit
    assert "What changed since v1" in edit

    response = designer_client.get(changes_url(v2.definition.pk, "?from=1&to=2"))

    assert response.status_code == 200
    html = response.content.decode()
    assert len(re.findall(r"<h1\b", html)) == 1
    assert "From v1 (NOV26) to v2 (DEC26)" in html
    for heading in ("Sections added", "Sections removed", "Questions added", "Questions removed", "Options changed"):
        assert heading in html
    assert "“Year 1” is now “Year One”" in html
    assert '<label for="compare-from">' in html and '<label for="compare-to">' in html
    # The default compares the latest version with the one before it.
    assert "From v1 (NOV26) to v2 (DEC26)" in designer_client.get(changes_url(v2.definition.pk)).content.decode()


def test_versions_of_another_form_or_unknown_numbers_are_not_found(designer_client, two_versions):
    _v1, v2 = two_versions
    other = definition([section("S", [question("short_text", "Q", key="q")], key="s")], title="Other")
    assert designer_client.get(changes_url(other.definition.pk, "?from=1&to=2")).status_code == 404
    assert designer_client.get(changes_url(v2.definition.pk, "?from=3&to=2")).status_code == 404
    assert designer_client.get(changes_url(v2.definition.pk, "?from=x&to=2")).status_code == 404
    assert designer_client.get(changes_url(999999)).status_code == 404


def test_a_version_number_in_other_digits_is_not_found(designer_client, two_versions):
    """A "²" passes str.isdigit(), and int() refused it: a server error."""
    _v1, v2 = two_versions
    assert designer_client.get(changes_url(v2.definition.pk, "?from=²&to=2")).status_code == 404


def test_staff_without_form_design_permissions_and_visitors_cannot_see_what_changed(
    client, content_editor, caseworker, two_versions
):
    _v1, v2 = two_versions
    url = changes_url(v2.definition.pk, "?from=1&to=2")
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous.url
    for user in (content_editor, caseworker):
        verified_login(client, user)
        assert refused_by_wagtail(client.get(url)), user
        client.logout()
