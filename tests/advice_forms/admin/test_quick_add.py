"""Saving a form definition through the admin adds the questions typed in each section's quick-add box and empties
it; a line naming an unknown kind or list refuses the save beside the box, keeping the typed text, storing nothing;
publishing does the same; the file format never carries the box."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from advice_forms.definition_format import FileRefused, definition_document, document_dumps
from advice_forms.form_builder import FormBuilder
from advice_forms.messages import message_naming_question
from advice_forms.models import FormDefinition
from advice_forms.services.definition_files import Lookups, form_definition_import
from advice_forms.services.definitions import form_definition_publish
from tests.advice_forms.admin.form_data import definition_post, field, section
from tests.advice_forms.admin.test_form_design import errors_for
from tests.factories.advice_forms import dropdown_list

pytestmark = pytest.mark.django_db

LINES = (
    "yes/no: Is the child or young person looked after by a council?\n"
    "Which council looks after them\n"
    "choice from Languages: First language\n"
    "long text: What diagnosis, and who gave it (optional)"
)


def _post(client, quick_add, *, url=None, fields=()):
    return client.post(
        url or reverse("wagtailsnippets_advice_forms_formdefinition:add"),
        definition_post(
            title="ERSA",
            version_label="V1",
            sections=[("section", section("About the child", list(fields), quick_add=quick_add), "")],
        ),
    )


def test_a_save_adds_the_lines_as_questions_and_empties_the_box(designer_client):
    dropdown_list("Languages", [("english", "English"), ("polish", "Polish")])
    response = _post(designer_client, LINES, fields=[("short_text", field("Preferred name", max_length="100"), "")])

    assert response.status_code == 302, errors_for(response)
    definition = FormDefinition.objects.get()
    stored = definition.get_latest_revision_as_object().sections[0].value
    assert stored["quick_add"] == ""
    assert [(f.block_type, f.value["key"], f.value["required"]) for f in stored["fields"]] == [
        ("short_text", "preferred_name", True),
        ("yes_no", "is_the_child_or_young_person_looked_after_by_a_cou", True),
        ("short_text", "which_council_looks_after_them", True),
        ("single_choice", "first_language", True),
        ("long_text", "what_diagnosis_and_who_gave_it", False),
    ]
    assert stored["fields"][3].value["dropdown_list"].name == "Languages"
    page = designer_client.get(response.url)
    assert "Added 4 questions from the “Add questions” boxes." in [str(m) for m in page.context["messages"]]

    # The file format never carries the box; a file that has one is refused, naming it.
    document = definition_document(definition.get_latest_revision_as_object())
    assert "quick_add" not in document["sections"][0]
    document["sections"][0]["quick_add"] = "yes/no: Sneaked in"
    with pytest.raises(FileRefused, match="unknown entry “quick_add”"):
        form_definition_import(raw=document_dumps(document), lookups=Lookups.CREATE)


def test_an_unknown_kind_or_list_refuses_the_save_beside_the_box_and_keeps_the_text(designer_client):
    typed = "yes/no: Looked after?\nsignature: Sign here\nchoice from Colours: Favourite colour"
    response = _post(designer_client, typed)

    assert response.status_code == 200
    assert FormDefinition.objects.count() == 0
    data = errors_for(response)
    box = json.dumps(data["blockErrors"][0]["blockErrors"]["quick_add"], ensure_ascii=False)
    assert "Line 2 (“signature: Sign here”): “signature” is not a kind of question" in box
    assert "Line 3 (“choice from Colours: Favourite colour”): there is no dropdown list called “Colours”" in box
    assert "Line 1" not in box
    # The page sent back holds what was typed, in the box.
    assert "signature: Sign here" in response.content.decode()


def test_each_refused_line_is_its_own_line_beside_the_box_and_the_banner_says_what_was_refused(designer_client):
    """The lines' errors ran together in one paragraph ("…for short text) Line 2 (…"); and the banner said "could not
    be saved due to errors" while Wagtail's autosave, a moment later, kept the page as a draft and showed "Saved"."""
    response = _post(designer_client, "yes/no: Looked after?")
    definition = FormDefinition.objects.get()
    url = reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[definition.pk])

    response = _post(designer_client, "sentence: What they say\nchoice from Colours: Favourite colour", url=url)

    assert response.status_code == 200
    [message] = errors_for(response)["blockErrors"][0]["blockErrors"]["quick_add"]["messages"]
    lines = message.split("\n")
    assert [line.split(":")[0] for line in lines] == ["Line 1 (“sentence", "Line 2 (“choice from Colours"]
    assert "“sentence” is not a kind of question" in lines[0]
    assert "there is no dropdown list called “Colours”" in lines[1]
    banner = [str(m).strip() for m in response.context["messages"]][-1]  # after the first save's
    assert banner == (
        "The questions typed in “Add questions, one a line” were not added: fix the lines shown beside the box, then "
        "save again."
    )


def test_a_refused_edit_stores_nothing_new(designer_client):
    response = _post(designer_client, "yes/no: Looked after?")
    assert response.status_code == 302, errors_for(response)
    definition = FormDefinition.objects.get()
    revisions = definition.revisions.count()

    response = _post(
        designer_client,
        "number: Class size\nchoices from Nowhere: Bad",
        url=reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[definition.pk]),
    )

    assert response.status_code == 200
    assert definition.revisions.count() == revisions
    fields = definition.get_latest_revision_as_object().sections[0].value["fields"]
    assert [f.value["label"] for f in fields] == ["Looked after?"]


def test_publishing_adds_the_lines_too_or_refuses_naming_the_line(form_designer):
    definition = FormDefinition(title="ERSA", kind="other_advice", version_label="V1")
    definition.sections = [
        ("section", {"title": "About the child", "fields": [], "quick_add": "date: Date they started\nmoney: Cost"})
    ]
    definition.save()
    version = form_definition_publish(definition=definition, user=form_designer)
    assert [(f["type"], f["value"]["key"]) for f in version.content[0]["value"]["fields"]] == [
        ("date", "date_they_started"),
        ("money", "cost"),
    ]
    assert version.content[0]["value"]["quick_add"] == ""

    definition.sections[0].value["quick_add"] = "colour: Favourite colour"
    with pytest.raises(ValidationError):
        form_definition_publish(definition=definition, user=form_designer)
    assert definition.versions.count() == 1


def test_an_autosave_leaves_the_box_and_copies_to_the_designers_own_save(designer_client):
    """Wagtail's autosave answers with JSON and does not redraw the editor: questions it made from the box would be
    missing from the page, and the next save would add them again."""
    response = _post(designer_client, "yes/no: Looked after?")
    assert response.status_code == 302, errors_for(response)
    definition = FormDefinition.objects.get()
    url = reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[definition.pk])
    saved_section = definition.sections[0]
    question = saved_section.value["fields"][0]
    kept = [("yes_no", field("Looked after?", key=question.value["key"]), question.id)]
    data = definition_post(
        title="ERSA",
        version_label="V1",
        sections=[("section", section("About the child", kept, quick_add="date: Date they started"), saved_section.id)],
    )

    autosaved = designer_client.post(url, data, HTTP_ACCEPT="application/json")

    assert autosaved.status_code == 200, autosaved.content
    latest = FormDefinition.objects.get().get_latest_revision_as_object().sections[0].value
    assert latest["quick_add"] == "date: Date they started"
    assert [f.value["label"] for f in latest["fields"]] == ["Looked after?"]

    saved = designer_client.post(url, data)
    assert saved.status_code == 302, errors_for(saved)
    latest = FormDefinition.objects.get().get_latest_revision_as_object().sections[0].value
    assert latest["quick_add"] == ""
    assert [f.value["label"] for f in latest["fields"]] == ["Looked after?", "Date they started"]


TEN_QUESTIONS = (
    "Child's first language\n"
    "yes/no: Is the child looked after?\n"
    "yes/no: Does the child have an EHC plan?\n"
    "What does the child enjoy?\n"
    "long text: What do they find hard?\n"
    "date: When did the child start at the school?\n"
    "number: How many schools has the child attended?\n"
    "address: Where does the child live?\n"
    "table of School, From (date): Earlier schools\n"
    "table of Name, Role: Who else knows the child"
)


def test_ten_questions_added_at_once_publish_each_with_a_message_that_names_it(designer_client):
    """The designer writes no message: questions whose standard one would not say which question it is about (two
    "Select yes or no", two "Enter an answer", two "Add at least one row" on one page) get one that quotes the label,
    and the form publishes with them; a page posted empty then names each question once in its error summary."""
    response = designer_client.post(
        reverse("wagtailsnippets_advice_forms_formdefinition:add"),
        definition_post(
            title="ERSA",
            version_label="V1",
            sections=[("section", section("About the child", [], quick_add=TEN_QUESTIONS, key="about"), "")],
            publish=True,
        ),
    )

    assert response.status_code == 302, errors_for(response)
    version = FormDefinition.objects.get().latest_version()
    fields = version.content[0]["value"]["fields"]
    assert [f["value"]["error_message"] for f in fields] == [
        "",  # "Enter the child's first language", the standard words, name it already
        "Select yes or no for “Is the child looked after?”",
        "Select yes or no for “Does the child have an EHC plan?”",
        "Enter an answer to “What does the child enjoy?”",
        "Enter an answer to “What do they find hard?”",
        "Enter a date for “When did the child start at the school?”",
        "Enter an answer to “How many schools has the child attended?”",
        "Enter the address for “Where does the child live?”",
        "Add at least one row to “Earlier schools”",
        "Add at least one row to “Who else knows the child”",
    ]
    form = FormBuilder(version).form_class_for("about")(data={}, answers={})
    assert not form.is_valid()
    said = [message for errors in form.errors.values() for message in errors]
    assert "Enter the child's first language" in said
    assert len(said) == len(set(said)) == 10


def test_a_made_message_fits_its_field_and_an_address_named_by_a_noun_says_so():
    long_question = "What " + "very " * 60 + "long question is this?"
    message = message_naming_question("yes_no", long_question)
    assert len(message) == 255 and message.startswith("Select yes or no for “What very") and message.endswith("…”")
    assert message_naming_question("address", "Their address") == "Enter their address"
    assert message_naming_question("single_choice", "First language") == ""
    assert (
        message_naming_question("multiple_choice", "Which languages?")
        == "Select at least one answer to “Which languages?”"
    )


def test_a_line_with_a_control_character_refuses_the_save_naming_the_line(designer_client):
    """Quick-add questions are made after the blocks' own checks: a control character reached a label unchecked."""
    response = _post(designer_client, "yes/no: Looked after?\nEscape\x1b[2J here")

    assert response.status_code == 200
    assert FormDefinition.objects.count() == 0
    box = json.dumps(errors_for(response)["blockErrors"][0]["blockErrors"]["quick_add"], ensure_ascii=False)
    assert "Line 2" in box and "it has a character in it that cannot be seen: type the line again" in box
    assert "Line 1" not in box


def test_a_conditions_rules_are_labelled_rules_with_the_meaning_of_none_in_the_help(designer_client):
    """ "Rules (none: always shown)" stayed above a condition's rules once one had been added."""
    _post(designer_client, "yes/no: Looked after?")
    definition = FormDefinition.objects.get()
    html = designer_client.get(reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[definition.pk]))
    text = html.content.decode()
    assert "none: always shown" not in text
    assert "With no rules, this is always shown." in text
