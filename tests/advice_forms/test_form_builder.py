"""FormBuilder: every field type's required rule, limits, choices, conditions and GOV.UK error wording."""

import datetime

import pytest
import time_machine
from django.template.loader import render_to_string

from advice_forms.form_builder import FormBuilder
from advice_forms.models import NeedType, Team
from tests.factories.advice_forms import column, definition, dropdown_list, question, section

pytestmark = pytest.mark.django_db


def build(*fields, extra_sections=()):
    version = definition([section("The questions", list(fields), key="main"), *extra_sections])
    return FormBuilder(version)


def post(builder, data, answers=None, section_key="main"):
    form = builder.form_class_for(section_key)(data=data, answers=answers or {})
    form.is_valid()
    return form


def errors(form):
    return {name: list(messages) for name, messages in form.errors.items()}


# --- text ---------------------------------------------------------------------------------------


def test_short_text_required_and_limit_use_the_label():
    builder = build(question("short_text", "Name of the school", key="school", max_length=10))
    assert errors(post(builder, {"school": ""})) == {"school": ["Enter the name of the school"]}
    assert errors(post(builder, {"school": "x" * 11})) == {
        "school": ["Name of the school must be 10 characters or fewer"]
    }
    form = post(builder, {"school": "  Kestrel   "})
    assert form.is_valid() and form.answers() == {"school": "Kestrel"}


def test_question_labels_get_plain_messages_and_designer_messages_win():
    builder = build(
        question("long_text", "What does the child enjoy?", key="enjoys", max_length=500),
        question("short_text", "Role", key="role", error_message="Enter your role, for example SENCO"),
    )
    form = post(builder, {"enjoys": "", "role": ""})
    assert errors(form) == {"enjoys": ["Enter an answer"], "role": ["Enter your role, for example SENCO"]}
    assert errors(post(builder, {"enjoys": "a" * 501, "role": "SENCO"})) == {
        "enjoys": ["The answer to “What does the child enjoy?” must be 500 characters or fewer"]
    }


def test_limit_messages_name_their_question_so_the_error_summary_repeats_no_line():
    """GOV.UK: each error says which thing is wrong. Questions whose label is a question said "Answer must be 50 or
    less" each, so a page's error summary was a list of identical lines. The subject now comes from the designer's
    "Enter ..." message, else the question is quoted; a label that is a noun keeps its own words."""
    builder = build(
        question(
            "number",
            "How many schools has the child attended?",
            key="schools",
            max_value=50,
            error_message="Enter how many schools the child has attended",
        ),
        question("number", "How many exclusions have there been?", key="exclusions", max_value=50),
        question(
            "long_text",
            "What does the child enjoy?",
            key="enjoys",
            max_length=500,
            error_message="Enter what they enjoy",
        ),
        question("long_text", "What do they find hard?", key="hard", max_length=500, required=False),
        question("short_text", "Role", key="role", max_length=5, error_message="Enter your role, for example SENCO"),
        question(
            "date", "When was the last review?", key="reviewed", error_message="Enter the date of the last review"
        ),
    )
    form = post(
        builder,
        {"schools": "51", "exclusions": "51", "enjoys": "a" * 501, "hard": "a" * 501, "role": "SENCO 2"}
        | date_data("3", "", "2025"),
    )
    assert [message for _, message in form.error_summary()] == [
        "How many schools the child has attended must be 50 or less",
        "The answer to “How many exclusions have there been?” must be 50 or less",
        "What they enjoy must be 500 characters or fewer",
        "The answer to “What do they find hard?” must be 500 characters or fewer",
        "Role must be 5 characters or fewer",
        "The date of the last review must include a month",
    ]
    assert errors(post(builder, {"schools": "x", "exclusions": "1.5"}))["schools"] == [
        "How many schools the child has attended must be a whole number, like 12"
    ]


def test_optional_text_may_be_blank_and_long_text_shows_word_guidance():
    builder = build(question("long_text", "Attainment", key="attainment", required=False, word_guidance=300))
    form = post(builder, {"attainment": ""})
    assert form.is_valid() and form.answers() == {"attainment": ""}
    html = render_to_string("advice_forms/includes/section_form.html", {"form": form})
    assert "Write about 300 words." in html
    assert "Attainment (optional)" in html
    assert 'data-maxlength="5000"' in html


def test_long_text_limits_are_written_with_thousands_commas():
    """GOV.UK style: 'up to 5,000 characters', 'about 1,500 words', as the error says '5,000 characters or fewer'."""
    builder = build(question("long_text", "Attainment", key="attainment", word_guidance=1500))
    html = render_to_string("advice_forms/includes/section_form.html", {"form": post(builder, {"attainment": "a"})})
    assert "You can enter up to 5,000 characters" in html
    assert "Write about 1,500 words." in html
    assert errors(post(builder, {"attainment": "a" * 5001})) == {
        "attainment": ["Attainment must be 5,000 characters or fewer"]
    }


# --- numbers ------------------------------------------------------------------------------------


def test_number_limits_and_whole_numbers():
    builder = build(question("number", "Attendance", key="attendance", min_value=0, max_value=100))
    assert errors(post(builder, {"attendance": ""})) == {"attendance": ["Enter the attendance"]}
    assert errors(post(builder, {"attendance": "101"})) == {"attendance": ["Attendance must be 100 or less"]}
    assert errors(post(builder, {"attendance": "-1"})) == {"attendance": ["Attendance must be 0 or more"]}
    assert errors(post(builder, {"attendance": "9.5"})) == {
        "attendance": ["Attendance must be a whole number, like 12"]
    }
    form = post(builder, {"attendance": "95"})
    assert form.answers() == {"attendance": 95}


def test_decimal_numbers_are_stored_as_strings():
    builder = build(question("number", "Hours of support", key="hours", whole_numbers=False, max_value=60))
    form = post(builder, {"hours": "12.50"})
    assert form.is_valid() and form.answers() == {"hours": "12.5"}
    assert errors(post(builder, {"hours": "twelve"})) == {
        "hours": ["Hours of support must be a number, like 12 or 2.5"]
    }
    assert FormBuilder.display_value(builder, builder.section("main").fields[0], "1200") == "1,200"


def test_numbers_are_read_as_people_write_them():
    """GOV.UK: thousands commas and spaces are accepted, and a trailing % on a percentage question; the number is
    stored."""
    builder = build(
        question("number", "Attendance (%)", key="attendance", min_value=0, max_value=100),
        question("number", "Pupils on roll", key="pupils"),
        question("number", "Hours of support", key="hours", whole_numbers=False),
    )
    form = post(builder, {"attendance": " 95% ", "pupils": "1,200", "hours": " 12.5 "})
    assert form.is_valid(), errors(form)
    assert form.answers() == {"attendance": 95, "pupils": 1200, "hours": "12.5"}
    assert errors(post(builder, {"attendance": "101%", "pupils": "1,20", "hours": "1%%"})) == {
        "attendance": ["Attendance (%) must be 100 or less"],
        "pupils": ["Pupils on roll must be a whole number, like 12"],
        "hours": ["Hours of support must be a number, like 12 or 2.5"],
    }


def test_a_percent_sign_on_a_number_that_is_no_percentage_is_named_as_the_problem():
    """'95%' in a question that is not a percentage said "… must be a whole number, like 12", though 95 is one. When
    the % sign is the only fault, the message says so; with another fault too, that fault's message stays."""
    builder = build(
        question("number", "Number of support sessions a week", key="sessions"),
        question("number", "Hours of support", key="hours", whole_numbers=False),
    )
    assert errors(post(builder, {"sessions": "95%", "hours": " 2.5 % "})) == {
        "sessions": ["Number of support sessions a week must be a number without a % sign, like 12"],
        "hours": ["Hours of support must be a number without a % sign, like 12"],
    }
    assert errors(post(builder, {"sessions": "9.5%", "hours": "two%"})) == {
        "sessions": ["Number of support sessions a week must be a whole number, like 12"],
        "hours": ["Hours of support must be a number, like 12 or 2.5"],
    }


def test_only_a_percentage_question_takes_a_percent_sign_and_no_number_takes_an_exponent():
    """A % is read only where the label or hint says the answer is a percentage; '1e2', '1_000', 'NaN' are refused
    in the question's own words."""
    builder = build(
        question("number", "How many children are in their class?", key="class_size"),
        question("number", "Review cycles", key="cycles", whole_numbers=False),
        question("number", "Attendance this school year, as a percentage", key="attendance", max_value=100),
        question("number", "Time in class", key="time", hint="Per cent of the school week", whole_numbers=False),
        question(
            "table",
            "Absences",
            key="absences",
            columns=[column("School days", "number", key="days"), column("Share (%)", "number", key="share")],
        ),
    )
    typed = {"class_size": "30", "cycles": "2", "attendance": "95 %", "time": "12.5%", "absences-rows": "1"}
    form = post(builder, {**typed, "absences-0-days": "4", "absences-0-share": "2.5%"})
    assert form.is_valid(), errors(form)
    assert form.answers() == {
        "class_size": 30,
        "cycles": "2",
        "attendance": 95,
        "time": "12.5",
        "absences": [{"days": "4", "share": "2.5"}],
    }
    refused = {"class_size": "30%", "cycles": "12%", "attendance": "1e2", "time": "1E1", "absences-rows": "1"}
    assert errors(post(builder, {**refused, "absences-0-days": "5%", "absences-0-share": "1e1"})) == {
        "class_size": [
            "The answer to “How many children are in their class?” must be a number without a % sign, like 12"
        ],
        "cycles": ["Review cycles must be a number without a % sign, like 12"],
        "attendance": ["Attendance this school year, as a percentage must be a whole number, like 12"],
        "time": ["Time in class must be a number, like 12 or 2.5"],
        "absences": [
            "School days for row 1 must be a number without a % sign, like 12",
            "Share (%) for row 1 must be a number, like 12 or 2.5",
        ],
    }
    for text in ("1_000", "NaN", "Infinity", "\u0661\u0662", "0x10", "12 12"):
        assert errors(post(builder, {**typed, "cycles": text, "absences-0-days": "4", "absences-0-share": "1"})) == {
            "cycles": ["Review cycles must be a number, like 12 or 2.5"]
        }, text


def test_a_percentage_question_shows_a_percent_suffix_and_a_numeric_keypad():
    """GOV.UK's input with a suffix: the % is shown, so a phone's number keypad (which has none) can answer."""
    builder = build(
        question("number", "Attendance (%)", key="attendance"),
        question("number", "Time in class, as a percentage", key="time", whole_numbers=False),
        question("number", "Pupils on roll", key="pupils"),
        question("table", "Targets", key="targets", columns=[column("Target (%)", "number", key="target")]),
    )
    html = render_to_string("advice_forms/includes/section_form.html", {"form": post(builder, {})})
    suffix = '<div class="govuk-input__suffix" aria-hidden="true">%</div>'
    assert html.count(suffix) == 3
    attendance = html[html.index('id="id_attendance"') :]
    assert attendance.index('inputmode="numeric"') < attendance.index(suffix) < attendance.index('id="id_time"')
    time = html[html.index('id="id_time"') :]
    assert time.index('inputmode="decimal"') < time.index(suffix) < time.index('id="id_pupils"')
    pupils = html[html.index('id="id_pupils"') :]
    assert pupils.index('inputmode="numeric"') < pupils.index('id="id_targets-0-target"') < pupils.index(suffix)
    target = html[html.index('id="id_targets-0-target"') :]
    assert target.index('inputmode="decimal"') < target.index(suffix)


def test_a_percent_sign_in_a_label_shows_in_its_messages():
    builder = build(
        question("number", "Attendance (%)", key="attendance", max_value=100),
        question("short_text", "Share (%)", key="share", max_length=3),
        question("table", "Targets", key="targets", columns=[column("Target (%)", "number", key="target")]),
    )
    form = post(builder, {"attendance": "101", "share": "1234", "targets-rows": "1", "targets-0-target": "1" * 17})
    assert errors(form) == {
        "attendance": ["Attendance (%) must be 100 or less"],
        "share": ["Share (%) must be 3 characters or fewer"],
        "targets": ["Target (%) for row 1 must be a number with no more than 16 digits"],
    }


# --- dates --------------------------------------------------------------------------------------


def date_data(day="", month="", year="", name="reviewed"):
    return {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}


@time_machine.travel(datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC))
def test_date_input_gives_govuk_messages():
    builder = build(question("date", "Date of the last review", key="reviewed", not_in_future=True))
    cases = [
        (date_data(), "Enter the date of the last review"),
        (date_data("3", "", "2025"), "Date of the last review must include a month"),
        (date_data("", "", "2025"), "Date of the last review must include a day and month"),
        (date_data("31", "2", "2025"), "Date of the last review must be a real date"),
        (date_data("3", "x", "2025"), "Date of the last review must be a real date"),
        (date_data("3", "4", "25"), "Date of the last review must include a year with 4 numbers"),
        (date_data("3", "Septembre", "2025"), "Date of the last review must be a real date"),
        (date_data("3", "se", "2025"), "Date of the last review must be a real date"),
        (date_data("21", "11", "2026"), "Date of the last review must be today or in the past"),
    ]
    for data, message in cases:
        assert errors(post(builder, data)) == {"reviewed": [message]}, data
    form = post(builder, date_data("3", "4", "2025"))
    assert form.answers() == {"reviewed": "2025-04-03"}


def test_a_year_typed_in_words_is_asked_for_in_numbers():
    """ "twenty twenty" as the year, the day and month empty, was told only "must include a day and month"."""
    builder = build(question("date", "Date of the last review", key="reviewed"))
    form = post(builder, date_data("", "", "twenty twenty"))
    message = "Date of the last review must include a day and month, and a year with 4 numbers"
    assert errors(form) == {"reviewed": [message]}
    assert form["reviewed"].field.error_parts == ("day", "month", "year")
    form = post(builder, date_data("3", "4", "twenty twenty"))
    assert errors(form) == {"reviewed": ["Date of the last review must include a year with 4 numbers"]}
    assert form["reviewed"].field.error_parts == ("year",)
    # Nothing entered: the date input as a whole is marked, the summary linking to its first box.
    form = post(builder, date_data())
    assert form["reviewed"].field.error_parts == ("day", "month", "year")
    assert form.error_summary() == [("#id_reviewed-day", "Enter the date of the last review")]


def test_the_month_box_takes_a_month_name_or_its_abbreviation_in_any_case():
    """ "3 / Sept / 2022" and "3 / September / 2022" were refused as not a real date."""
    builder = build(question("date", "Date of the last review", key="reviewed"))
    for month in ("September", "september", "SEPT", "Sept", "sep", "Sep.", "9", "09"):
        form = post(builder, date_data("3", month, "2022"))
        assert form.answers() == {"reviewed": "2022-09-03"}, month
    assert post(builder, date_data("14", "feb", "2023")).answers() == {"reviewed": "2023-02-14"}


def test_a_year_without_4_numbers_names_the_date_and_keeps_what_was_typed():
    """ "03 / 09 / 22" gave "Year must include 4 numbers", which did not say which of the page's dates it meant."""
    builder = build(
        question("date", "Date of the last review", key="reviewed", required=False),
        question("date", "Date of the next review", key="next", required=False),
    )
    form = post(builder, date_data("03", "Sept", "22") | date_data("4", "5", "2027", name="next"))
    assert errors(form) == {"reviewed": ["Date of the last review must include a year with 4 numbers"]}
    assert form["reviewed"].field.error_parts == ("year",)
    assert form["reviewed"].value() == {"day": "03", "month": "Sept", "year": "22"}


def test_a_label_with_a_colon_is_quoted_not_made_into_a_noun():
    """ "Assess: what you found out" gave "Enter the assess: what you found out"."""
    builder = build(
        question("long_text", "Assess: what you found out", key="assess", max_length=10),
        question("single_choice", "Plan: who gives the support", key="who", options=[{"label": "Me", "value": "me"}]),
        question("date", "Review: the date", key="reviewed"),
        question(
            "long_text", "Do: the support you gave", key="do", max_length=10, error_message="Enter the support you gave"
        ),
    )
    assert [message for _, message in post(builder, {}).error_summary()] == [
        "Enter “Assess: what you found out”",
        "Select “Plan: who gives the support”",
        "Enter “Review: the date”",
        "Enter the support you gave",
    ]
    form = post(builder, {"assess": "a" * 11, "who": "me", "do": "a" * 11} | date_data("3", "", "2025"))
    assert [message for _, message in form.error_summary()] == [
        "“Assess: what you found out” must be 10 characters or fewer",
        "“Review: the date” must include a month",
        "The support you gave must be 10 characters or fewer",
    ]
    # A colon at the end is punctuation: the label is still a noun.
    assert errors(post(build(question("short_text", "Name of the school:", key="school")), {})) == {
        "school": ["Enter the name of the school"]
    }


def test_date_range_and_error_summary_points_at_the_wrong_part():
    builder = build(question("date", "Date of the plan", key="planned", earliest="2020-01-01", latest="2030-01-01"))
    message = "Date of the plan must be the same as or after 1 January 2020"
    assert errors(post(builder, date_data("31", "12", "2019", "planned"))) == {"planned": [message]}
    assert errors(post(builder, date_data("2", "1", "2030", "planned"))) == {
        "planned": ["Date of the plan must be the same as or before 1 January 2030"]
    }
    form = post(builder, date_data("2", "", "2024", "planned"))
    assert form.error_summary() == [("#id_planned-month", "Date of the plan must include a month")]
    html = render_to_string("advice_forms/includes/section_form.html", {"form": form})
    assert 'id="id_planned-month" name="planned-month"' in html
    assert html.count("govuk-input--error") == 1


def test_two_email_questions_of_a_page_say_which_address_is_wrong():
    """Each format error names its question, so the error summary never lists the same line twice."""
    builder = build(
        question("email", "School's email address", key="school", required=False),
        question("email", "What is the SENCO's email?", key="senco", required=False),
        question("email", "Who else should hear?", key="other", required=False, error_message="Enter their email"),
        question("phone", "What number can we call?", key="phone", required=False),
    )
    form = post(builder, {"school": "office", "senco": "senco", "other": "x", "phone": "call me"})
    assert errors(form) == {
        "school": ["Enter the school's email address in the correct format, like name@example.com"],
        "senco": ["Enter an email address in the correct format, like name@example.com"],
        "other": ["Enter their email in the correct format, like name@example.com"],
        "phone": [
            "Enter a telephone number in the correct format, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
        ],
    }


def test_a_contacts_phone_row_says_what_a_phone_question_says():
    builder = build(
        question("phone", "What number can we call?", key="phone", required=False),
        question("professional_contacts", "Contacts", key="contacts", required=False),
    )
    data = {"phone": "call me", "contacts-rows": "1", "contacts-0-name": "A Therapist", "contacts-0-phone": "call me"}
    message = "Enter a telephone number in the correct format, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
    assert errors(post(builder, data)) == {
        "phone": [message],
        "contacts": [message.replace(", like", " for contact 1, like", 1)],
    }


def test_saved_iso_date_fills_the_three_boxes():
    builder = build(question("date", "Date of the last review", key="reviewed"))
    form = builder.form_class_for("main")(answers={"main": {"reviewed": "2025-04-03"}})
    html = render_to_string("advice_forms/includes/section_form.html", {"form": form})
    assert 'name="reviewed-day" type="text" inputmode="numeric" value="3"' in html
    assert 'name="reviewed-year" type="text" inputmode="numeric" value="2025"' in html


# --- email, phone -------------------------------------------------------------------------------


def test_email_and_phone_formats():
    builder = build(question("email", "Email address", key="email"), question("phone", "Phone number", key="phone"))
    form = post(builder, {"email": "not an email", "phone": "call me"})
    assert errors(form) == {
        "email": ["Enter the email address in the correct format, like name@example.com"],
        "phone": [
            "Enter the phone number in the correct format, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
        ],
    }
    form = post(builder, {"email": "senco@school.example.org", "phone": "+44 1632 960 001"})
    assert form.answers() == {"email": "senco@school.example.org", "phone": "+44 1632 960 001"}
    assert errors(post(builder, {"email": "", "phone": ""})) == {
        "email": ["Enter the email address"],
        "phone": ["Enter the phone number"],
    }


# --- choices ------------------------------------------------------------------------------------


def test_yes_no():
    builder = build(question("yes_no", "Does the child have a diagnosis?", key="diagnosis"))
    assert errors(post(builder, {})) == {"diagnosis": ["Select yes or no"]}
    assert errors(post(builder, {"diagnosis": "maybe"})) == {"diagnosis": ["Select yes or no"]}
    assert post(builder, {"diagnosis": "no"}).answers() == {"diagnosis": "no"}


def test_single_choice_from_own_options_as_radios_or_select():
    options = [{"label": "Mainstream school", "value": "mainstream"}, {"label": "Special school", "value": "special"}]
    builder = build(
        question("single_choice", "Type of setting", key="setting", options=options),
        question("single_choice", "Other setting", key="other", options=options, display="select", required=False),
    )
    assert errors(post(builder, {"setting": ""})) == {"setting": ["Select the type of setting"]}
    assert errors(post(builder, {"setting": "college"})) == {"setting": ["Select the type of setting"]}
    form = post(builder, {"setting": "special", "other": ""})
    assert form.answers() == {"setting": "special", "other": None}
    html = render_to_string("advice_forms/includes/section_form.html", {"form": form})
    assert 'type="radio" value="special" checked' in html
    assert '<select class="govuk-select" id="id_other" name="other"' in html


def test_dropdown_list_hides_retired_options_from_new_answers_but_shows_them_on_old_ones():
    years = dropdown_list("Years", [("year_1", "Year 1"), ("year_2", "Year 2"), ("p1", "Pre-school", True)])
    builder = build(question("single_choice", "Year group", key="year", dropdown_list=years.pk))
    fresh = builder.form_class_for("main")(answers={})
    assert fresh.fields["year"].choices == [("year_1", "Year 1"), ("year_2", "Year 2")]
    assert errors(post(builder, {"year": "p1"})) == {"year": ["Select the year group"]}

    old = {"main": {"year": "p1"}}
    reopened = builder.form_class_for("main")(data={"year": "p1"}, answers=old)
    assert reopened.is_valid(), reopened.errors
    spec = builder.section("main").fields[0]
    assert builder.display_value(spec, "p1") == "Pre-school"


def test_multiple_choice_checkboxes():
    options = [{"label": "Cognition and learning", "value": "cl"}, {"label": "Communication", "value": "comms"}]
    builder = build(question("multiple_choice", "Areas of need", key="areas", options=options))
    assert errors(post(builder, {})) == {"areas": ["Select at least one option for the areas of need"]}
    assert errors(post(builder, {"areas": ["cl", "other"]})) == {"areas": ["Select only the options shown"]}
    from django.http import QueryDict

    form = post(builder, QueryDict("areas=cl&areas=comms"))
    assert form.answers() == {"areas": ["cl", "comms"]}
    spec = builder.section("main").fields[0]
    assert builder.display_value(spec, ["cl", "comms"]) == "Cognition and learning, Communication"


def test_declaration_must_be_ticked_and_guidance_asks_nothing():
    builder = build(
        {"type": "guidance", "value": {"heading": "Before you sign", "body": "<p>Read this first.</p>"}},
        question("declaration", "I confirm this is accurate", key="confirmed"),
    )
    form = post(builder, {})
    assert errors(form) == {"confirmed": ["Tick the box to confirm"]}
    assert list(form.fields) == ["confirmed"]
    html = render_to_string("advice_forms/includes/section_form.html", {"form": form})
    assert "Read this first." in html and "Before you sign" in html
    assert post(builder, {"confirmed": "on"}).answers() == {"confirmed": True}


# --- repeating groups ---------------------------------------------------------------------------


def outcome_row(i, **values):
    return {f"outcomes-{i}-{name}": value for name, value in values.items()}


def test_outcomes_need_team_and_type_with_full_names_offered():
    builder = build(question("outcomes", "Outcomes", key="outcomes"))
    form = post(builder, {"outcomes-rows": "1"})
    assert errors(form) == {"outcomes": ["Add at least one outcome"]}
    data = {"outcomes-rows": "2", **outcome_row(0, outcome="Talks in sentences of 4 words", team="SLT")}
    data.update(outcome_row(1, team="EP", type="C&L", outcome="Reads a short book", timescale="By July"))
    form = post(builder, data)
    assert errors(form) == {"outcomes": ["Select the type for outcome 1"]}
    assert form.error_summary() == [("#id_outcomes-0-type", "Select the type for outcome 1")]
    html = render_to_string("advice_forms/includes/section_form.html", {"form": form})
    assert "Speech and Language Therapy" in html
    assert '<p id="id_outcomes-0-type-error" class="govuk-error-message">' in html

    data.update(outcome_row(0, type="Comms"))
    form = post(builder, data)
    assert form.is_valid()
    assert form.answers()["outcomes"][1] == {
        "team": "EP",
        "type": "C&L",
        "outcome": "Reads a short book",
        "provision": "",
        "timescale": "By July",
    }


def test_add_another_and_remove_rows_without_javascript():
    builder = build(question("outcomes", "Outcomes", key="outcomes", max_rows=3))
    data = {"outcomes-rows": "1", "row-action": "add:outcomes", **outcome_row(0, outcome="Typed", team="OT")}
    form = post(builder, data)
    assert form.row_action == ("add", "outcomes", None)
    rows = form["outcomes"].value()
    assert len(rows) == 2 and rows[0]["outcome"] == "Typed" and rows[1]["outcome"] == ""
    html = render_to_string("advice_forms/includes/section_form.html", {"form": form})
    assert '<input type="hidden" name="outcomes-rows" value="2">' in html
    assert 'name="row-action" value="add:outcomes"' in html

    removed = post(builder, {"outcomes-rows": "2", "row-action": "remove:outcomes:0", **outcome_row(1, outcome="Kept")})
    assert removed.row_action == ("remove", "outcomes", 0)
    assert [row["outcome"] for row in removed["outcomes"].value()] == ["Kept"]

    full = post(builder, {"outcomes-rows": "3", "row-action": "add:outcomes"})
    html = render_to_string("advice_forms/includes/section_form.html", {"form": full})
    assert len(full["outcomes"].value()) == 3
    assert "Add another outcome" not in html


def test_professional_contacts_and_views():
    builder = build(
        question("professional_contacts", "Contacts", key="contacts", required=False),
        question("views", "Views", key="views"),
    )
    data = {
        "contacts-rows": "1",
        "contacts-0-name": "A Therapist",
        "contacts-0-team": "SLT",
        "contacts-0-email": "bad",
        "views-rows": "1",
        "views-0-views": "I like maths",
    }
    form = post(builder, data)
    assert errors(form) == {
        "contacts": ["Enter an email address for contact 1 in the correct format, like name@example.com"],
        "views": ["Select whose views these are for view 1", "Enter how the views were gathered for view 1"],
    }
    data.update({"contacts-0-email": "slt@nhs.example.org", "views-0-whose": "child_or_young_person"})
    data["views-0-how_gathered"] = "Talking at break time"
    form = post(builder, data)
    assert form.is_valid()
    spec = builder.section("main").fields[1]
    assert builder.display_value(spec, form.answers()["views"]) == [
        [
            ("Whose views are these?", "The child or young person"),
            ("How were the views gathered?", "Talking at break time"),
            ("The views", "I like maths"),
        ]
    ]


def test_inactive_team_stays_on_old_answers():
    team = Team.objects.get(code="CTPLD")
    team.active = False
    team.save()
    builder = build(question("outcomes", "Outcomes", key="outcomes"))
    assert "CTPLD" not in dict(builder.form_class_for("main")(answers={}).fields["outcomes"].subfields["team"].choices)
    old = {"main": {"outcomes": [{"team": "CTPLD", "type": "PfA", "outcome": "Travels alone"}]}}
    form = builder.form_class_for("main")(answers=old)
    assert "CTPLD" in dict(form.fields["outcomes"].subfields["team"].choices)
    spec = builder.section("main").fields[0]
    rows = builder.display_value(spec, old["main"]["outcomes"])
    assert ("Team", "Community Team for People with Learning Disabilities") in rows[0]
    assert ("Type", "Preparing for Adulthood") in rows[0]
    assert NeedType.display_for("gone") == "gone"


# --- conditions and missing answers -------------------------------------------------------------


def conditional_builder():
    first = section(
        "About",
        [
            question("yes_no", "Has a diagnosis?", key="diagnosis"),
            question(
                "long_text", "Diagnosis details", key="details", condition={"field_key": "diagnosis", "value": "yes"}
            ),
        ],
        key="about",
    )
    later = section(
        "Health",
        [question("short_text", "Health contact", key="health_contact")],
        key="health",
        condition={"field_key": "diagnosis", "value": "yes"},
    )
    other = section("Other", [question("long_text", "Anything else", key="else", required=False)], key="other")
    return FormBuilder(definition([first, later, other]))


def test_condition_in_the_same_step_hides_the_question_and_its_error():
    builder = conditional_builder()
    form = post(builder, {"diagnosis": "no", "details": ""}, section_key="about")
    assert form.is_valid() and form.answers() == {"diagnosis": "no", "details": None}
    form = post(builder, {"diagnosis": "yes", "details": ""}, section_key="about")
    assert errors(form) == {"details": ["Enter the diagnosis details"]}
    html = render_to_string("advice_forms/includes/section_form.html", {"form": form})
    # GOV.UK's conditional reveal under "Yes", open because "Yes" is chosen; no "Answer this only if" hint.
    assert 'data-aria-controls="conditional-id_diagnosis-0"' in html
    assert '<div class="govuk-radios__conditional" id="conditional-id_diagnosis-0" data-advice-reveal>' in html
    assert "Answer this only if" not in html


def test_section_condition_and_missing_required():
    builder = conditional_builder()
    no = {"about": {"diagnosis": "no"}}
    assert [s.key for s in builder.visible_sections(no)] == ["about", "other"]
    assert builder.missing_required(no) == []
    yes = {"about": {"diagnosis": "yes"}}
    assert [s.key for s in builder.visible_sections(yes)] == ["about", "health", "other"]
    missing = builder.missing_required(yes)
    assert [(m.section_title, m.field_label) for m in missing] == [
        ("About", "Diagnosis details"),
        ("Health", "Health contact"),
    ]
    assert [(m.section_key, m.field_key) for m in builder.missing_required({})] == [("about", "diagnosis")]


def test_summary_shows_answers_in_words_and_flags_missing():
    builder = conditional_builder()
    summary = builder.summary({"about": {"diagnosis": "yes"}})
    rows = {row.field.key: row for part in summary for row in part.rows}
    assert rows["diagnosis"].value == "Yes" and not rows["diagnosis"].missing
    assert rows["details"].missing and rows["health_contact"].missing
    html = render_to_string("advice_forms/includes/answers_summary.html", {"summary": summary})
    assert html.count("Not answered: this is required") == 2


def test_error_summary_matches_inline_messages():
    builder = build(question("short_text", "Name", key="name"), question("yes_no", "Agreed?", key="agreed"))
    form = post(builder, {})
    summary = form.error_summary()
    assert summary == [("#id_name", "Enter the name"), ("#id_agreed-0", "Select yes or no")]
    page = render_to_string("cms/includes/error_summary.html", {"errors": summary})
    fields = render_to_string("advice_forms/includes/section_form.html", {"form": form})
    for href, message in summary:
        assert f'<a href="{href}">{message}</a>' in page
        assert message in fields
    assert 'id="id_agreed-0"' in fields


def _when_area(value):
    return {"field_key": "areas", "value": value}


def test_error_summary_follows_the_page_when_questions_sit_in_reveals():
    """A question in a conditional reveal is drawn under its option, before the questions that follow its controller;
    the summary listed it after them ("Needs by area": the primary need came before the needs of each area)."""
    options = [{"label": "Cognition", "value": "cognition"}, {"label": "Communication", "value": "communication"}]
    builder = build(
        question("multiple_choice", "Areas of need", key="areas", options=options),
        question("single_choice", "Primary need", key="primary", options=options),
        question("long_text", "Cognition needs", key="needs_c", condition=_when_area("cognition")),
        question("long_text", "Communication needs", key="needs_m", condition=_when_area("communication")),
    )
    form = post(builder, {"areas": ["communication", "cognition"]})
    assert [href for href, _ in form.error_summary()] == ["#id_needs_c", "#id_needs_m", "#id_primary-0"]
    page = render_to_string("advice_forms/includes/section_form.html", {"form": form})
    drawn = sorted(form.error_summary(), key=lambda row: page.index(f'id="{row[0][1:]}"'))
    assert drawn == form.error_summary()


# --- published versions: parsed once per process ------------------------------------------------


def test_a_published_versions_builder_is_parsed_once_and_keeps_its_frozen_dropdown_options(
    django_assert_num_queries,
):
    from advice_forms.models import DropdownOption, FormDefinitionVersion

    years = dropdown_list("Years", [("year_1", "Year 1")])
    version = definition(
        [section("Q", [question("single_choice", "Year group", key="year", dropdown_list=years.pk)], key="main")]
    )
    first = FormBuilder.for_version(FormDefinitionVersion.objects.get(pk=version.pk))
    first.sections()

    reloaded = FormDefinitionVersion.objects.get(pk=version.pk)
    with django_assert_num_queries(0):
        again = FormBuilder.for_version(reloaded)
        again.sections()

    assert again is first
    # As the snippet editor saves it: a new option, written to the database after publishing, is not offered.
    DropdownOption.objects.create(dropdown_list=years, value="year_2", label="Year 2", sort_order=1)
    assert again.form_class_for("main")(answers={}).fields["year"].choices == [("year_1", "Year 1")]


def test_a_version_whose_content_differs_under_the_same_id_is_parsed_afresh():
    from advice_forms.models import FormDefinitionVersion

    version = definition([section("Q", [question("short_text", "Name", key="name")], key="main")])
    first = FormBuilder.for_version(version)
    # What a test database that reuses ids can hand over: another version's row under the same id.
    other = FormDefinitionVersion.objects.get(pk=version.pk)
    other.content = [section("Q", [question("short_text", "Other", key="other")], key="main")]

    again = FormBuilder.for_version(other)

    assert again is not first
    assert [f.key for f in again.section("main").fields] == ["other"]


def test_a_kept_builder_builds_each_questions_field_once_for_its_input_id():
    """Check answers asks for the id of every question's first input (its "Change" and "missing" links): each is a
    whole form field to build, so a version's kept builder builds it once, not on every visit."""
    from unittest import mock

    from advice_forms.models import FormDefinitionVersion

    version = definition(
        [section("Q", [question("yes_no", "Attends school", key="attends"), question("date", "Born", key="born")])]
    )
    builder = FormBuilder.for_version(version)
    with mock.patch.object(builder, "create_yes_no_field", wraps=builder.create_yes_no_field) as create:
        assert builder.input_id("attends") == "id_attends-0"
        again = FormBuilder.for_version(FormDefinitionVersion.objects.get(pk=version.pk))
        assert again.input_id("attends") == "id_attends-0"
        assert again.input_id("born") == "id_born-day"

    assert create.call_count == 1


# --- a file question ---------------------------------------------------------------------------------


def test_a_file_kept_by_a_step_saved_with_errors_reads_to_the_conditions_as_the_page_shows_it():
    """A valid file on a step with other answers refused is filed and shown as uploaded; the answers the page's
    conditions read held the posted file instead (worked out while cleaning, before it was filed)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories.advice_forms import pdf_bytes

    builder = build(question("file", "Report", key="report"), question("short_text", "Age", key="age"))
    upload = SimpleUploadedFile("report.pdf", pdf_bytes(), content_type="application/pdf")
    form = builder.form_class_for("main")(data={"age": ""}, files={"report": upload}, answers={})
    assert not form.is_valid() and form.answers_now()["main"]["report"] is upload

    filed = {"document": 7, "name": "report.pdf", "size": 1234}
    form.show_as_uploaded({"report": filed})

    assert form["report"].initial == filed
    assert form["report"].value() == filed
    assert form.answers_now()["main"]["report"] == filed


def test_a_file_questions_posted_names_are_its_own_name_alone():
    """Its "Remove this file" is a button posting the row action, so Django's unused clear box is no name of it."""
    builder = build(question("file", "Report", key="report"), question("short_text", "Age", key="age"))
    raw = {"report": "", "report-clear": "on", "age": "3"}

    assert builder.posted_names("main", "report", raw) == {"report"}


def test_a_remove_naming_its_row_in_other_digits_names_no_row():
    """A "²" passes str.isdigit(), and int() refused it: the step's post ended in a server error."""
    builder = build(question("outcomes", "Outcomes", key="outcomes", max_rows=3))
    form = post(builder, {"outcomes-rows": "2", "row-action": "remove:outcomes:²", **outcome_row(1, outcome="Kept")})
    assert form.row_action == ("remove", "outcomes", None)
