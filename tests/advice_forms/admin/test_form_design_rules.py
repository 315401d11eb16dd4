"""Through the admin's own editor: a condition of several rules and a table question, saved, checked and
published; a wrong rule or column is named beside its block and nothing is published."""

import pytest
from django.urls import reverse

from advice_forms.form_builder import FormBuilder
from advice_forms.models import FormDefinition, FormDefinitionVersion
from tests.advice_forms.admin.form_data import choice, definition_post, field, list_block, section
from tests.advice_forms.admin.test_form_design import errors_for, field_errors
from tests.factories.advice_forms import column as stored_column

pytestmark = pytest.mark.django_db


def add_url():
    return reverse("wagtailsnippets_advice_forms_formdefinition:add")


def column(label, kind="text", required=True, key="", options=()):
    """A table column as the editor posts it: the stored column, its options as a list block."""
    stored = stored_column(label, kind, required, key, options)
    return {**stored, "options": list_block(stored["options"])}


def table(label, columns, **extra):
    return field(label, item_name="school", columns=list_block(columns), min_rows="", max_rows="5", **extra)


def sections(total_column="cost", rule_value="comms, semh"):
    areas = [("cl", "Cognition and learning"), ("comms", "Communication"), ("semh", "SEMH")]
    return [
        (
            "section",
            section(
                "Needs",
                [
                    ("yes_no", field("Is support in place?", key="support"), ""),
                    ("multiple_choice", choice("Areas of need", key="areas", options=areas), ""),
                    (
                        "long_text",
                        field(
                            "More about communication or SEMH",
                            max_length="2000",
                            condition={
                                "match": "any",
                                "rules": [("areas", "is_one_of", rule_value), ("support", "is_not", "yes")],
                            },
                        ),
                        "",
                    ),
                    (
                        "table",
                        table(
                            "Costed provision",
                            [column("Provision"), column("Cost", "money"), column("Started", "date", required=False)],
                            total_column=total_column,
                        ),
                        "",
                    ),
                ],
            ),
            "",
        )
    ]


def test_rules_and_a_table_are_published_through_the_admin(designer_client):
    response = designer_client.post(
        add_url(), definition_post(title="Needs", version_label="V1", sections=sections(), publish=True)
    )
    assert response.status_code == 302, errors_for(response)
    version = FormDefinitionVersion.objects.get(definition=FormDefinition.objects.get(title="Needs"))
    builder = FormBuilder(version)
    detail, provision = builder.section("needs").fields[2:]
    assert detail.condition == {
        "match": "any",
        "rules": [
            {"field_key": "areas", "operator": "is_one_of", "values": ["comms", "semh"]},
            {"field_key": "support", "operator": "is_not", "values": ["yes"]},
        ],
    }
    assert [c["key"] for c in provision.options["columns"]] == ["provision", "cost", "started"]
    assert builder.describe_condition(detail.condition) == (
        "your answer to “Areas of need” is one of “Communication”, “SEMH”"
        " or your answer to “Is support in place?” is not “Yes”"
    )
    page = designer_client.get(
        reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[version.definition.pk])
    )
    assert page.status_code == 200 and "Table (add another)" in page.content.decode()


def test_a_wrong_rule_and_a_wrong_total_are_named_beside_their_blocks(designer_client):
    response = designer_client.post(
        add_url(),
        definition_post(
            title="Broken", version_label="V1", sections=sections("provision", "comms, maths"), publish=True
        ),
    )
    assert response.status_code == 200
    assert not FormDefinitionVersion.objects.exists()
    fields = field_errors(response)
    assert fields[2]["blockErrors"]["condition"]["messages"] == [
        "Rule 1 of “Show only when”: “maths” is not an answer to “Areas of need”; use one of: "
        "“Cognition and learning”, “Communication”, “SEMH”"
    ]
    assert fields[3]["blockErrors"]["total_column"]["messages"] == [
        "“provision” is not a number or money column, so it cannot be added up"
    ]


def test_a_table_without_a_column_says_to_add_one_beside_its_columns(designer_client):
    """Not Wagtail's "The minimum number of items is 1", which names nothing a designer does."""
    empty = [("section", section("Schools", [("table", table("Schools attended", []), "")]), "")]

    response = designer_client.post(
        add_url(), definition_post(title="Schools", version_label="V1", sections=empty, publish=True)
    )

    assert response.status_code == 200
    columns = field_errors(response)[0]["blockErrors"]["columns"]
    assert columns["messages"] == ["Add at least one column to the table"]
    assert "minimum number of items" not in response.content.decode()
    assert not FormDefinitionVersion.objects.exists()
