"""Reading a section's "Add questions, one a line" box (advice_forms.quick_add): each line's kind, label, options
and whether it is required; a line it cannot read is named; applying it to sections adds questions, or nothing."""

import pytest

from advice_forms.blocks import SectionsBlock, check_sections
from advice_forms.quick_add import QuickAddRefused, quick_add_apply, quick_add_read
from tests.factories.advice_forms import dropdown_list

LANGUAGES = [(f"l{n}", f"Language {n}") for n in range(12)]


def _read(text, lists=None):
    return [
        (q.kind, q.label, q.required, q.dropdown_list and q.dropdown_list.name, q.options, q.columns)
        for q in quick_add_read(text, lists=lists or {})
    ]


def test_each_kind_is_read_from_its_plain_words():
    text = "\n".join(
        [
            "The name they like to be called (optional)",
            "long text: What diagnosis, and who gave it",
            "yes/no: Is the child looked after?",
            "Yes or no: Are they a young carer?",
            "date: Date they started",
            "number: How many children are in the class",
            "email: SENCO's email address",
            "phone: Phone number (optional)",
            "address: Their address",
            "money: Weekly cost",
            "short text: Note: read this",
            "",
            "  LONG   TEXT :   Spaces   are   tidied  ",
        ]
    )
    assert _read(text) == [
        ("short_text", "The name they like to be called", False, None, [], []),
        ("long_text", "What diagnosis, and who gave it", True, None, [], []),
        ("yes_no", "Is the child looked after?", True, None, [], []),
        ("yes_no", "Are they a young carer?", True, None, [], []),
        ("date", "Date they started", True, None, [], []),
        ("number", "How many children are in the class", True, None, [], []),
        ("email", "SENCO's email address", True, None, [], []),
        ("phone", "Phone number", False, None, [], []),
        ("address", "Their address", True, None, [], []),
        ("money", "Weekly cost", True, None, [], []),
        ("short_text", "Note: read this", True, None, [], []),
        ("long_text", "Spaces are tidied", True, None, [], []),
    ]


def test_choices_come_from_a_list_named_in_any_case_or_from_their_own_options():
    lists = {"languages": type("List", (), {"name": "Languages"})()}
    text = (
        "choice from languages: First language\n"
        "choices from Languages: Other languages (optional)\n"
        "choice of Phone, Email ,  Letter: How they would like us to contact them\n"
        "choices of Observation, Talking with them: How you gathered their views"
    )
    assert _read(text, lists) == [
        ("single_choice", "First language", True, "Languages", [], []),
        ("multiple_choice", "Other languages", False, "Languages", [], []),
        ("single_choice", "How they would like us to contact them", True, None, ["Phone", "Email", "Letter"], []),
        ("multiple_choice", "How you gathered their views", True, None, ["Observation", "Talking with them"], []),
    ]


def test_a_table_names_its_columns_and_their_kinds():
    text = "table of School or setting, From (date), Days (number), Why they left (optional): Earlier schools"
    assert _read(text) == [
        (
            "table",
            "Earlier schools",
            True,
            None,
            [],
            [
                ("School or setting", "text", True),
                ("From", "date", True),
                ("Days", "number", True),
                ("Why they left", "text", False),
            ],
        )
    ]


def test_every_line_it_cannot_read_is_named():
    text = "Fine\nsignature: Sign here\nchoice from Colours: Favourite colour\nyes/no:\ntable of Name (colour): Things"
    with pytest.raises(QuickAddRefused) as refused:
        quick_add_read(text, lists={})
    messages = refused.value.messages
    assert len(messages) == 4
    assert messages[0].startswith("Line 2 (“signature: Sign here”): “signature” is not a kind of question")
    assert messages[1] == (
        "Line 3 (“choice from Colours: Favourite colour”): there is no dropdown list called “Colours” "
        "(the lists: none yet)"
    )
    assert messages[2] == "Line 4 (“yes/no:”): it has no label after the colon"
    assert messages[3].startswith("Line 5 (“table of Name (colour): Things”): “colour” is not a kind of column")


@pytest.mark.django_db
def test_applying_adds_checked_questions_with_keys_from_labels_and_empties_the_box():
    dropdown_list("Languages", LANGUAGES)
    dropdown_list("Types of setting", [("early", "Early years"), ("primary", "Primary")])
    sections = SectionsBlock().to_python(
        [
            {
                "type": "section",
                "value": {
                    "title": "About the child",
                    "fields": [{"type": "yes_no", "value": {"label": "Looked after?", "key": "looked_after"}}],
                    "quick_add": "Looked after?\nchoice from Languages: First language\n"
                    "choice from types of setting: Type of setting\nchoice of Mother, Father: Relationship\n"
                    "table of Name, From (date): Earlier schools (optional)",
                },
            }
        ]
    )

    assert quick_add_apply(sections) == 5
    assert check_sections(sections).ok
    section = sections[0].value
    assert section["quick_add"] == ""
    fields = [(f.block_type, f.value["key"], f.value["required"]) for f in section["fields"]]
    assert fields == [
        ("yes_no", "looked_after", True),
        ("short_text", "looked_after_2", True),
        ("single_choice", "first_language", True),
        ("single_choice", "type_of_setting", True),
        ("single_choice", "relationship", True),
        ("table", "earlier_schools", False),
    ]
    language, setting, relationship, table = (f.value for f in section["fields"][2:])
    assert (language["dropdown_list"].name, language["display"]) == ("Languages", "select")  # 12 options
    assert (setting["dropdown_list"].name, setting["display"]) == ("Types of setting", "radios")
    assert [(o["label"], o["value"]) for o in relationship["options"]] == [("Mother", "mother"), ("Father", "father")]
    assert [(c["label"], c["key"], c["kind"]) for c in table["columns"]] == [
        ("Name", "name", "text"),
        ("From", "from", "date"),
    ]
    # Saved, the questions get block ids like any other.
    saved = SectionsBlock().get_prep_value(sections)
    assert all(f["id"] for f in saved[0]["value"]["fields"])


@pytest.mark.django_db
def test_a_refusal_beside_one_box_adds_nothing_to_any_section():
    sections = SectionsBlock().to_python(
        [
            {"type": "section", "value": {"title": "One", "fields": [], "quick_add": "yes/no: Fine"}},
            {"type": "section", "value": {"title": "Two", "fields": [], "quick_add": "choice from Nowhere: Bad"}},
        ]
    )
    with pytest.raises(Exception) as refused:
        quick_add_apply(sections)
    data = refused.value.as_json_data()
    assert list(data["blockErrors"]) == [1]
    assert "there is no dropdown list called “Nowhere”" in str(data["blockErrors"][1]["blockErrors"]["quick_add"])
    assert [len(s.value["fields"]) for s in sections] == [0, 0]
    assert sections[0].value["quick_add"] == "yes/no: Fine"
