"""A form designer's mistakes found at once: settings out of order refused wherever a form is checked (a draft's save,
a publish, an import), every problem of a save shown beside its place in one go, what only a publish refuses listed
after a draft's save and in an import's check; and the screens around them (an empty dropdown list, the kind, the
list of definitions, the preview's width)."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from advice_forms.blocks import check_sections
from advice_forms.definition_format import FileRefused
from advice_forms.models import DropdownList, FormDefinition, FormDefinitionVersion
from advice_forms.services.definition_files import form_definition_import
from tests.advice_forms.admin.form_data import choice, definition_post, field, section
from tests.advice_forms.admin.test_form_design import errors_for, field_errors, url
from tests.advice_forms.test_definition_files import _small_file
from tests.factories.advice_forms import column, dropdown_list, question
from tests.factories.advice_forms import section as json_section
from tests.refusals import messages_of

pytestmark = pytest.mark.django_db

LATEST = "The latest date must be the same as or after the earliest date"
IMPORT = "advice_forms_definition_files:import"


def _dates(earliest="2026-12-31", latest="2020-01-01"):
    return ("date", field("Date of the last review", earliest=earliest, latest=latest), "")


def _sections(*questions):
    return [("section", section("About", list(questions)), "")]


def _draft_saved(client, title, sections):
    """The draft the add page's "Save draft" made of `sections`."""
    assert (
        client.post(url("add"), definition_post(title=title, version_label="V1", sections=sections)).status_code == 302
    )
    return FormDefinition.objects.get(title=title)


@pytest.mark.parametrize("publish", [False, True])
def test_a_date_questions_earliest_after_its_latest_is_refused_beside_the_latest_on_a_save_and_a_publish(
    designer_client, publish
):
    post = definition_post(title="Dates", version_label="V1", sections=_sections(_dates()), publish=publish)
    response = designer_client.post(url("add"), post)
    assert response.status_code == 200
    assert field_errors(response)[0]["blockErrors"]["latest"]["messages"] == [LATEST]
    assert not FormDefinition.objects.exists()
    # The same day at both ends, or the earliest before the latest, is sound.
    post = definition_post(
        title="Dates", version_label="V1", sections=_sections(_dates("2020-01-01", "2020-01-01")), publish=publish
    )
    assert designer_client.post(url("add"), post).status_code == 302


def test_every_pair_of_settings_out_of_order_is_refused_a_number_an_amount_and_a_date_column():
    sections = FormDefinition(
        sections=[
            json_section(
                "About",
                [
                    question("number", "Attendance", key="attendance", min_value=100, max_value=0),
                    question("money", "Costs", key="costs", min_value=50, max_value=10),
                    question(
                        "table",
                        "Schools",
                        key="schools",
                        item_name="school",
                        max_rows=5,
                        columns=[
                            column("From", "date", key="started", earliest="2030-01-01", latest="2020-01-01"),
                            column("To", "date", key="ended", earliest="2020-01-01", latest="2030-01-01"),
                        ],
                    ),
                    question("date", "Review", key="review", earliest="2020-01-01", latest="2030-01-01"),
                ],
                key="about",
            )
        ]
    ).sections
    assert check_sections(sections).messages() == [
        "The largest number allowed must be the same as or more than the smallest number allowed",
        "The largest amount allowed must be the same as or more than the smallest amount allowed",
        "Column 1: the latest date must be the same as or after the earliest date",
    ]


def test_an_import_refuses_a_date_questions_earliest_after_its_latest_naming_its_place():
    doc = _small_file()
    doc["sections"][0]["questions"].append(
        {"kind": "date", "label": "Last review", "key": "review", "earliest": "2026-12-31", "latest": "2020-01-01"}
    )
    with pytest.raises(FileRefused) as refused:
        form_definition_import(raw=json.dumps(doc), lookups="create", dry_run=True)
    assert any(message.endswith(f"latest: {LATEST}") for message in refused.value.messages), refused.value.messages


def test_one_save_shows_every_problem_beside_its_place_what_only_a_publish_refuses_included(designer_client):
    """A duplicate key, a rule on a question just deleted, a choice without options and an empty section: all four
    beside their places on the first save, not one kind a save."""
    first = _sections(
        ("yes_no", field("Has a school?", key="school"), ""),
        (
            "short_text",
            field("Name", key="name", max_length="100", condition={"field_key": "school", "value": "yes"}),
            "",
        ),
    )
    draft = _draft_saved(designer_client, "Rounds", first)
    stored = draft.sections.raw_data
    then = [
        (
            "section",
            section(
                "About",
                [
                    (
                        "short_text",
                        field("Name", key="name", max_length="100", condition={"field_key": "school", "value": "yes"}),
                        stored[0]["value"]["fields"][1]["id"],
                    ),
                    ("short_text", field("Other name", key="name", max_length="100"), ""),
                    ("single_choice", choice("Pick one", display="radios"), ""),
                ],
            ),
            stored[0]["id"],
        ),
        ("section", section("Nothing here", []), ""),
    ]
    response = designer_client.post(
        url("edit", draft.pk), definition_post(title="Rounds", version_label="V1", sections=then)
    )
    assert response.status_code == 200
    errors = errors_for(response)["blockErrors"]
    fields = errors[0]["blockErrors"]["fields"]["blockErrors"]
    assert "no longer in the form" in fields[0]["blockErrors"]["condition"]["messages"][0]
    assert "already uses the key “name”" in fields[1]["blockErrors"]["key"]["messages"][0]
    assert fields[2]["blockErrors"]["options"]["messages"] == ["Add at least one option, or pick a dropdown list"]
    assert errors[1]["blockErrors"]["fields"]["messages"] == [
        "This section is empty: add a question or some guidance to it"
    ]


CLASHING = _sections(
    ("long_text", field("What does the child enjoy?", max_length="500"), ""),
    ("long_text", field("What do they find hard?", max_length="500"), ""),
)


def test_a_saved_draft_lists_what_a_publish_would_refuse_each_linking_to_its_place(designer_client):
    sections = [*CLASHING, ("section", section("Nothing here", []), "")]
    response = designer_client.post(
        url("add"), definition_post(title="Later", version_label="V1", sections=sections), follow=True
    )
    assert response.status_code == 200 and FormDefinition.objects.filter(title="Later").exists()
    page = BeautifulSoup(response.content, "html.parser")
    listed = page.select("ul.publish-problems li a")
    assert [(a["href"], a.get_text(" ", strip=True)) for a in listed] == [
        (
            "#sections-0-value-fields-0-value-error_message",
            "Section 1 “About”: “What does the child enjoy?” and “What do they find hard?” both say “Enter an answer” "
            "when not answered: give each its own message",
        ),
        (
            "#sections-1-value-title",
            "Section 2 “Nothing here”: This section is empty: add a question or some guidance to it",
        ),
    ]
    assert "Saved, but it cannot be published yet" in page.get_text()


def _upload(doc):
    return SimpleUploadedFile("form.json", json.dumps(doc).encode(), content_type="application/json")


def test_the_import_check_lists_what_a_publish_would_refuse_rather_than_calling_the_file_sound(designer_client):
    doc = _small_file()
    doc["sections"][0]["questions"] += [
        {"kind": "long_text", "label": "What does the child enjoy?", "key": "enjoy", "max_length": 500},
        {"kind": "long_text", "label": "What do they find hard?", "key": "hard", "max_length": 500},
    ]
    doc["sections"].append({"title": "Nothing here", "key": "nothing", "questions": []})
    preview = designer_client.post(reverse(IMPORT), {"file": _upload(doc), "lookups": "create"})
    assert preview.status_code == 200
    page = BeautifulSoup(preview.content, "html.parser")
    assert "is sound" not in page.get_text()
    listed = [li.get_text(" ", strip=True) for li in page.select("#import-publish-problems li")]
    assert listed == [
        "Section 1 “About you”: “What does the child enjoy?” and “What do they find hard?” both say “Enter an "
        "answer” when not answered: give each its own message",
        "Section 3 “Nothing here”: This section is empty: add a question or some guidance to it",
    ]
    # A file a publish would take says so.
    sound = designer_client.post(reverse(IMPORT), {"file": _upload(_small_file()), "lookups": "create"})
    assert "can be imported and published" in sound.content.decode()
    assert 'id="import-publish-problems"' not in sound.content.decode()


def test_a_refused_import_lists_what_stops_only_publishing_too_in_the_same_round(designer_client):
    """A file refused for a problem of its own also lists what would then stop its publishing, apart: the designer
    mends both in one round, where the publish's problems used to come only once the file imported."""
    doc = _small_file()
    doc["sections"][0]["questions"] += [
        {"kind": "long_text", "label": "What does the child enjoy?", "key": "enjoy", "max_length": 500},
        {"kind": "long_text", "label": "What do they find hard?", "key": "hard", "max_length": 500},
    ]
    doc["sections"].append({"title": "Nothing here", "key": "nothing", "questions": []})

    # This portal has neither the file's Team term nor its dropdown list.
    response = designer_client.post(reverse(IMPORT), {"file": _upload(doc), "lookups": "match"})

    assert response.status_code == 200 and not FormDefinition.objects.exists()
    stops_import = response.context["form"].errors["file"]
    assert stops_import == [
        "Team “ZZT”: unknown Team term",
        "Section 1 “About you”, question “Language” (p2_language): unknown dropdown list “Languages”",
    ]
    page = BeautifulSoup(response.content, "html.parser")
    assert "Nothing was created: the file has 2 problems that stop the import." in page.get_text(" ", strip=True)
    publish_only = page.select_one("#import-publish-problems")
    assert publish_only.p.get_text(" ", strip=True) == (
        "These 2 problems stop only publishing, not the import: fix them too, in the file or after importing it."
    )
    assert [li.get_text(" ", strip=True) for li in publish_only.select("li")] == [
        "Section 1 “About you”: “What does the child enjoy?” and “What do they find hard?” both say “Enter an "
        "answer” when not answered: give each its own message",
        "Section 3 “Nothing here”: This section is empty: add a question or some guidance to it",
    ]
    # The management command says both as well.
    with pytest.raises(FileRefused) as refused:
        form_definition_import(raw=json.dumps(doc), lookups="match")
    assert refused.value.messages == stops_import
    assert len(refused.value.at_publish) == 2


def test_a_refused_import_does_not_list_what_a_publish_would_refuse_where_the_file_could_not_be_read(
    designer_client,
):
    """A section whose only question is of an unknown kind is read without it: "This section is empty" would be
    wrong, so nothing is listed for a publish until the file reads whole."""
    doc = _small_file()
    doc["sections"].append(
        {"title": "Odd", "key": "odd", "questions": [{"kind": "signature", "label": "Sign", "key": "sig"}]}
    )

    response = designer_client.post(reverse(IMPORT), {"file": _upload(doc), "lookups": "create"})

    assert "unknown kind “signature”" in response.context["form"].errors["file"][0]
    assert 'id="import-publish-problems"' not in response.content.decode()


def test_a_dropdown_list_saved_with_nothing_to_choose_is_kept_with_a_warning(designer_client):
    add = reverse("wagtailsnippets_advice_forms_dropdownlist:add")
    post = {
        "name": "Ways of travelling",
        "description": "",
        "paste_options": "",
        "options-TOTAL_FORMS": "0",
        "options-INITIAL_FORMS": "0",
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
    }
    response = designer_client.post(add, post)
    assert response.status_code == 302 and DropdownList.objects.filter(name="Ways of travelling").exists()
    assert (
        "Saved, but it offers nothing to choose: the dropdown list “Ways of travelling” has no options yet. A question "
        "using it cannot be answered, and a form using it cannot be published. Add an option, or paste a list."
    ) in messages_of(response)
    response = designer_client.post(add, {**post, "name": "Languages", "paste_options": "English\nPolish"})
    assert not any("offers nothing to choose" in message for message in messages_of(response))


def test_the_preview_says_a_choice_questions_list_is_empty(designer_client):
    empty = dropdown_list("Ways of travelling", [])
    sections = _sections(
        ("single_choice", choice("How does the child travel?", dropdown_list=str(empty.pk), display="radios"), "")
    )
    draft = _draft_saved(designer_client, "Empty", sections)
    preview = url("preview_on_edit", draft.pk)
    assert designer_client.post(preview, definition_post(title="Empty", version_label="V1", sections=sections)).json()[
        "is_valid"
    ]
    page = designer_client.get(preview).content.decode()
    assert (
        "“How does the child travel?” offers nothing to choose: the dropdown list “Ways of travelling” has no options "
        "yet. Add some before publishing."
    ) in page


def test_the_preview_and_the_publish_give_one_reason_for_a_list_of_retired_options(designer_client):
    """The preview said "has no options to choose" of a list whose options were all retired, where the publish said
    every option is retired: one rule (blocks.list_offers_nothing) says why in each place."""
    retired = dropdown_list("Ways of travelling", [("bus", "Bus", True)])
    sections = _sections(
        ("single_choice", choice("How does the child travel?", dropdown_list=str(retired.pk), display="radios"), "")
    )
    draft = _draft_saved(designer_client, "Retired", sections)
    preview = url("preview_on_edit", draft.pk)
    designer_client.post(preview, definition_post(title="Retired", version_label="V1", sections=sections))
    page = designer_client.get(preview).content.decode()
    published = designer_client.post(
        url("edit", draft.pk), definition_post(title="Retired", version_label="V1", sections=sections, publish=True)
    )

    why = "every option of the dropdown list “Ways of travelling” is retired"
    assert f"“How does the child travel?” offers nothing to choose: {why}. Add some before publishing." in page
    assert f"{why[0].upper()}{why[1:]}: add one to it, or pick another list" in published.content.decode()


def test_a_new_form_definitions_kind_is_chosen_with_no_default(designer_client):
    page = BeautifulSoup(designer_client.get(url("add")).content, "html.parser")
    kinds = page.select("select[name=kind] option")
    assert (kinds[0]["value"], kinds[0].get_text(strip=True)) == ("", "Choose a kind")
    assert not any(option.has_attr("selected") and option["value"] for option in kinds)
    response = designer_client.post(
        url("add"), definition_post(title="No kind", version_label="V1", sections=[], kind="")
    )
    assert response.status_code == 200 and not FormDefinition.objects.exists()
    assert response.context["form"].errors["kind"] == ["Choose what kind of advice this form asks for"]


def test_an_imported_file_without_a_kind_is_refused_saying_what_to_name():
    doc = _small_file()
    del doc["kind"]
    with pytest.raises(FileRefused) as refused:
        form_definition_import(raw=json.dumps(doc), lookups="create", dry_run=True)
    assert "kind: name the form's kind, one of: ersa, appendix_b, other_advice" in refused.value.messages


def test_two_imports_of_one_file_are_told_apart_in_the_list_by_when_each_was_last_changed(designer_client):
    form_definition_import(raw=json.dumps(_small_file()), lookups="create")
    form_definition_import(raw=json.dumps(_small_file()), lookups="create")
    first, second = FormDefinition.objects.order_by("pk")
    FormDefinition.objects.filter(pk=first.pk)  # the log entries' times are what the list shows
    page = BeautifulSoup(designer_client.get(url("list")).content, "html.parser")
    headings = [th.get_text(" ", strip=True) for th in page.select("table thead th")]
    assert "Last changed" in headings
    at = headings.index("Last changed")
    cells = [row.select("td")[at].get_text(strip=True) for row in page.select("table tbody tr")]
    assert len(cells) == 2 and all(cells)
    assert all(str(datetime.date.today().year) in cell for cell in cells)


def test_the_preview_opens_at_desktop_width():
    assert FormDefinition().default_preview_size == "desktop"
    assert FormDefinitionVersion  # the versions are viewed as pages, not in the side panel


def test_a_file_refused_for_a_problem_of_its_own_still_lists_a_clash_of_messages_in_the_files_order():
    """A file refused for a problem that no lookup mends (here a question's entry this portal does not know) listed
    what stops only publishing without the questions' clashing messages, and the clashes before an earlier section's
    own problems."""
    doc = _small_file()
    doc["sections"][0]["questions"][0]["colour"] = "red"
    doc["sections"].append({"title": "", "key": "untitled", "questions": [{"kind": "short_text", "label": "Age"}]})
    doc["sections"].append(
        {
            "title": "Later",
            "key": "later",
            "questions": [
                {"kind": "long_text", "label": "What does the child enjoy?", "key": "enjoy", "max_length": 500},
                {"kind": "long_text", "label": "What do they find hard?", "key": "hard", "max_length": 500},
            ],
        }
    )

    with pytest.raises(FileRefused) as refused:
        form_definition_import(raw=json.dumps(doc), lookups="create")

    assert any("colour" in message for message in refused.value.messages)
    at_publish = refused.value.at_publish
    assert len(at_publish) == 2
    assert at_publish[0].startswith("Section 3")
    assert at_publish[1] == (
        "Section 4 “Later”: “What does the child enjoy?” and “What do they find hard?” both say “Enter an answer” "
        "when not answered: give each its own message"
    )
