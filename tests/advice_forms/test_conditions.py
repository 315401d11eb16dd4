"""Conditions that behave: "all of / any of" over rules "is / is not / is one of", in the same step or an earlier
one; old-shape conditions ({field_key, value}) in published versions still read; the designer's checks."""

import pytest
from django.template.loader import render_to_string

from advice_forms.blocks import check_sections, upgrade_condition
from advice_forms.form_builder import FormBuilder, rule_met
from advice_forms.models import FormDefinition, FormDefinitionVersion
from tests.factories.advice_forms import column, definition, question, section

pytestmark = pytest.mark.django_db

AREAS = [{"label": "Cognition and learning", "value": "cl"}, {"label": "Communication", "value": "comms"}]
AREAS += [{"label": "Social, emotional and mental health", "value": "semh"}]
INTERPRETER = [{"label": "None", "value": "none"}, {"label": "Spoken", "value": "spoken"}]
INTERPRETER += [{"label": "Sign language", "value": "sign"}]


def when(match, *rules):
    return {"match": match, "rules": [{"field_key": k, "operator": op, "value": v} for k, op, v in rules]}


def conditions_sections():
    return [
        section(
            "About",
            [
                question("yes_no", "Is support in place?", key="support"),
                question(
                    "long_text",
                    "Describe the support",
                    key="support_details",
                    condition=when("all", ("support", "is", "yes")),
                ),
                question("multiple_choice", "Areas of need", key="areas", options=AREAS),
                question(
                    "long_text",
                    "Cognition detail",
                    key="cl_detail",
                    required=False,
                    condition=when("all", ("areas", "is", "cl")),
                ),
                question(
                    "long_text",
                    "Communication or SEMH detail",
                    key="other_detail",
                    required=False,
                    condition=when("any", ("areas", "is_one_of", "comms, semh"), ("support", "is_not", "yes")),
                ),
            ],
            key="about",
        ),
        section(
            "Family",
            [
                question(
                    "single_choice", "Interpreter needed", key="interpreter", options=INTERPRETER, display="radios"
                ),
                question(
                    "short_text",
                    "Language",
                    key="language",
                    condition=when("all", ("interpreter", "is_one_of", "spoken,sign")),
                ),
                question(
                    "short_text",
                    "Family notes",
                    key="family_notes",
                    required=False,
                    condition=when("all", ("support", "is", "yes")),
                ),
            ],
            key="family",
        ),
        section(
            "Health",
            [question("long_text", "Health notes", key="health_notes", required=False)],
            key="health",
            condition=when("all", ("support", "is", "yes"), ("interpreter", "is_not", "sign")),
        ),
    ]


@pytest.fixture
def builder():
    return FormBuilder(definition(conditions_sections()))


def visible_keys(builder, answers):
    return [
        spec.key
        for s in builder.visible_sections(answers)
        for spec in s.questions()
        if builder.field_visible(spec, answers)
    ]


def test_rules_is_is_not_and_is_one_of_over_single_and_multiple_answers():
    is_yes = {"operator": "is", "values": ["yes"]}
    assert rule_met(is_yes, "yes") and not rule_met(is_yes, "no") and not rule_met(is_yes, None)
    is_not_yes = {"operator": "is_not", "values": ["yes"]}
    assert rule_met(is_not_yes, "no") and rule_met(is_not_yes, None) and not rule_met(is_not_yes, "yes")
    one_of = {"operator": "is_one_of", "values": ["comms", "semh"]}
    assert rule_met(one_of, ["cl", "semh"]) and not rule_met(one_of, ["cl"]) and rule_met(one_of, "comms")
    assert rule_met({"operator": "is_not", "values": ["cl"]}, ["comms"])
    assert not rule_met({"operator": "is_not", "values": ["cl"]}, ["cl", "comms"])


def test_all_of_any_of_and_conditions_across_steps(builder):
    answers = {"about": {"support": "yes", "areas": ["cl"]}, "family": {"interpreter": "none"}}
    assert visible_keys(builder, answers) == [
        "support",
        "support_details",
        "areas",
        "cl_detail",
        "interpreter",
        "family_notes",
        "health_notes",
    ]
    # "any of": SEMH among the areas, or support not "yes"; the health step needs "all of" its two rules.
    answers = {"about": {"support": "no", "areas": ["semh"]}, "family": {"interpreter": "sign"}}
    assert visible_keys(builder, answers) == ["support", "areas", "other_detail", "interpreter", "language"]
    answers = {"about": {"support": "yes", "areas": ["comms"]}, "family": {"interpreter": "sign"}}
    assert [s.key for s in builder.visible_sections(answers)] == ["about", "family"]
    assert "other_detail" in visible_keys(builder, answers) and "health_notes" not in visible_keys(builder, answers)


def test_a_question_hidden_by_a_hidden_question_counts_as_unanswered():
    version = definition(
        [
            section(
                "One",
                [
                    question("yes_no", "First", key="first", error_message="Select yes if the first is true"),
                    question("yes_no", "Second", key="second", condition=when("all", ("first", "is", "yes"))),
                    question("short_text", "Third", key="third", condition=when("all", ("second", "is", "yes"))),
                ],
                key="one",
            )
        ]
    )
    builder = FormBuilder(version)
    assert visible_keys(builder, {"one": {"first": "yes", "second": "yes"}}) == ["first", "second", "third"]
    assert visible_keys(builder, {"one": {"first": "no", "second": "yes"}}) == ["first"]


def test_hidden_answers_are_kept_and_named_on_check_answers_never_dropped_silently(builder):
    answers = {
        "about": {"support": "no", "support_details": "Weekly speech therapy", "areas": ["cl"]},
        "family": {"interpreter": "none", "family_notes": "Grandmother helps"},
    }
    assert [(s.key, f.key) for s, f in builder.hidden_with_text(answers)] == [
        ("about", "support_details"),
        ("family", "family_notes"),
    ]
    assert not [part.kept_hidden for part in builder.summary(answers) if part.kept_hidden]  # the author's note only
    summary = builder.summary(answers, with_kept_hidden=True)
    kept = {part.section.key: [f.label for f in part.kept_hidden] for part in summary}
    assert kept == {"about": ["Describe the support"], "family": ["Family notes"]}
    html = render_to_string("advice_forms/includes/answers_summary.html", {"summary": summary})
    assert "Not included, because your other answers mean this question is no longer asked" in html
    assert "Describe the support" in html and "Weekly speech therapy" not in html


def exclusions_sections(*follow_ups):
    """The demo ERSA's exclusions, a table under "Yes", beside a question typed on its own; ``follow_ups``: (kind,
    label, key) of optional questions under the same "Yes"."""
    excluded = when("all", ("excluded", "is", "yes"))
    columns = [column("Date", "date", key="date"), column("Reason given", key="reason")]
    table = question(
        "table", "Exclusions", key="exclusions", item_name="exclusion", columns=columns, condition=excluded
    )
    fields = [question("short_text", "Headteacher's name", key="head_name")]
    fields += [question("yes_no", "Have they been excluded?", key="excluded"), table]
    fields += [question(kind, label, key=key, required=False, condition=excluded) for kind, label, key in follow_ups]
    return [section("School", fields, key="school")]


def test_a_hidden_table_date_or_address_of_blank_boxes_holds_nothing_but_one_typed_box_holds_text():
    """A page posts a table's row count and its blank cells (a date's and an address's blank boxes too) whether or
    not the question is shown: an empty one-row table was said to hold text, on the page and in what it posts back."""
    follow_ups = [("date", "Date of the last review", "reviewed"), ("address", "Where they were taught", "taught_at")]
    builder = FormBuilder(definition(exclusions_sections(*follow_ups)))
    blank_date = {"day": "", "month": "", "year": ""}
    blank_row = {"date": blank_date, "reason": " "}
    school = {
        "excluded": "no",
        "exclusions": [blank_row],
        "reviewed": blank_date,
        "taught_at": {"line_1": "", "line_2": "", "town": "", "postcode": ""},
    }
    assert builder.hidden_with_text({"school": school}) == []

    school["exclusions"] = [blank_row, {**blank_row, "date": {**blank_date, "year": "2025"}}]
    school["reviewed"] = {**blank_date, "day": "4"}
    school["taught_at"] = {**school["taught_at"], "town": "Exampleton"}
    assert [spec.key for _, spec in builder.hidden_with_text({"school": school})] == [
        "exclusions",
        "reviewed",
        "taught_at",
    ]


def test_the_form_keeps_a_hidden_answer_until_removal_is_confirmed(builder):
    form_class = builder.form_class_for("about")
    saved = {"about": {"support": "yes", "support_details": "Weekly speech therapy", "areas": ["cl"]}}
    data = {
        "support": "no",
        "support_details": "Weekly speech therapy",
        "areas": ["cl"],
        "shown-at-render": "support_details cl_detail",
    }
    form = form_class(data=data, answers=saved)
    assert form.is_valid()
    assert form.answers()["support_details"] == "Weekly speech therapy"
    assert [spec.key for _, spec in form.clearing] == ["support_details"] and form.asks_before_going_on
    form = form_class(data={**data, "clear": "remove", "clear-keys": "support_details"}, answers=saved)
    assert form.is_valid() and form.answers()["support_details"] is None and not form.asks_before_going_on
    form = form_class(data={**data, "clear": "keep"}, answers=saved)
    assert form.is_valid() and form.answers()["support_details"] == "Weekly speech therapy"
    assert not form.asks_before_going_on
    # A question already hidden when the page was drawn is not asked about again.
    form = form_class(data={**data, "shown-at-render": "cl_detail", "kept-at-render": "support_details"}, answers=saved)
    assert form.is_valid() and form.clearing == []


def test_a_hidden_question_is_drawn_hidden_and_a_rule_set_question_carries_its_rules(builder):
    """Hidden by GOV.UK's class, which hides only where GOV.UK Frontend's script runs: without JavaScript it shows."""
    form = builder.form_class_for("about")(answers={"about": {"support": "no"}})
    html = render_to_string("advice_forms/includes/section_form.html", {"form": form})
    closed = "govuk-radios__conditional govuk-radios__conditional--hidden"
    assert f'<div class="{closed}" id="conditional-id_support-0" data-advice-reveal>' in html
    closed = "govuk-checkboxes__conditional govuk-checkboxes__conditional--hidden"
    assert f'<div class="{closed}" id="conditional-id_areas-0" data-advice-reveal>' in html
    assert 'data-advice-condition="{&quot;match&quot;: &quot;any&quot;' in html
    assert "Answer this only if" not in html


# --- old shape, and the designer's checks ----------------------------------------------------------------------


def test_old_shape_conditions_in_a_published_version_still_behave():
    version = definition([section("A", [question("yes_no", "Agreed?", key="agreed")], key="a")])
    old = [
        *version.content,
        {
            "type": "section",
            "id": "b-section",
            "value": {
                "title": "B",
                "key": "b",
                "guidance": "",
                "condition": {"field_key": "agreed", "value": "yes"},
                "fields": [
                    {
                        "type": "short_text",
                        "id": "b-name",
                        "value": {
                            "label": "Name",
                            "key": "name",
                            "required": True,
                            "max_length": 50,
                            "condition": {"field_key": "agreed", "value": "yes"},
                        },
                    }
                ],
            },
        },
    ]
    FormDefinitionVersion.objects.filter(pk=version.pk).update(content=old)
    builder = FormBuilder(FormDefinitionVersion.objects.get(pk=version.pk))
    assert [s.key for s in builder.visible_sections({"a": {"agreed": "no"}})] == ["a"]
    assert [s.key for s in builder.visible_sections({"a": {"agreed": "yes"}})] == ["a", "b"]
    assert builder.section("b").condition == {
        "match": "all",
        "rules": [{"field_key": "agreed", "operator": "is", "values": ["yes"]}],
    }
    assert upgrade_condition({"field_key": "", "value": ""}) == {"match": "all", "rules": []}


def test_an_old_shape_draft_upgrades_when_saved_again():
    draft = definition(
        [
            section(
                "A",
                [
                    question("yes_no", "Agreed?", key="agreed"),
                    question("short_text", "Why", key="why", condition={"field_key": "agreed", "value": "no"}),
                ],
            )
        ],
        publish=False,
    )
    draft = FormDefinition.objects.get(pk=draft.pk)
    condition = draft.sections[0].value["fields"][1].value["condition"]  # what the admin's editor is given
    assert condition["match"] == "all" and condition["rules"][0]["operator"] == "is"
    draft.save()
    draft = FormDefinition.objects.get(pk=draft.pk)
    stored = draft.sections.raw_data[0]["value"]["fields"][1]["value"]["condition"]
    assert stored["match"] == "all"
    assert [rule["value"] for rule in stored["rules"]] == [{"field_key": "agreed", "operator": "is", "value": "no"}]


def test_the_designer_is_told_which_rule_is_wrong():
    draft = definition(
        [
            section(
                "About",
                [
                    question("yes_no", "Agreed?", key="agreed"),
                    question("multiple_choice", "Areas", key="areas", options=AREAS),
                    question(
                        "long_text",
                        "A",
                        condition=when(
                            "any", ("agreed", "is", "yes"), ("areas", "is_one_of", "cl, maths"), ("ghost", "is", "yes")
                        ),
                    ),
                    question("long_text", "B", condition=when("all", ("later", "is_not", "yes"))),
                    question("yes_no", "Later", key="later"),
                ],
            ),
        ],
        publish=False,
    )
    assert check_sections(draft.sections).messages() == [
        "Rule 2 of “Show only when”: “maths” is not an answer to “Areas”; use one of: “Cognition and learning”, "
        "“Communication”, “Social, emotional and mental health”",
        "Rule 3 of “Show only when”: there is no question with the key “ghost” before this one",
        "Rule 1 of “Show only when”: “Later” comes later in the form; a condition can only use an earlier question",
    ]


def chain_builder(length):
    """A form whose question n is shown only when question n - 1 is "yes", and a last step shown only when the
    last question is "yes"."""
    questions = [question("yes_no", "Question 1", key="q1")]
    for n in range(2, length + 1):
        questions.append(
            question("yes_no", f"Question {n}", key=f"q{n}", condition=when("all", (f"q{n - 1}", "is", "yes")))
        )
    last = when("all", (f"q{length}", "is", "yes"))
    sections = [
        section("Chain", questions, key="chain"),
        section("After", [question("short_text", "After", key="after")], key="after", condition=last),
    ]
    return FormBuilder.from_definition(definition(sections, publish=False))


def test_a_chain_of_1500_conditions_is_worked_out_whole_and_each_question_once(monkeypatch):
    length = 1500
    builder = chain_builder(length)
    after = builder.section("after")
    every_yes = {"chain": {f"q{n}": "yes" for n in range(1, length + 1)}}
    assert len(visible_keys(builder, every_yes)) == length + 1
    assert [s.key for s in builder.visible_sections(every_yes)] == ["chain", "after"]
    # Half answered: the last step waits for an answer ("Cannot start yet"); a "no" half way decides it ("Not needed").
    half = {"chain": {f"q{n}": "yes" for n in range(1, length // 2)}}
    assert builder.condition_waiting(after.condition, half)
    half["chain"][f"q{length // 4}"] = "no"
    assert not builder.condition_waiting(after.condition, half)
    # Text kept in the last question, hidden by that "no", is named.
    half["chain"][f"q{length}"] = "yes"
    assert [spec.key for _, spec in builder.hidden_with_text(half)] == [
        f"q{n}" for n in range(length // 4 + 1, length // 2)
    ] + [f"q{length}"]

    calls = []
    counted = rule_met

    def counting(rule, value):
        calls.append(rule)
        return counted(rule, value)

    monkeypatch.setattr("advice_forms.form_builder.rule_met", counting)
    builder.hidden_with_text(every_yes)
    builder.visible_sections(every_yes)
    builder.condition_waiting(after.condition, half)
    assert len(calls) < 4 * length
