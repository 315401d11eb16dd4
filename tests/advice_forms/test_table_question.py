"""The table question a designer defines ("add another"): a field per column kind, min and max rows, a total,
rows added and removed without JavaScript, and the table on check answers and in the real PDF."""

import datetime
import io
import re

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from advice_forms.blocks import check_sections
from advice_forms.form_builder import FormBuilder
from advice_forms.models import AdviceRequest
from tests.factories.accounts import verified_login
from tests.factories.advice_forms import (
    column,
    definition,
    question,
    request_to_do,
    section,
    submission_make,
)

pytestmark = pytest.mark.django_db


SETTINGS = [("mainstream", "Mainstream"), ("special", "Special school")]


def table_question(**extra):
    options = {
        "key": "schools",
        "item_name": "school",
        "columns": [
            column("Name of the school", key="name"),
            column("Date started", "date", key="started"),
            column("Kind of setting", "choice", key="setting", options=SETTINGS),
            column("Still attends", "yes_no", required=False, key="attends"),
            column("Hours a week", "number", required=False, key="hours"),
            column("Cost", "money", required=False, key="cost"),
        ],
        "min_rows": 2,
        "max_rows": 3,
        "total_column": "cost",
        **extra,
    }
    return question("table", "Schools attended before", **options)


@pytest.fixture
def builder():
    return FormBuilder(definition([section("Schools", [table_question()], key="schools")]))


def row(index, name="", day="", month="", year="", setting="", attends="", hours="", cost=""):
    prefix = f"schools-{index}"
    return {
        f"{prefix}-name": name,
        f"{prefix}-started-day": day,
        f"{prefix}-started-month": month,
        f"{prefix}-started-year": year,
        f"{prefix}-setting": setting,
        f"{prefix}-attends": attends,
        f"{prefix}-hours": hours,
        f"{prefix}-cost": cost,
    }


def rows_data(*rows):
    data = {"schools-rows": str(len(rows))}
    for index, values in enumerate(rows):
        data.update(row(index, **values))
    return data


GOOD = [
    {
        "name": "Kestrel Lane Primary",
        "day": "4",
        "month": "9",
        "year": "2019",
        "setting": "mainstream",
        "cost": "£1,900.50",
    },
    {
        "name": "Harrier Bank School",
        "day": "1",
        "month": "9",
        "year": "2023",
        "setting": "special",
        "attends": "yes",
        "hours": "12.5",
        "cost": "250",
    },
]


def post(builder, data):
    form = builder.form_class_for("schools")(data=data, answers={})
    form.is_valid()
    return form


def test_each_column_kind_is_checked_and_the_error_names_the_row(builder):
    bad = {"name": "", "day": "31", "month": "2", "year": "2020", "setting": "nursery", "attends": "maybe"}
    bad.update(hours="lots", cost="£1,9x")
    form = post(builder, rows_data(GOOD[0], bad))
    assert not form.is_valid()
    assert [message for _, message in form.error_summary()] == [
        "Enter the name of the school for school 2",
        "Date started for school 2 must be a real date",
        "Select the kind of setting for school 2",
        "Select yes or no in the “Still attends” column for school 2",
        "Hours a week for school 2 must be a number, like 12 or 2.5",
        "Cost for school 2 must be an amount of money, like £1,900.50 or 1900",
    ]
    assert form.error_summary()[1][0] == "#id_schools-1-started-day"
    html = render_to_string("advice_forms/includes/section_form.html", {"form": form})
    assert (
        'id="id_schools-1-cost-error"' in html
        and "Cost for school 2 must be an amount of money, like £1,900.50 or 1900" in html
    )
    assert 'value="£1,9x"' in html  # nothing typed is lost


def test_the_message_beside_a_table_with_wrong_cells_names_its_rows_and_guesses_no_plural():
    """It said "Check the activitys below": the designer's item name with an "s" added, and no row named. It now
    names the rows as their legends do."""
    builder = FormBuilder(definition([section("Schools", [table_question(item_name="activity")], key="schools")]))
    unnamed = {**GOOD[0], "name": ""}
    form = post(builder, rows_data(unnamed, GOOD[1], unnamed))
    html = render_to_string("advice_forms/includes/section_form.html", {"form": form})
    beside = BeautifulSoup(html, "html.parser").find(id="id_schools-error").get_text(" ", strip=True)
    assert beside == "Error: Activity 1 and activity 3 need correcting"
    assert "activitys" not in html


@pytest.mark.parametrize("noun", ["activity", "child", "person", "address", "diagnosis"])
def test_too_few_or_too_many_rows_are_told_without_a_plural_made_from_the_item_name(noun):
    """They said "Add at least 2 activitys" and "You can add up to 3 childs": the item name with an "s" added."""
    builder = FormBuilder(definition([section("Schools", [table_question(item_name=noun)], key="schools")]))
    form = post(builder, rows_data(GOOD[0]))
    html = render_to_string("advice_forms/includes/section_form.html", {"form": form})
    assert [m for _, m in form.error_summary()] == [f"Add another {noun}: at least 2 are needed"]

    # The page never posts more rows than allowed (the widget stops at 3), so four are given to the field itself.
    table = builder.form_class_for("schools")(answers={}).fields["schools"]
    rows = table.widget.value_from_datadict(rows_data(*GOOD, GOOD[0]), None, "schools")
    with pytest.raises(ValidationError) as raised:
        table.clean([*rows, rows[0]])

    assert raised.value.messages == [f"You can add up to 3: remove any {noun} after {noun} 3"]
    assert f"{noun}s" not in html.lower() and f"{noun}s" not in raised.value.messages[0]


def test_good_rows_are_stored_as_plain_values(builder):
    form = post(builder, rows_data(*GOOD))
    assert form.is_valid(), form.errors
    assert form.answers()["schools"] == [
        {
            "name": "Kestrel Lane Primary",
            "started": "2019-09-04",
            "setting": "mainstream",
            "attends": "",
            "hours": None,
            "cost": "1900.50",
        },
        {
            "name": "Harrier Bank School",
            "started": "2023-09-01",
            "setting": "special",
            "attends": "yes",
            "hours": "12.5",
            "cost": "250.00",
        },
    ]


def test_fewest_and_most_rows(builder):
    form = post(builder, rows_data(GOOD[0]))
    assert [m for _, m in form.error_summary()] == ["Add another school: at least 2 are needed"]
    form = post(builder, {**rows_data(*GOOD, GOOD[0], GOOD[1]), "schools-rows": "9"})
    assert form.is_valid() and len(form.answers()["schools"]) == 3  # never more than the most allowed
    form = post(builder, {**rows_data(*GOOD, GOOD[0]), "row-action": "add:schools"})
    html = render_to_string("advice_forms/includes/section_form.html", {"form": form})
    assert "Add another school" not in html and 'Remove<span class="govuk-visually-hidden"> school 3</span>' in html


def test_the_total_and_the_table_in_words(builder):
    form = post(builder, rows_data(*GOOD))
    answer = builder.display_value(builder.section("schools").fields[0], form.answers()["schools"])
    assert answer.headings == [
        "Name of the school",
        "Date started",
        "Kind of setting",
        "Still attends",
        "Hours a week",
        "Cost",
    ]
    assert answer.rows == [
        ["Kestrel Lane Primary", "4 September 2019", "Mainstream", "", "", "£1,900.50"],
        ["Harrier Bank School", "1 September 2023", "Special school", "Yes", "12.5", "£250.00"],
    ]
    assert answer.total == ["Total", "", "", "", "", "£2,150.50"]


def spells_builder():
    spells = question(
        "table",
        "Other schools and settings",
        key="earlier",
        item_name="school",
        columns=[
            column("School or setting", key="name"),
            column("From", "date", key="started", not_in_future=True, earliest="2010-01-01"),
            column("To", "date", key="left", not_in_future=True, not_before_column="started"),
        ],
    )
    return FormBuilder(definition([section("Schools", [spells], key="schools")]))


def spells_data(*rows):
    data = {"earlier-rows": str(len(rows))}
    for index, (start, end) in enumerate(rows):
        data[f"earlier-{index}-name"] = f"School {index + 1}"
        for key, date in (("started", start), ("left", end)):
            day, month, year = date.split()
            data.update({f"earlier-{index}-{key}-day": day, f"earlier-{index}-{key}-month": month})
            data[f"earlier-{index}-{key}-year"] = year
    return data


@time_machine.travel(datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC))
def test_date_cells_keep_their_columns_rules_and_a_row_ending_before_it_starts_is_refused_beside_its_end():
    builder = spells_builder()
    rows = [("1 9 2030", "1 7 2020"), ("1 9 2021", "1 7 2020"), ("1 1 2009", "1 1 2027"), ("3 3 2024", "3 3 2024")]
    form = post(builder, spells_data(*rows))

    assert form.error_summary() == [
        ("#id_earlier-0-started-day", "“From” for school 1 must be today or in the past"),
        ("#id_earlier-1-left-day", "“To” for school 2 must be the same as or after “From”"),
        ("#id_earlier-2-started-day", "“From” for school 3 must be the same as or after 1 January 2010"),
        ("#id_earlier-2-left-day", "“To” for school 3 must be today or in the past"),
    ]
    html = render_to_string("advice_forms/includes/section_form.html", {"form": form})
    error = html.split('id="id_earlier-1-left-error"')[1].split("</p>")[0]
    assert "“To” for school 2 must be the same as or after “From”" in error
    form = post(builder, spells_data(("1 9 2021", "20 7 2026"), ("3 3 2024", "3 3 2024")))
    assert form.is_valid(), form.errors


def _boxes_in_error(html, cell_id):
    soup = BeautifulSoup(html, "html.parser")
    return [
        part for part in ("day", "month", "year") if "govuk-input--error" in soup.find(id=f"{cell_id}-{part}")["class"]
    ]


def test_a_date_cell_marks_and_links_to_only_the_boxes_at_fault():
    """A row's date with only its month missing turned all three boxes red, and its error linked to Day."""
    builder = spells_builder()
    data = spells_data(("1 9 2021", "20 7 2026"), ("3 3 2024", "3 3 2024"))
    data["earlier-0-started-month"] = ""
    data["earlier-1-left-year"] = "twenty twenty"
    form = post(builder, data)
    assert form.error_summary() == [
        ("#id_earlier-0-started-month", "“From” for school 1 must include a month"),
        ("#id_earlier-1-left-year", "“To” for school 2 must include a year with 4 numbers"),
    ]
    html = render_to_string("advice_forms/includes/section_form.html", {"form": form})
    assert _boxes_in_error(html, "id_earlier-0-started") == ["month"]
    assert _boxes_in_error(html, "id_earlier-1-left") == ["year"]
    assert _boxes_in_error(html, "id_earlier-0-left") == []

    # A date that is wrong as a whole (before the row's start) marks all its boxes, linking to the first.
    form = post(builder, spells_data(("1 9 2021", "1 7 2020")))
    assert form.error_summary() == [("#id_earlier-0-left-day", "“To” for school 1 must be the same as or after “From”")]
    html = render_to_string("advice_forms/includes/section_form.html", {"form": form})
    assert _boxes_in_error(html, "id_earlier-0-left") == ["day", "month", "year"]


def test_a_cell_whose_heading_is_no_noun_is_named_by_its_heading():
    """A column headed "To" said "Enter the to for school 2", and one headed "How often" said "Enter an answer for
    provision 1": a heading that is no noun is quoted. A heading that is a noun keeps its words."""
    provision = question(
        "table",
        "Provision",
        key="provision",
        item_name="provision",
        columns=[column("Provision", key="what"), column("How often", key="often"), column("Until", "date", key="to")],
    )
    form = post(spells_builder(), {"earlier-rows": "2", "earlier-0-name": "A", "earlier-1-name": "B"})
    assert [message for _, message in form.error_summary()] == [
        "Enter “From” for school 1",
        "Enter “To” for school 1",
        "Enter “From” for school 2",
        "Enter “To” for school 2",
    ]
    builder = FormBuilder(definition([section("Schools", [provision], key="schools")]))
    form = post(builder, {"provision-rows": "1", "provision-0-to-year": "2026"})
    assert [message for _, message in form.error_summary()] == [
        "Enter the provision for provision 1",
        "Enter “How often” for provision 1",
        "“Until” for provision 1 must include a day and month",
    ]


def test_the_designer_is_told_what_is_wrong_with_a_table():
    draft = definition(
        [
            section(
                "Schools",
                [
                    table_question(
                        columns=[column("Name"), column("Setting", "choice"), column("Name", key="")],
                        total_column="name",
                        min_rows=5,
                        max_rows=2,
                    )
                ],
            )
        ],
        publish=False,
    )
    messages = check_sections(draft.sections).messages()
    assert "Column 2: Add at least one option, or pick a dropdown list" in messages
    assert "“name” is not a number or money column, so it cannot be added up" in messages
    assert "The fewest rows (5) cannot be more than the most rows allowed (2)" in messages
    columns = draft.sections[0].value["fields"][0].value["columns"]
    assert [c["key"] for c in columns] == ["name", "setting", "name_2"]


def test_a_column_key_ending_in_a_new_line_is_refused():
    """A column's key is not trimmed: "$" with ``match`` let "hours\n" through as a key."""
    columns = [column("Name", key="name"), column("Hours", "number", key="hours\n")]
    draft = definition([section("Schools", [table_question(columns=columns, total_column="")])], publish=False)
    assert check_sections(draft.sections).messages() == [
        "Column 2: use only lower-case letters, numbers and underscores in its key"
    ]


NOT_A_DATE_COLUMN = "Column 3: “{}” is not the key of another date column in this table"


@pytest.mark.parametrize(
    ("end", "messages"),
    [
        (
            column("Name", key="n", not_before_column="started"),
            ["Column 3: only a date column can be not before another column"],
        ),
        (column("To", "date", key="left", not_before_column="left"), [NOT_A_DATE_COLUMN.format("left")]),
        (column("To", "date", key="left", not_before_column="ended"), [NOT_A_DATE_COLUMN.format("ended")]),
        (column("To", "date", key="left", not_before_column="name"), [NOT_A_DATE_COLUMN.format("name")]),
        (column("To", "date", key="left", not_before_column="started"), []),
    ],
)
def test_an_end_date_column_must_name_another_date_column_of_its_table(end, messages):
    columns = [column("Name", key="name"), column("From", "date", key="started"), end]
    draft = definition([section("Schools", [table_question(columns=columns, total_column="")])], publish=False)
    assert check_sections(draft.sections).messages() == messages


# --- in the wizard, without JavaScript -----------------------------------------------------------------------


@pytest.fixture
def advice_request(professional):
    version = definition([section("Schools", [table_question()], key="schools")])
    return request_to_do(professional, version)


def step_url(advice_request):
    return reverse("portal:request_step", kwargs={"pk": advice_request.pk, "step": "schools"})


def test_add_another_and_remove_rows_without_javascript(verified_client, advice_request):
    data = rows_data(GOOD[0])
    response = verified_client.post(step_url(advice_request), {**data, "row-action": "add:schools"})
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" not in html
    assert html.count('class="govuk-fieldset__legend govuk-fieldset__legend--s">School ') == 2
    assert 'value="Kestrel Lane Primary"' in html and 'value="£1,900.50"' in html
    # The draft keeps what was typed, the added row too.
    raw = AdviceRequest.objects.get(pk=advice_request.pk).raw_steps["schools"]
    assert raw["schools-rows"] == ["2"] and raw["schools-0-started-year"] == ["2019"]

    data = rows_data(*GOOD)
    response = verified_client.post(step_url(advice_request), {**data, "row-action": "remove:schools:0"})
    html = response.content.decode()
    assert "Kestrel Lane Primary" not in html and 'value="Harrier Bank School"' in html

    response = verified_client.post(step_url(advice_request), {**rows_data(*GOOD), "action": "continue"})
    assert response.status_code == 302
    assert len(AdviceRequest.objects.get(pk=advice_request.pk).answers["schools"]["schools"]) == 2


def test_a_date_cells_box_at_fault_is_marked_on_save_and_not_on_add_another(verified_client, advice_request):
    data = rows_data({**GOOD[0], "month": ""})
    saved = verified_client.post(step_url(advice_request), {**data, "action": "continue"}).content.decode()
    assert _boxes_in_error(saved, "id_schools-0-started") == ["month"]
    added = verified_client.post(step_url(advice_request), {**data, "row-action": "add:schools"}).content.decode()
    assert "govuk-error-summary" not in added
    assert _boxes_in_error(added, "id_schools-0-started") == []


def test_check_answers_and_the_pdf_show_the_table_with_its_total(verified_client, advice_request):
    verified_client.post(step_url(advice_request), {**rows_data(*GOOD), "action": "continue"})
    page = verified_client.get(reverse("portal:request_check_answers", kwargs={"pk": advice_request.pk}))
    html = page.content.decode()
    assert '<th scope="col" class="govuk-table__header">Cost</th>' in html
    assert re.search(r'<th scope="row" class="govuk-table__header">Total</th>.*<strong>£2,150.50</strong>', html, re.S)
    pdf = verified_client.get(reverse("portal:request_preview_pdf", kwargs={"pk": advice_request.pk}))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split())
    assert "Name of the school Date started Kind of setting Still attends Hours a week Cost" in text
    assert "Kestrel Lane Primary 4 September 2019 Mainstream – – £1,900.50" in text
    assert "Total £2,150.50" in text


def test_the_caseworkers_review_shows_the_submitted_table_with_its_total(verified_client, advice_request, caseworker):
    verified_client.post(step_url(advice_request), {**rows_data(*GOOD), "action": "continue"})
    submission_make(advice_request, AdviceRequest.objects.get(pk=advice_request.pk).answers)

    review = verified_login(Client(), caseworker).get(reverse("review_queue:review", args=[advice_request.pk]))

    table = BeautifulSoup(review.content, "html.parser").select_one(".advice-review__answers table")
    assert [th.get_text() for th in table.thead("th")][-1] == "Cost"
    assert [td.get_text() for td in table.tbody.tr("td")][:3] == [
        "Kestrel Lane Primary",
        "4 September 2019",
        "Mainstream",
    ]
    assert table.tbody("tr")[-1].get_text(" ", strip=True) == "Total £2,150.50"
