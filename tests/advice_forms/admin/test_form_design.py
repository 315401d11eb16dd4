"""The form designer's journey through the Wagtail admin: build, publish, change, publish again; and who may."""

import json
import re

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text

from advice_forms.form_builder import FormBuilder
from advice_forms.models import DropdownList, DropdownOption, FormDefinition, FormDefinitionVersion, NeedType, Team
from advice_forms.services.definitions import form_definition_publish
from cms.form_fields import ONE_LINE_ERROR
from cms.models import AuditEntry
from tests.advice_forms.admin.form_data import choice, condition_data, definition_post, field, guidance, section, stream
from tests.factories.accounts import ProfessionalFactory, verified_login
from tests.factories.advice_forms import (
    advice_request,
    definition,
    document_types,
    dropdown_list,
    question,
    small_form_version,
    submission_make,
)
from tests.factories.advice_forms import section as json_section
from tests.refusals import assert_no_menu_and_forbidden, messages_of

pytestmark = pytest.mark.django_db

NUL_IN_TEXT = "Null characters are not allowed."  # Django's words, as the blocks' texts say it

URLS = "wagtailsnippets_advice_forms_formdefinition"


def url(name, *args):
    return reverse(f"{URLS}:{name}", args=args)


def every_field_type(years_pk, labels=None):
    labels = labels or {}
    return [
        (
            "section",
            section(
                "About the child",
                [
                    ("guidance", guidance("<p>Tell us what only you know.</p>", "Before you start"), ""),
                    ("short_text", field(labels.get("name", "Name of the school"), max_length="100"), ""),
                    ("long_text", field("Strengths and interests", max_length="2000", word_guidance="200"), ""),
                    ("number", field("Attendance", min_value="0", max_value="100", whole_numbers=True), ""),
                    ("date", field("Date of the last review", not_in_future=True), ""),
                    ("email", field("Email address"), ""),
                    ("phone", field("Phone number", required=False), ""),
                    ("yes_no", field("Has a diagnosis?", key="diagnosis"), ""),
                    (
                        "single_choice",
                        choice("Year group", dropdown_list=str(years_pk), display="select"),
                        "",
                    ),
                    (
                        "multiple_choice",
                        choice("Areas of need", options=[("cl", "Cognition and learning"), ("comms", "Communication")]),
                        "",
                    ),
                    ("outcomes", field("Outcomes sought", max_rows="10"), ""),
                    ("professional_contacts", field("Professional contacts", required=False, max_rows="10"), ""),
                    ("views", field("Views of the child", max_rows="5"), ""),
                    (
                        "declaration",
                        {
                            "label": "I confirm this is accurate",
                            "key": "",
                            "hint": "",
                            "error_message": "",
                            "condition": condition_data(),
                        },
                        "",
                    ),
                ],
            ),
            "",
        ),
        (
            "section",
            section(
                "Diagnosis",
                [("long_text", field("Diagnosis details", max_length="2000"), "")],
                condition={"field_key": "diagnosis", "value": "yes"},
            ),
            "",
        ),
    ]


@pytest.fixture
def years():
    return dropdown_list("Year groups", [("year_1", "Year 1"), ("year_2", "Year 2")])


def test_designer_builds_publishes_and_versions_a_form_through_the_admin(designer_client, years):
    response = designer_client.post(
        url("add"),
        definition_post(
            title="Speech and language advice", version_label="V1", sections=every_field_type(years.pk), publish=True
        ),
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    definition_ = FormDefinition.objects.get(title="Speech and language advice")
    assert definition_.live
    v1 = FormDefinitionVersion.objects.get(definition=definition_)
    assert (v1.number, v1.version_label) == (1, "V1")

    builder = FormBuilder(v1)
    first = builder.sections()[0]
    assert [f.type for f in first.fields] == [
        "guidance",
        "short_text",
        "long_text",
        "number",
        "date",
        "email",
        "phone",
        "yes_no",
        "single_choice",
        "multiple_choice",
        "outcomes",
        "professional_contacts",
        "views",
        "declaration",
    ]
    assert [f.key for f in first.questions()][:4] == [
        "name_of_the_school",
        "strengths_and_interests",
        "attendance",
        "date_of_the_last_review",
    ]
    assert first.key == "about_the_child"
    answers = {"about_the_child": {"name_of_the_school": "Kestrel Primary", "diagnosis": "yes"}}

    # Version 2: the designer renames a question; its key stays, because the block keeps its id.
    stored = definition_.sections.raw_data
    ids = [stored[0]["id"]] + [f["id"] for f in stored[0]["value"]["fields"]]
    sections = every_field_type(years.pk, labels={"name": "Name of the school or setting"})
    sections[0] = ("section", sections[0][1], ids[0])
    fields = sections[0][1]["fields"]
    for index in range(int(fields["count"])):
        fields[str(index)]["id"] = ids[index + 1]
    sections[1] = ("section", sections[1][1], stored[1]["id"])
    sections[1][1]["fields"]["0"]["id"] = stored[1]["value"]["fields"][0]["id"]
    response = designer_client.post(
        url("edit", definition_.pk),
        definition_post(title="Speech and language advice", version_label="V2", sections=sections, publish=True),
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    v2 = definition_.versions.get(number=2)
    renamed = FormBuilder(v2).sections()[0].questions()[0]
    assert (renamed.label, renamed.key) == ("Name of the school or setting", "name_of_the_school")

    # A request pinned to version 1 still sees version 1's question, with its answer.
    v1 = FormDefinitionVersion.objects.get(pk=v1.pk)
    pinned = FormBuilder(v1)
    summary = pinned.summary(answers)
    assert summary[0].rows[0].field.label == "Name of the school"
    assert summary[0].rows[0].value == "Kestrel Primary"
    response = designer_client.get(url("version", v1.pk))
    assert response.status_code == 200
    assert "Name of the school</label>" in response.content.decode()
    assert "Name of the school or setting" not in response.content.decode()

    # The edit view lists both versions and how many requests use each.
    page = designer_client.get(url("edit", definition_.pk)).content.decode()
    assert "Published versions" in page
    assert page.count("View questions") == 2


def test_admin_preview_shows_each_step_and_the_print_layout(designer_client, years):
    data = definition_post(title="Preview me", version_label="V1", sections=every_field_type(years.pk))
    response = designer_client.post(url("add"), data)
    assert response.status_code == 302
    definition_ = FormDefinition.objects.get(title="Preview me")
    preview_url = url("preview_on_edit", definition_.pk)
    assert designer_client.post(preview_url, data).json() == {"is_valid": True, "is_available": True}
    steps = designer_client.get(preview_url)
    assert steps.status_code == 200
    html = steps.content.decode()
    assert "Step 1 of 2" in html and "Step 2 of 2" in html
    assert 'name="date_of_the_last_review-month"' in html
    assert "Add another outcome" in html
    printed = designer_client.get(preview_url, {"mode": "print"})
    assert printed.status_code == 200
    assert "PREVIEW" in printed.content.decode()
    assert "Diagnosis details" in printed.content.decode()


def errors_for(response):
    """The sections field's nested block errors, as Wagtail sends them to its widgets."""
    error = response.context["form"].errors["sections"].as_data()[0]
    return error.as_json_data()


def field_errors(response, section=0):
    """The block errors of one section's questions, by their place in the section."""
    return errors_for(response)["blockErrors"][section]["blockErrors"]["fields"]["blockErrors"]


def test_duplicate_key_is_refused_beside_the_field(designer_client):
    sections = [
        (
            "section",
            section(
                "About",
                [
                    ("short_text", field("Name", key="name", max_length="100"), ""),
                    ("short_text", field("Other name", key="name", max_length="100"), ""),
                ],
            ),
            "",
        )
    ]
    response = designer_client.post(
        url("add"), definition_post(title="Dupes", version_label="V1", sections=sections, publish=True)
    )
    assert response.status_code == 200
    assert not FormDefinition.objects.filter(title="Dupes").exists()
    nested = field_errors(response)
    assert list(nested) == [1]
    assert nested[1]["blockErrors"]["key"]["messages"] == [
        "Another question in this form already uses the key “name” (“Name” in section 1); each key must be unique"
    ]


def test_condition_on_a_later_field_is_refused_beside_the_condition(designer_client):
    sections = [
        (
            "section",
            section(
                "About",
                [
                    (
                        "long_text",
                        field("Details", max_length="100", condition={"field_key": "agree", "value": "yes"}),
                        "",
                    ),
                    ("yes_no", field("Do you agree?", key="agree"), ""),
                ],
            ),
            "",
        )
    ]
    response = designer_client.post(
        url("add"), definition_post(title="Later", version_label="V1", sections=sections, publish=True)
    )
    assert response.status_code == 200
    assert not FormDefinitionVersion.objects.exists()
    nested = field_errors(response)
    assert nested[0]["blockErrors"]["condition"]["messages"] == [
        "Rule 1 of “Show only when”: “Do you agree?” comes later in the form; a condition can only use an earlier "
        "question"
    ]


def test_choice_without_options_and_empty_section_are_refused(designer_client):
    sections = [
        ("section", section("Choices", [("single_choice", choice("Pick one", display="radios"), "")]), ""),
        ("section", section("Nothing here", []), ""),
    ]
    response = designer_client.post(
        url("add"), definition_post(title="Empty", version_label="V1", sections=sections, publish=True)
    )
    assert response.status_code == 200
    errors = errors_for(response)["blockErrors"]
    assert errors[0]["blockErrors"]["fields"]["blockErrors"][0]["blockErrors"]["options"]["messages"] == [
        "Add at least one option, or pick a dropdown list"
    ]
    assert errors[1]["blockErrors"]["fields"]["messages"] == [
        "This section is empty: add a question or some guidance to it"
    ]


def test_a_new_form_with_only_its_title_or_an_empty_section_saves_as_a_draft_but_does_not_publish(designer_client):
    """A designer saving as they go was refused their first "Save draft" (a title, nothing else yet): "Add at least
    one section"; and again with a section just added and nothing in it yet."""
    response = designer_client.post(url("add"), definition_post(title="Speech advice", version_label="", sections=[]))
    assert response.status_code == 302
    draft = FormDefinition.objects.get(title="Speech advice")
    assert not draft.live and not draft.sections
    assert designer_client.get(url("edit", draft.pk)).status_code == 200
    preview = url("preview_on_edit", draft.pk)
    posted = definition_post(title="Speech advice", version_label="", sections=[])
    assert designer_client.post(preview, posted).json()["is_valid"] is True
    assert designer_client.get(preview).status_code == 200

    sections = [("section", section("About the child", []), "")]
    response = designer_client.post(
        url("edit", draft.pk), definition_post(title="Speech advice", version_label="", sections=sections)
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert [section.value["title"] for section in draft.latest_revision.as_object().sections] == ["About the child"]

    response = designer_client.post(
        url("edit", draft.pk),
        definition_post(title="Speech advice", version_label="V1", sections=sections, publish=True),
    )
    assert response.status_code == 200
    assert errors_for(response)["blockErrors"][0]["blockErrors"]["fields"]["messages"] == [
        "This section is empty: add a question or some guidance to it"
    ]
    response = designer_client.post(
        url("edit", draft.pk), definition_post(title="Speech advice", version_label="V1", sections=[], publish=True)
    )
    assert "Add at least one section: a form with no sections asks nothing" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.live and not FormDefinitionVersion.objects.filter(definition=draft).exists()


@pytest.mark.parametrize("kind", ["single_choice", "multiple_choice"])
def test_a_choice_question_whose_list_has_nothing_to_choose_is_saved_as_a_draft_but_not_published(
    designer_client, form_designer, kind
):
    display = {"display": "radios"} if kind == "single_choice" else {}
    empty = dropdown_list("Ways of communicating", [])
    retired = dropdown_list("Ways of travelling", [("bus", "Bus", True)])
    sections = [
        (
            "section",
            section(
                "Communication",
                [
                    (
                        kind,
                        choice(
                            "How does the child communicate?",
                            dropdown_list=str(empty.pk),
                            **display,
                            error_message="Say how",
                        ),
                        "",
                    ),
                    (
                        kind,
                        choice(
                            "How does the child travel?",
                            dropdown_list=str(retired.pk),
                            **display,
                            error_message="Say which",
                        ),
                        "",
                    ),
                ],
            ),
            "",
        )
    ]
    post = definition_post(title="Empty list", version_label="V1", sections=sections)
    assert designer_client.post(url("add"), post).status_code == 302
    draft = FormDefinition.objects.get(title="Empty list")

    response = designer_client.post(url("edit", draft.pk), {**post, "action-publish": "action-publish"})
    assert response.status_code == 200
    assert not FormDefinitionVersion.objects.exists()
    nested = field_errors(response)
    assert nested[0]["blockErrors"]["dropdown_list"]["messages"] == [
        "The dropdown list “Ways of communicating” has no options yet: add some to it, or pick another list"
    ]
    assert nested[1]["blockErrors"]["dropdown_list"]["messages"] == [
        "Every option of the dropdown list “Ways of travelling” is retired: add one to it, or pick another list"
    ]

    # Filled in, the lists publish.
    DropdownOption.objects.create(dropdown_list=empty, value="signs", label="Signs", sort_order=0)
    DropdownOption.objects.create(dropdown_list=retired, value="walks", label="Walks", sort_order=1)
    response = designer_client.post(url("edit", draft.pk), {**post, "action-publish": "action-publish"})
    assert response.status_code == 302
    version = FormDefinitionVersion.objects.get(definition=draft)
    builder = FormBuilder(version)
    choices = [builder.option_choices(question) for question in builder.sections()[0].fields]
    assert choices == [[("signs", "Signs")], [("walks", "Walks")]]
    # The publish through the admin is audited once (the refused one not at all), naming the designer.
    entry = AuditEntry.objects.get(action="form_definition.published")
    assert (entry.actor, entry.target_id) == (form_designer, str(draft.pk))
    assert entry.data == {"form_version": version.pk, "number": 1, "version_label": "V1"}


def test_published_key_cannot_be_changed(designer_client):
    version = definition([json_section("About", [question("short_text", "Name", key="name")], key="about")])
    stored = version.definition.sections.raw_data
    sections = [
        (
            "section",
            section(
                "About",
                [
                    (
                        "short_text",
                        field("Name", key="full_name", max_length="100"),
                        stored[0]["value"]["fields"][0]["id"],
                    )
                ],
                key="about",
            ),
            stored[0]["id"],
        )
    ]
    response = designer_client.post(
        url("edit", version.definition.pk),
        definition_post(title="Test advice", version_label="V2", sections=sections, publish=True),
    )
    assert response.status_code == 200
    nested = field_errors(response)
    assert nested[0]["blockErrors"]["key"]["messages"] == [
        "This key was published as “name”; keys cannot change once published"
    ]
    assert version.definition.versions.count() == 1


def test_content_editor_cannot_see_or_open_advice_forms(client, content_editor, years):
    version = definition([json_section("About", [question("short_text", "Name", key="name")])])
    verified_login(client, content_editor)
    assert_no_menu_and_forbidden(
        client,
        "Advice forms",
        [
            url("list"),
            url("add"),
            url("edit", version.definition.pk),
            url("version", version.pk),
            reverse("wagtailsnippets_advice_forms_team:list"),
            reverse("wagtailsnippets_advice_forms_needtype:list"),
            reverse("wagtailsnippets_advice_forms_dropdownlist:edit", args=[years.pk]),
        ],
    )


def test_form_designer_sees_the_advice_forms_menu(designer_client):
    home = designer_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Advice forms" in home
    listing = designer_client.get(reverse("wagtailsnippets_advice_forms_team:list")).content.decode()
    assert "Speech and Language Therapy" in listing


def _outcome_row(team, need_type):
    return {"team": team, "type": need_type, "outcome": "Asks for help", "provision": "", "timescale": ""}


def test_team_code_is_fixed_and_a_term_in_use_is_deactivated_not_deleted(designer_client):
    team = Team.objects.get(code="SLT")
    edit = reverse("wagtailsnippets_advice_forms_team:edit", args=[team.pk])
    response = designer_client.post(edit, {"code": "SALT", "name": team.name, "active": "on", "sort_order": "10"})
    assert response.status_code == 200
    assert "The code cannot change once saved" in response.content.decode()

    # A submitted answer names SLT: deleting it would change that submission's PDF.
    submitted = advice_request(ProfessionalFactory(), version=small_form_version())
    submission_make(submitted, {"outcomes": {"outcomes": [_outcome_row("SLT", "Comms")]}})
    delete = reverse("wagtailsnippets_advice_forms_team:delete", args=[team.pk])
    response = designer_client.post(delete, follow=True)
    assert response.status_code == 200
    assert f"{team} is in use, so it cannot be deleted." in response.content.decode()
    assert Team.objects.filter(code="SLT").exists()

    response = designer_client.post(edit, {"code": "SLT", "name": team.name, "sort_order": "10"})
    assert response.status_code == 302
    team.refresh_from_db()
    assert not team.active

    unused = Team.objects.get(code="VI")
    designer_client.post(reverse("wagtailsnippets_advice_forms_team:delete", args=[unused.pk]))
    assert not Team.objects.filter(code="VI").exists()


def test_a_type_cannot_take_the_name_another_has_as_people_choose_types_by_name(designer_client):
    """Parents and professionals read a Type by its name alone: two with one name would be the same words twice."""
    taken = NeedType.objects.get(code="SEMH")
    add = reverse("wagtailsnippets_advice_forms_needtype:add")

    response = designer_client.post(add, {"code": "SEMH2", "name": f"  {taken.name.upper()} ", "sort_order": "90"})

    assert response.status_code == 200
    assert f"“{taken.name}” is already the name of SEMH" in response.content.decode()
    assert not NeedType.objects.filter(code="SEMH2").exists()
    # Its own name, saved again, is no clash; the same name in the Teams list is another list's.
    edit = reverse("wagtailsnippets_advice_forms_needtype:edit", args=[taken.pk])
    assert (
        designer_client.post(edit, {"code": "SEMH", "name": taken.name, "active": "on", "sort_order": "10"}).status_code
        == 302
    )
    team_add = reverse("wagtailsnippets_advice_forms_team:add")
    assert designer_client.post(team_add, {"code": "SEMHT", "name": taken.name, "sort_order": "90"}).status_code == 302


def test_a_type_named_only_in_a_draft_is_kept_and_a_code_elsewhere_in_the_answers_does_not_count(designer_client):
    draft = advice_request(ProfessionalFactory(), version=small_form_version())
    # SEMH as an outcome's Type in a draft; HI only as free text, where it names nothing.
    draft.answers = {"outcomes": {"outcomes": [_outcome_row("OT", "SEMH")]}, "about": {"notes": "HI"}}
    draft.save()
    semh, hearing = NeedType.objects.get(code="SEMH"), Team.objects.get(code="HI")

    designer_client.post(reverse("wagtailsnippets_advice_forms_needtype:delete", args=[semh.pk]))
    designer_client.post(reverse("wagtailsnippets_advice_forms_team:delete", args=[hearing.pk]))

    assert NeedType.objects.filter(code="SEMH").exists()
    assert not Team.objects.filter(code="HI").exists()


def test_dropdown_list_options_get_values_and_used_lists_keep_their_options(designer_client, years):
    def options_post(options, initial):
        forms = {}
        for index, option in enumerate(options):
            forms[str(index)] = {"ORDER": str(index), "DELETE": "", **option}
        forms.update(TOTAL_FORMS=str(len(options)), INITIAL_FORMS=str(initial), MIN_NUM_FORMS="0", MAX_NUM_FORMS="1000")
        return nested_form_data({"name": "Year groups", "description": "", "options": forms})

    edit = reverse("wagtailsnippets_advice_forms_dropdownlist:edit", args=[years.pk])
    existing = [{"id": str(o.pk), "label": o.label, "value": o.value} for o in years.options.all()]
    data = options_post([*existing, {"id": "", "label": "Year 2", "value": ""}], initial=2)
    response = designer_client.post(edit, data)
    assert response.status_code == 200
    assert "Another option already has the value “year_2”" in response.content.decode()

    data = options_post([*existing, {"id": "", "label": "Year Three", "value": ""}], initial=2)
    assert designer_client.post(edit, data).status_code == 302
    assert list(years.options.values_list("value", flat=True)) == ["year_1", "year_2", "year_three"]

    definition([json_section("About", [question("single_choice", "Year", dropdown_list=years.pk)])])
    existing = [{"id": str(o.pk), "label": o.label, "value": o.value} for o in years.options.all()]
    existing[0]["DELETE"] = "on"
    response = designer_client.post(edit, options_post(existing, initial=3))
    assert response.status_code == 200
    assert "so its options cannot be removed: tick “retired” instead" in response.content.decode()
    assert years.options.count() == 3


def test_published_forms_and_the_lists_they_use_are_kept(designer_client, years):
    version = definition([json_section("About", [question("single_choice", "Year", dropdown_list=years.pk)])])
    response = designer_client.post(url("delete", version.definition.pk))
    assert response.status_code == 302
    assert FormDefinition.objects.filter(pk=version.definition.pk).exists()
    response = designer_client.post(reverse("wagtailsnippets_advice_forms_dropdownlist:delete", args=[years.pk]))
    assert response.status_code == 302
    assert type(years).objects.filter(pk=years.pk).exists()

    draft = definition([json_section("About", [question("short_text", "Name")])], title="Unused", publish=False)
    designer_client.post(url("delete", draft.pk))
    assert not FormDefinition.objects.filter(pk=draft.pk).exists()


def test_a_list_that_only_draft_forms_use_is_kept_and_the_drafts_are_named(designer_client, years):
    """A list chosen only in unpublished definitions was deleted: their questions then chose from nothing (the editor's
    chooser came back empty and the preview showed the question with no options), and nobody was told."""
    years_in = [json_section("About", [question("single_choice", "Year", dropdown_list=years.pk)])]
    definition(years_in, title="Transition review", publish=False)
    # A published form whose draft, not yet published, has started to use the list.
    live = definition([json_section("About", [question("short_text", "Name")])], title="Annual review").definition
    live.sections = json.dumps(years_in)
    live.save_revision()
    delete = reverse("wagtailsnippets_advice_forms_dropdownlist:delete", args=[years.pk])
    bulk_delete = reverse("wagtail_bulk_action", args=["advice_forms", "dropdownlist", "delete"]) + f"?id={years.pk}"
    refusal = (
        "Draft forms use “Year groups” (“Annual review”, “Transition review”), so it cannot be deleted. Choose another "
        "list for their questions first."
    )

    for response in (designer_client.get(delete), designer_client.post(delete), designer_client.post(bulk_delete)):
        assert response.status_code == 302 and messages_of(response) == [refusal]

    assert DropdownList.objects.filter(pk=years.pk).exists()
    unused = dropdown_list("Unused", [("a", "A")])
    designer_client.post(reverse("wagtailsnippets_advice_forms_dropdownlist:delete", args=[unused.pk]))
    assert not DropdownList.objects.filter(pk=unused.pk).exists()


def test_the_document_types_list_is_kept(designer_client):
    """Deleting "Document types", which no form uses, left every upload refused ("Select the type of document", with
    no type to select) and every filed document's type shown as its stored value ("report") instead of its label."""
    types = document_types()

    response = designer_client.post(reverse("wagtailsnippets_advice_forms_dropdownlist:delete", args=[types.pk]))

    assert response.status_code == 302
    assert messages_of(response) == [
        "“Document types” gives the types professionals choose for an upload and names the type of every document "
        "filed, so it cannot be deleted. Retire its options instead."
    ]
    assert DropdownList.objects.filter(pk=types.pk).exists()


def test_each_form_design_add_and_edit_screen_has_an_h1_naming_it(designer_client):
    from advice_forms.models import Team

    team = Team.objects.first()
    for url, h1 in (
        (reverse("wagtailsnippets_advice_forms_team:add"), "New: Team"),
        (reverse("wagtailsnippets_advice_forms_team:edit", args=[team.pk]), f"Editing: {team}"),
        (reverse("wagtailsnippets_advice_forms_dropdownlist:add"), "New: Dropdown list"),
        (reverse("wagtailsnippets_advice_forms_formdefinition:add"), "New: Form definition"),
        (reverse("wagtailsnippets_advice_forms_needtype:add"), "New: Type"),
    ):
        html = designer_client.get(url).content.decode()
        assert html.count("<h1") == 1, url
        assert re.search(r'<h1 class="w-sr-only">\s*' + re.escape(h1) + r"\s*</h1>", html), url


def test_the_add_page_does_not_autosave_and_the_edit_page_does(designer_client):
    # An autosave of the add page creates the definition; one still on its way when "Save draft" was pressed made a
    # second draft of the same form. Only the edit page, which the first save leads to, autosaves.
    add = designer_client.get(reverse("wagtailsnippets_advice_forms_formdefinition:add")).content.decode()
    assert 'data-controller="w-unsaved "' in add and 'id="w-autosave-indicator"' not in add
    draft = FormDefinition.objects.create(title="Autosaved", version_label="V1")
    edit = designer_client.get(reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[draft.pk]))
    assert 'data-controller="w-unsaved w-autosave"' in edit.content.decode()


def test_a_publish_without_a_title_or_version_label_says_what_to_enter_beside_each(designer_client):
    """Both were refused with Django's "This field is required.", beside the field and in the page's message."""
    sections = [("section", section("About the child", [("short_text", field("Name", max_length="100"), "")]), "")]

    response = designer_client.post(
        url("add"), definition_post(title="", version_label="", sections=sections, publish=True)
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["title"] == ["Enter the form's title"]
    assert form.errors["version_label"] == ["Enter a version label, for example “NOV26”"]
    assert "This field is required" not in response.content.decode()
    assert not FormDefinition.objects.exists()


ONE_LINE = ONE_LINE_ERROR


@pytest.mark.parametrize("publish", [False, True])
def test_a_title_or_a_label_posted_with_a_tab_or_a_line_break_is_stored_with_a_space(designer_client, publish):
    """A tab or a U+2028 pasted from Word, or a line break a hand-made post (or stored data the input drops) holds, is
    one space, as the import makes it: it was refused for a character the designer could not see in the field. The
    title never reaches the caseworker's share dropdown as two lines. A hint (a text area) keeps its line breaks."""
    hinted = field("Name\u2028of  the\tchild", max_length="100")
    hinted["hint"] = "First line.\r\nSecond line."
    sections = [("section", section("About\x0cyou ", [("short_text", hinted, "")]), "")]

    response = designer_client.post(
        url("add"),
        definition_post(
            title="Pentest\tNL\r\nBcc: evil@example.com", version_label="V\u20281", sections=sections, publish=publish
        ),
    )

    assert response.status_code == 302
    draft = FormDefinition.objects.get()
    assert (draft.title, draft.version_label) == ("Pentest NL Bcc: evil@example.com", "V 1")
    saved = draft.get_latest_revision_as_object().sections[0].value
    assert saved["title"] == "About you"
    assert saved["fields"][0].value["label"] == "Name of the child"
    assert saved["fields"][0].value["hint"] == "First line.\r\nSecond line."


@pytest.mark.parametrize("publish", [False, True])
def test_a_title_or_a_label_with_a_control_character_that_cannot_be_seen_is_refused_beside_it(designer_client, publish):
    hinted = field("Name\x07", max_length="100")
    hinted["hint"] = "First line.\r\nSecond line."
    sections = [("section", section("About\x00you", [("short_text", hinted, "")]), "")]

    response = designer_client.post(
        url("add"), definition_post(title="Pentest\x00NUL", version_label="V1", sections=sections, publish=publish)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["title"] == [ONE_LINE]
    assert "Type the text again: it has a character in it that cannot be seen" in response.content.decode()
    nested = errors_for(response)["blockErrors"][0]["blockErrors"]
    assert nested["title"]["messages"] == [ONE_LINE]
    assert nested["fields"]["blockErrors"][0]["blockErrors"]["label"]["messages"] == [ONE_LINE]
    assert "hint" not in nested["fields"]["blockErrors"][0]["blockErrors"]
    assert not FormDefinition.objects.exists()


def after(words):
    return f"Remove the hidden text-direction character after “{words}”"


@pytest.mark.parametrize("mark", ["\u202e", "\u202d"])
def test_a_title_or_a_label_with_a_text_direction_override_is_refused_beside_it_saying_where(designer_client, mark):
    """An override makes a label read differently from what it is (in the caseworker's share dropdown, in a PDF):
    "Speech \u202etxet" reads as "Speech text". Refused, in a hint too, naming the words before it (the character
    itself cannot be seen)."""
    hinted = field(f"Speech {mark}txet", max_length="100")
    hinted["hint"] = f"Right to left {mark}kept"
    sections = [("section", section(f"About{mark}you", [("short_text", hinted, "")]), "")]
    choices = [("single_choice", choice("Language", options=[("en", f"English{mark}")]), "")]
    sections.append(("section", section("Languages", choices), ""))

    response = designer_client.post(
        url("add"), definition_post(title=f"Advice {mark}1", version_label=f"V{mark}1", sections=sections, publish=True)
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["title"] == [after("Advice")] and form.errors["version_label"] == [after("V")]
    nested = errors_for(response)["blockErrors"]
    assert nested[0]["blockErrors"]["title"]["messages"] == [after("About")]
    question = nested[0]["blockErrors"]["fields"]["blockErrors"][0]["blockErrors"]
    assert question["label"]["messages"] == [after("Speech")]
    assert question["hint"]["messages"] == [after("Right to left")]
    options = nested[1]["blockErrors"]["fields"]["blockErrors"][0]["blockErrors"]["options"]["blockErrors"]
    assert options[0]["blockErrors"]["label"]["messages"] == [after("English")]
    assert not FormDefinition.objects.exists()


def multi_line_errors(response):
    """The errors beside the description, the first section's guidance and quick-add box, and the hint of its first
    question and the body of its second (guidance)."""
    form = response.context["form"]
    own = form.errors["sections"].as_data()[0].as_json_data()["blockErrors"][0]["blockErrors"]
    questions = own["fields"]["blockErrors"]
    return {
        "description": form.errors["description"],
        **{name: own[name]["messages"] for name in ("guidance", "quick_add") if name in own},
        "hint": questions[0]["blockErrors"]["hint"]["messages"],
        "body": questions[1]["blockErrors"]["body"]["messages"],
    }


# Arabic as Word and Outlook paste it: embeddings (RLE ... PDF) and isolates (RLI ... PDI, LRI ... PDI) around the runs
# of each direction, and the marks RLM, LRM and ALM.
PASTED_ARABIC = (
    "\u202b\u0645\u0631\u062d\u0628\u0627 \u2066(Arabic)\u2069\u202c\n"
    "\u2067\u0627\u0644\u0645\u062f\u0631\u0633\u0629\u2069 \u202aSENCO\u202c\u200f\u200e \u061c"
)


def test_a_multi_line_text_with_a_text_direction_override_is_refused_beside_it_saying_where_and_pasted_arabic_is_kept(
    designer_client,
):
    """A hint, guidance or a description keeps its line breaks, but an override (RLO) reads in another order there
    too: refused, naming the words before it. The embeddings, isolates and marks that right-to-left text pasted from
    Word holds were refused as well ("Type the text again: it has a character in it that cannot be seen", which the
    designer could not find): they are kept."""
    draft = FormDefinition.objects.create(title="Speech advice", version_label="V1")
    hinted = field("Name", max_length="100")
    hinted["hint"] = "First line.\r\n\u0645\u0631\u062d\u0628\u0627 \u202etxet"
    about = section("About", [("short_text", hinted, ""), ("guidance", guidance("Read \u202esiht"), "")])
    about["guidance"] = rich_text("\u202eni at the start")
    posted = definition_post(
        title="Speech advice",
        version_label="V1",
        description="For the school's \u202dti",
        sections=[("section", about, "")],
    )

    response = designer_client.post(url("edit", draft.pk), posted)

    assert response.status_code == 200
    assert multi_line_errors(response) == {
        "description": [after("For the school's")],
        "guidance": ["Remove the hidden text-direction character at the start of the text"],
        "hint": [after("First line. \u0645\u0631\u062d\u0628\u0627")],
        "body": [after("Read")],
    }
    draft.refresh_from_db()
    assert draft.description == "" and draft.latest_revision is None

    hinted["hint"] = PASTED_ARABIC
    hinted["label"] = "\u202b\u0627\u0644\u0627\u0633\u0645\u202c \u2067(Name)\u2069"
    about["guidance"] = rich_text(PASTED_ARABIC)
    about["fields"] = stream([("short_text", hinted, ""), ("guidance", guidance(PASTED_ARABIC), "")])
    posted = definition_post(
        title="Speech advice", version_label="V1", description=PASTED_ARABIC, sections=[("section", about, "")]
    )
    response = designer_client.post(url("edit", draft.pk), posted)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.latest_revision.content["description"] == PASTED_ARABIC
    saved = draft.get_latest_revision_as_object().sections[0].value["fields"][0].value
    assert saved["hint"] == PASTED_ARABIC
    assert saved["label"] == hinted["label"]


def test_a_team_code_or_a_list_name_or_an_option_label_posted_with_a_line_break_is_refused_beside_it(designer_client):
    add = reverse("wagtailsnippets_advice_forms_team:add")
    response = designer_client.post(add, {"code": "ZZ\x07T", "name": "Zeta team", "sort_order": "90"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [ONE_LINE]
    assert not Team.objects.filter(name="Zeta team").exists()
    # Line breaks and tabs are squashed to one space (as the import does).
    designer_client.post(add, {"code": "ZZT", "name": "Zeta\r\n\tteam", "sort_order": "90"})
    assert Team.objects.get(code="ZZT").name == "Zeta team"

    options = {"0": {"ORDER": "0", "DELETE": "", "id": "", "label": "Year\x7f1", "value": ""}}
    options.update(TOTAL_FORMS="1", INITIAL_FORMS="0", MIN_NUM_FORMS="0", MAX_NUM_FORMS="1000")
    data = nested_form_data(
        {"name": "Years\x85groups\x07", "description": "Line one.\r\nLine two.", "options": options}
    )
    response = designer_client.post(reverse("wagtailsnippets_advice_forms_dropdownlist:add"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["name"] == [ONE_LINE]
    assert "description" not in form.errors
    assert form.formsets["options"].forms[0].errors["label"] == [ONE_LINE]
    assert not DropdownList.objects.filter(name__startswith="Years").exists()


@pytest.mark.parametrize("publish", [False, True])
def test_a_nul_in_the_admins_multi_line_texts_is_refused_beside_each(designer_client, publish):
    """The admin's description, hint, guidance and quick-add box: refused beside each by Django's own check, never
    sent to the database."""
    draft = FormDefinition.objects.create(title="Speech advice", version_label="V1")
    hinted = field("Name", max_length="100")
    hinted["hint"] = "First line.\r\nNUL\x00here"
    sections = [
        (
            "section",
            section(
                "About", [("short_text", hinted, ""), ("guidance", guidance("NUL\x00here"), "")], quick_add="A\x00"
            ),
            "",
        )
    ]
    posted = definition_post(
        title="Speech advice", version_label="V1", description="NUL\x00here", sections=sections, publish=publish
    )

    response = designer_client.post(url("edit", draft.pk), posted)

    assert response.status_code == 200
    nul = [NUL_IN_TEXT]
    assert multi_line_errors(response) == {"description": nul, "quick_add": nul, "hint": nul, "body": nul}
    draft.refresh_from_db()
    assert draft.description == "" and draft.latest_revision is None


def test_publishing_a_form_named_and_labelled_as_another_published_one_warns_but_publishes(designer_client):
    """A second "ERSA, version NOV26" published beside the first read exactly like it in "Share a form"."""
    definition(
        [json_section("About", [question("short_text", "Name", key="n")], key="about")],
        title="ERSA",
        version_label="NOV26",
    )
    sections = [("section", section("About the child", [("short_text", field("Name", max_length="100"), "")]), "")]

    response = designer_client.post(
        url("add"), definition_post(title="ersa ", version_label="nov26", sections=sections, publish=True)
    )

    assert response.status_code == 302
    assert FormDefinition.objects.filter(live=True).count() == 2  # a warning, not a refusal
    assert any(
        "Another published form is also called “ERSA”, version NOV26" in message for message in messages_of(response)
    )
    other = designer_client.post(
        url("add"), definition_post(title="ERSA", version_label="DEC26", sections=sections, publish=True)
    )
    assert not any("Another published form" in message for message in messages_of(other))


def test_publishing_warns_of_a_namesake_only_among_live_forms_newest_versions(designer_client):
    """An unpublished "ERSA, version NOV26", and an old version of a form now labelled DEC26, are offered nowhere: once
    the unwanted one is unpublished (or relabelled), publishing another "ERSA, version NOV26" no longer warns."""
    about = [json_section("About", [question("short_text", "Name", key="n")], key="about")]
    unpublished = definition(about, title="ERSA", version_label="NOV26").definition
    FormDefinition.objects.filter(pk=unpublished.pk).update(live=False)
    relabelled = definition(about, title="ERSA", version_label="NOV26").definition
    relabelled.version_label = "DEC26"
    relabelled.save()
    form_definition_publish(definition=relabelled)
    sections = [("section", section("About the child", [("short_text", field("Name", max_length="100"), "")]), "")]

    response = designer_client.post(
        url("add"), definition_post(title="ERSA", version_label="NOV26", sections=sections, publish=True)
    )

    assert response.status_code == 302
    assert not any("Another published form" in message for message in messages_of(response))
    again = designer_client.post(
        url("add"), definition_post(title="ERSA", version_label="DEC26", sections=sections, publish=True)
    )
    assert any("Another published form is also called “ERSA”, version DEC26" in m for m in messages_of(again))
