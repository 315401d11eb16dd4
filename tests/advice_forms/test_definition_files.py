"""Form definition files: export, import, the round trip, and refusals that name the place and create nothing."""

import copy
import io
import json
import pathlib
import re
from datetime import date

import pytest
import wagtail_factories
from bs4 import BeautifulSoup
from django.conf import settings as django_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advice_forms import demo
from advice_forms.definition_format import MAX_FILE_BYTES, SCHEMA_VERSION, FileRefused, definition_document
from advice_forms.form_builder import FormBuilder
from advice_forms.models import DropdownList, FormDefinition, FormDefinitionVersion, FormKind, NeedType, Team
from advice_forms.services.definition_files import Lookups, form_definition_export, form_definition_import
from cms.form_fields import ONE_LINE_ERROR
from cms.models import AuditEntry
from tests.factories.advice_forms import advice_request, definition, dropdown_list, question, section

pytestmark = pytest.mark.django_db

DOCS = pathlib.Path(django_settings.BASE_DIR) / "docs" / "form-definition-format.md"


def _ids_out(value):
    """StreamField JSON without its block ids: what "an equal definition" compares."""
    if isinstance(value, dict):
        return {k: _ids_out(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list):
        return [_ids_out(v) for v in value]
    return value


def _small_file(**changes):
    """A small valid file, as a dict: one list, a table, a condition, guidance and a record-backed kind."""
    doc = {
        "schema_version": SCHEMA_VERSION,
        "format": "send-portal-form-definition",
        "title": "Imported advice",
        "kind": "other_advice",
        "version_label": "IMP1",
        "description": "A form from another council.",
        "dropdown_lists": [
            {
                "name": "Languages",
                "description": "Languages.",
                "options": [
                    {"label": "English", "value": "english", "retired": False},
                    {"label": "Polish", "value": "polish", "retired": False},
                ],
            }
        ],
        "teams": [{"code": "ZZT", "name": "Zeta team", "active": True, "sort_order": 500}],
        "types": [],
        "sections": [
            {
                "title": "About you",
                "key": "about",
                "guidance": "<p>Tell us.</p>",
                "questions": [
                    {"kind": "guidance", "heading": "First", "body": "<p>Read this.</p>"},
                    {"kind": "yes_no", "label": "Interpreter needed?", "key": "interpreter"},
                    {
                        "kind": "single_choice",
                        "label": "Language",
                        "key": "p2_language",
                        "dropdown_list": "Languages",
                        "display": "select",
                        "condition": {
                            "match": "all",
                            "rules": [{"field_key": "interpreter", "operator": "is", "value": "yes"}],
                        },
                    },
                    {
                        "kind": "table",
                        "label": "Costs",
                        "key": "costs",
                        "columns": [
                            {"label": "Item", "key": "item", "kind": "text"},
                            {"label": "Cost", "key": "cost", "kind": "money"},
                        ],
                        "total_column": "cost",
                    },
                ],
            },
            {
                "title": "Contacts",
                "key": "contacts",
                "questions": [{"kind": "record_contacts", "label": "Who else is involved", "key": "who"}],
            },
        ],
    }
    doc.update(changes)
    return doc


def _raw(doc):
    return json.dumps(doc).encode()


def _counts():
    return (
        FormDefinition.objects.count(),
        DropdownList.objects.count(),
        Team.objects.count(),
        NeedType.objects.count(),
    )


@pytest.fixture
def demo_ersa():
    demo.load(io.StringIO())
    return FormDefinition.objects.get(kind=FormKind.ERSA)


# --- the round trip -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", demo.FORM_FILES)
def test_each_demo_form_round_trips_byte_for_byte(demo_ersa, name):
    shipped = FormDefinition.objects.get(title=json.loads(demo.form_file(name))["title"])
    first = form_definition_export(definition=shipped)
    summary = form_definition_import(raw=first, lookups=Lookups.MATCH)
    second = form_definition_export(definition=summary.definition)
    assert second == first
    # ...and the imported definition is the same form: same fields, sections and words (only block ids differ).
    imported = summary.definition.get_latest_revision_as_object()
    assert (imported.title, imported.kind, imported.version_label, imported.description) == (
        shipped.title,
        shipped.kind,
        shipped.version_label,
        shipped.description,
    )
    assert _ids_out(imported.sections.get_prep_value()) == _ids_out(shipped.sections.get_prep_value())
    assert summary.question_count > (100 if name == "ersa.json" else 10)


def test_the_demo_loads_from_the_shipped_files_so_they_cannot_drift(demo_ersa):
    """The demo imports every file of advice_forms/demo_forms/; exporting what it made gives those files back."""
    again = "a change to the blocks changed what an export writes: export every demo form over its file again"
    assert sorted(demo.FORM_FILES) == sorted(path.name for path in demo.DEMO_FORMS.glob("*.json"))
    for name in demo.FORM_FILES:
        shipped = FormDefinition.objects.get(title=json.loads(demo.form_file(name))["title"])
        assert form_definition_export(definition=shipped).encode() == demo.form_file(name), (name, again)
        assert shipped.live and shipped.versions.count() == 1, name


def test_the_demo_appendix_b_takes_a_full_report_where_its_needs_boxes_run_out(demo_ersa):
    """A therapist's 2,100-word advice was refused at a needs box's 6,000 characters, with nowhere on the step to put
    the longer report (a walk in Chromium)."""
    needs = next(
        s for s in FormBuilder(FormDefinition.objects.get(kind=FormKind.APPENDIX_B)).sections() if s.key == "needs"
    )
    (report,) = [spec for spec in needs.fields if spec.type == "file"]
    assert not report.required and not report.condition
    assert report.label == "Your full report"  # the wizard says "(optional)" of it, as of every question not required
    assert "longer than the boxes above allow" in report.hint


def test_the_demo_ersa_says_parent_or_carer_in_one_wording_and_its_outcomes_hint_in_sentence_case(demo_ersa):
    """A SENCO's walk read "Does the parent or carer support..." beside "Have the parents or carers read...", and
    "the Type of need ... the Team" in the outcomes hint: one wording (the singular), and no capitals mid-sentence."""
    builder = FormBuilder(demo_ersa)
    words = [
        text
        for part in builder.sections()
        for spec in part.fields
        for text in (spec.label, spec.hint or "", getattr(spec, "error_message", None) or "")
    ]
    assert not [text for text in words if "parents or carers" in text.lower()]
    assert "Has the parent or carer read this request?" in words
    assert "Tag each outcome with the type of need it meets and the team that would lead on it." in words


# The messages a question gets when its designer wrote none and its label cannot be made into a noun.
GENERIC_MESSAGES = {
    "Enter an answer",
    "Select an answer",
    "Select at least one answer",
    "Select yes or no",
    "Select a PDF file to upload",
    "Tick the box to confirm",
}


def test_no_two_questions_on_a_demo_page_share_an_error_message_and_none_is_generic(demo_ersa):
    """GOV.UK: an error message says which question it is about. The demo ERSA showed "Select yes or no" three times on
    one page, and "Select an answer" for its main area of need: each question, those shown only by another's answer
    included, now has its own words, as a council's editor would write them."""
    for form in FormDefinition.objects.all():
        builder = FormBuilder.for_version(form.latest_version())
        for part in builder.sections():
            # show_all: every question of the page asks, as if every condition on it were met.
            page = builder.form_class_for(part.key)(data={}, answers={}, show_all=True)
            page.is_valid()
            messages = [message for _, message in page.error_summary()]
            repeated = sorted({message for message in messages if messages.count(message) > 1})
            assert repeated == [], f"{form.title}, {part.title}: {repeated}"
            generic = sorted(set(messages) & GENERIC_MESSAGES)
            assert generic == [], f"{form.title}, {part.title}: {generic}"


def test_an_import_creates_a_draft_with_lists_and_terms_when_asked():
    summary = form_definition_import(raw=_raw(_small_file()), lookups=Lookups.CREATE)
    created = summary.definition
    assert not created.live and created.versions.count() == 0
    assert created.latest_revision is not None
    assert summary.lists_created == ["Languages"] and summary.terms_created == ["Team ZZT"]
    assert list(DropdownList.objects.get(name="Languages").options.values_list("value", flat=True)) == [
        "english",
        "polish",
    ]
    assert Team.objects.get(code="ZZT").name == "Zeta team"
    assert [(title, count) for title, count in summary.sections] == [("About you", 3), ("Contacts", 1)]
    # The sections' keys, condition, table and the list by its own id.
    revision = created.get_latest_revision_as_object()
    choice = revision.sections[0].value["fields"][2]
    assert choice.value["dropdown_list"].name == "Languages"
    assert AuditEntry.objects.filter(action="form_definition.imported", target_id=created.pk).exists()


def test_an_import_creates_a_dropdown_list_in_a_few_queries_however_many_options_it_has(django_assert_max_num_queries):
    """One insert an option: a file's lists of 10,000 options took 7 s to check, and again to import."""
    doc = _small_file()
    doc["dropdown_lists"][0]["options"] += [{"label": f"Option {n}", "value": f"o{n}"} for n in range(500)]
    with django_assert_max_num_queries(100):
        form_definition_import(raw=_raw(doc), lookups=Lookups.CREATE)
    options = DropdownList.objects.get(name="Languages").options.all()
    assert [(o.label, o.value, o.sort_order) for o in options][-2:] == [
        ("Option 498", "o498", 500),
        ("Option 499", "o499", 501),
    ]


def test_an_import_matches_existing_lists_by_name_and_says_when_they_differ():
    existing = dropdown_list("Languages", [("english", "English")])
    Team.objects.create(code="ZZT", name="Our own name")
    before = _counts()
    summary = form_definition_import(raw=_raw(_small_file()), lookups=Lookups.MATCH)
    assert summary.lists_matched == ["Languages"] and summary.lists_differing == ["Languages"]
    assert summary.terms_matched == ["Team ZZT"] and not summary.terms_created
    assert _counts() == (before[0] + 1, *before[1:])
    choice = summary.definition.get_latest_revision_as_object().sections[0].value["fields"][2]
    assert choice.value["dropdown_list"].pk == existing.pk
    assert Team.objects.get(code="ZZT").name == "Our own name"


def test_an_import_refuses_a_new_term_named_as_another_whatever_the_letter_case():
    """Teams and Types are shown by name only; the admin refused a second "Zeta team", an import created it."""
    Team.objects.create(code="ZT", name="Zeta team")
    before = _counts()
    with pytest.raises(FileRefused) as refused:
        form_definition_import(
            raw=_raw(_small_file(teams=[{"code": "ZZT", "name": "ZETA  Team"}])), lookups=Lookups.CREATE
        )
    assert refused.value.messages == [
        "Team “ZZT”: “Zeta team” is already the name of ZT: people choose by the name, so give this one another"
    ]
    assert _counts() == before and not Team.objects.filter(code="ZZT").exists()


def test_an_import_saves_a_new_terms_name_with_its_spaces_squashed_as_the_admin_does():
    """The check compared the squashed name but the term was created with the name as written ("Zeta   team")."""
    teams = [{"code": "ZZT", "name": "Zeta   team ", "active": True, "sort_order": 500}]
    form_definition_import(raw=_raw(_small_file(teams=teams)), lookups=Lookups.CREATE)
    assert Team.objects.get(code="ZZT").name == "Zeta team"


def test_an_import_refuses_two_new_terms_of_its_own_with_one_name():
    types = [{"code": "ZS1", "name": "Zeta speech"}, {"code": "ZS2", "name": "zeta speech"}]
    with pytest.raises(FileRefused) as refused:
        form_definition_import(raw=_raw(_small_file(types=types)), lookups=Lookups.CREATE)
    assert refused.value.messages == [
        "Type “ZS2”: “Zeta speech” is already the name of ZS1: people choose by the name, so give this one another"
    ]
    assert not NeedType.objects.filter(code__in=["ZS1", "ZS2"]).exists()


def test_a_dry_run_reports_what_it_would_create_and_creates_nothing():
    before = _counts()
    summary = form_definition_import(raw=_raw(_small_file()), lookups=Lookups.CREATE, dry_run=True)
    assert summary.definition is None
    assert summary.lists_created == ["Languages"] and summary.question_count == 4
    assert _counts() == before


def test_publishing_an_import_freezes_a_version():
    summary = form_definition_import(raw=_raw(_small_file()), lookups=Lookups.CREATE, publish=True)
    assert FormDefinitionVersion.objects.filter(definition=summary.definition).count() == 1


# Rich text a file may carry that the admin's editor never saves: shown as stored, it would reach every professional
# given the form, and the staff who preview it in the admin (where inline scripts run).
HOSTILE_RICH_TEXT = (
    '<p>Read <a href="javascript:alert(1)">this</a>.</p><script>alert(2)</script>'
    '<p><img src="x" onerror="alert(3)"/></p><meta http-equiv="refresh" content="0;url=https://evil.example/">'
)


def test_an_imported_files_rich_text_reaches_the_wizard_as_the_editor_would_save_it(verified_client, professional):
    """A file bypasses the editor, whose save keeps scripts, event handlers and javascript: links out of rich text:
    an imported form's guidance reached the professional's step exactly as the file wrote it."""
    doc = _small_file()
    doc["sections"][0]["guidance"] = HOSTILE_RICH_TEXT
    doc["sections"][0]["questions"][0]["body"] = HOSTILE_RICH_TEXT
    summary = form_definition_import(raw=_raw(doc), lookups=Lookups.CREATE, publish=True)
    version = FormDefinitionVersion.objects.get(definition=summary.definition)
    step = reverse("portal:request_step", args=[advice_request(professional, version=version).pk, "about"])
    main = BeautifulSoup(verified_client.get(step).content, "html.parser").find("main")
    assert main.find_all(["script", "img", "meta"]) == []
    assert [a.get("href") for a in main.find_all("a") if a.get_text() == "this"] == [None, None]
    assert "onerror" not in str(main) and "javascript:" not in str(main)
    # The words are kept: the link's text, and the script's as plain text.
    assert main.get_text().count("Read this.") == 2


def test_rich_text_the_editor_cannot_read_is_refused_naming_its_place():
    doc = _small_file()
    doc["sections"][0]["guidance"] = '<p><img src="x" onerror="alert(3)"></p>'
    before = _counts()
    with pytest.raises(FileRefused) as refused:
        form_definition_import(raw=_raw(doc), lookups=Lookups.CREATE)
    assert any(
        m.startswith("Section 1 “About you”, guidance: rich text whose tags do not close")
        for m in refused.value.messages
    )
    assert _counts() == before


def test_export_writes_lists_by_name_and_no_block_ids():
    years = dropdown_list("Year groups", [("y1", "Year 1"), ("y2", "Year 2", True)])
    version = definition(
        [section("One", [question("single_choice", "Year", key="year", dropdown_list=years.pk)], key="one")]
    )
    text = form_definition_export(definition=version.definition)
    doc = json.loads(text)
    assert doc["dropdown_lists"] == [
        {
            "name": "Year groups",
            "description": "",
            "options": [
                {"label": "Year 1", "value": "y1", "retired": False},
                {"label": "Year 2", "value": "y2", "retired": True},
            ],
        }
    ]
    assert doc["sections"][0]["questions"][0]["dropdown_list"] == "Year groups"
    assert '"id"' not in text and doc["teams"] == [] and doc["types"] == []
    assert text.endswith("}\n")


def test_a_draft_with_an_untitled_section_exports_and_imports_again_with_the_same_structure():
    """A draft may leave a section untitled (and a table without columns) until it is published; its file was refused
    ("section 1, title: Enter a title for the section"). Imported as a draft, it is checked as the admin saves one;
    publishing it still asks for the title."""
    table = question("table", "Schools", key="schools", item_name="school", columns=[])
    untitled = section("", [question("short_text", "Name", key="name"), table])
    draft = definition(
        [untitled, section("About", [question("yes_no", "Ready?", key="ready")], key="about")], publish=False
    )
    text = form_definition_export(definition=draft)

    copied = form_definition_import(raw=text.replace("Test advice", "Copied advice"), lookups=Lookups.CREATE)

    assert form_definition_export(definition=copied.definition) == text.replace("Test advice", "Copied advice")
    assert [title for title, _count in copied.sections] == ["", "About"]
    with pytest.raises(FileRefused) as refused:
        form_definition_import(raw=text, lookups=Lookups.CREATE, publish=True)
    assert "Section 1, title: Enter a title for the section" in refused.value.messages


# --- refusals: each names its place and creates nothing ------------------------------------------------------------


def _refused(doc_or_raw, lookups=Lookups.MATCH, *, publish=False):
    before = _counts()
    raw = doc_or_raw if isinstance(doc_or_raw, bytes) else _raw(doc_or_raw)
    with pytest.raises(FileRefused) as refused:
        form_definition_import(raw=raw, lookups=lookups, publish=publish)
    assert _counts() == before
    return refused.value.messages


def test_an_unknown_dropdown_list_is_refused_at_its_question():
    doc = _small_file(sections=[{}, {}, _small_file()["sections"][0]])
    doc["sections"][0] = {"title": "One", "questions": [{"kind": "short_text", "label": "Name"}]}
    doc["sections"][1] = {"title": "Two", "questions": [{"kind": "short_text", "label": "Town"}]}
    messages = _refused(doc)
    assert "Section 3 “About you”, question “Language” (p2_language): unknown dropdown list “Languages”" in messages


def test_a_list_the_file_does_not_describe_is_refused_even_when_creating():
    doc = _small_file(dropdown_lists=[])
    messages = _refused(doc, Lookups.CREATE)
    assert messages == [
        "Section 1 “About you”, question “Language” (p2_language): unknown dropdown list “Languages” (and the "
        "file does "
        "not describe it)"
    ]


def test_an_unknown_team_is_refused_when_matching():
    dropdown_list("Languages", [("english", "English"), ("polish", "Polish")])
    assert _refused(_small_file()) == ["Team “ZZT”: unknown Team term"]


def test_an_unknown_kind_is_refused():
    doc = _small_file()
    doc["sections"][1]["questions"].append({"kind": "signature", "label": "Sign here", "key": "sig"})
    messages = _refused(doc, Lookups.CREATE)
    assert messages[0].startswith(
        "Section 2 “Contacts”, question “Sign here” (sig): unknown kind “signature”; use one of: short_text, long_text,"
    )


def test_an_unknown_entry_of_a_section_is_refused_naming_the_entries_as_the_file_writes_them():
    doc = _small_file()
    doc["sections"][0]["quick_add"] = "Name"
    messages = _refused(doc, Lookups.CREATE)
    assert messages == [
        "Section 1 “About you”: unknown entry “quick_add”; expected one of: title, key, guidance, condition, questions"
    ]


def test_a_duplicate_key_is_refused_as_the_admin_refuses_it():
    doc = _small_file()
    doc["sections"][1]["questions"].append({"kind": "short_text", "label": "Again", "key": "interpreter"})
    messages = _refused(doc, Lookups.CREATE)
    assert messages == [
        "Section 2 “Contacts”, question “Again” (interpreter), key: Another question in this form already uses the key "
        "“interpreter” (“Interpreter needed?” in section 1); each key must be unique"
    ]


def test_a_bad_condition_is_refused():
    doc = _small_file()
    doc["sections"][0]["questions"][2]["condition"]["rules"][0]["value"] = "maybe"
    messages = _refused(doc, Lookups.CREATE)
    assert messages == [
        "Section 1 “About you”, question “Language” (p2_language), condition: Rule 1 of “Show only when”: “maybe” is "
        "not an answer to “Interpreter needed?”; use one of: “Yes”, “No”"
    ]


def test_publishing_an_import_refuses_two_questions_of_a_page_with_one_message_naming_their_places():
    doc = _small_file()
    doc["sections"][0]["questions"].insert(
        2, {"kind": "yes_no", "label": "Family interpreter needed?", "key": "family"}
    )
    before = _counts()
    with pytest.raises(FileRefused) as refused:
        form_definition_import(raw=_raw(doc), lookups=Lookups.CREATE, publish=True)
    assert _counts() == before
    tail = "when not answered: give each question its own message here, so the page's error summary says which "
    assert refused.value.messages == [
        f"Section 1 “About you”, question “Interpreter needed?” (interpreter), error_message: “Family interpreter "
        f"needed?” on this page also says “Select yes or no” {tail}question each error is about",
        f"Section 1 “About you”, question “Family interpreter needed?” (family), error_message: “Interpreter needed?” "
        "on this page also says "
        f"“Select yes or no” {tail}question each error is about",
    ]
    # A draft is imported all the same: the designer writes the messages before publishing it.
    assert form_definition_import(raw=_raw(doc), lookups=Lookups.CREATE).definition.latest_revision is not None


def test_publishing_an_import_refuses_a_list_with_nothing_to_choose_naming_its_place():
    doc = _small_file()
    doc["dropdown_lists"][0]["options"] = []
    before = _counts()
    with pytest.raises(FileRefused) as refused:
        form_definition_import(raw=_raw(doc), lookups=Lookups.CREATE, publish=True)
    assert _counts() == before
    assert refused.value.messages == [
        "Section 1 “About you”, question “Language” (p2_language), dropdown_list: The dropdown list "
        "“Languages” has no options yet: add some "
        "to it, or pick another list"
    ]
    # A draft is imported all the same: the designer fills the list in before publishing.
    assert form_definition_import(raw=_raw(doc), lookups=Lookups.CREATE).definition.latest_revision is not None


def test_a_block_rule_is_refused_with_its_place():
    doc = _small_file()
    doc["sections"][0]["questions"][1]["label"] = ""
    messages = _refused(doc, Lookups.CREATE, publish=True)
    assert messages == ["Section 1 “About you”, question 2 (interpreter), label: Enter the question"]
    # As a draft, as the admin saves one: the label may wait until it is published.
    doc["sections"][0]["questions"][1]["label"] = "L" * 256
    messages = _refused(doc, Lookups.CREATE)
    assert messages == [
        f"Section 1 “About you”, question “{'L' * 60}…” (interpreter), label: Ensure this value has at most 255 "
        "characters (it has 256)."
    ]


def test_a_wrong_schema_version_is_refused():
    assert _refused(_small_file(schema_version=2)) == [
        "The file uses schema version 2; this portal reads schema version 1 only"
    ]


def test_malformed_json_is_refused():
    assert _refused(b'{"schema_version": 1,\n "title": }') == [
        "The file is not valid JSON: Expecting value at line 2, column 11"
    ]


def test_a_file_that_is_not_a_definition_is_refused():
    assert _refused(b"[1, 2]") == [
        'This is not a form definition file: it has no "format": "send-portal-form-definition"'
    ]


def test_a_too_large_file_is_refused():
    messages = _refused(b" " * (MAX_FILE_BYTES + 1))
    assert messages == ["The file is 2.0 MB; a form definition file can be at most 2 MB"]


def test_unknown_entries_and_wrong_types_are_named():
    doc = _small_file(colour="blue")
    doc["sections"][0]["questions"][1]["lable"] = "typo"
    doc["sections"][0]["questions"][1]["required"] = "yes"
    doc["sections"][0]["questions"][3]["columns"][0]["kind"] = 3
    messages = _refused(doc, Lookups.CREATE)
    assert "Unknown entry “colour” at the top of the file" in messages
    interpreter = "Section 1 “About you”, question “Interpreter needed?” (interpreter)"
    assert any(m.startswith(f"{interpreter}: unknown entry “lable”") for m in messages)
    assert f"{interpreter}, required: expected true or false" in messages
    assert "Section 1 “About you”, question “Costs” (costs), columns, 1, kind: expected text" in messages


@pytest.mark.parametrize("id_", ["99999", "abc", None])
def test_a_link_to_a_page_this_site_does_not_have_is_refused(home_page, id_):
    doc = _small_file()
    named = "" if id_ is None else f' id="{id_}"'
    # data-id names the home page, which this site has; it is not the link's id.
    doc["sections"][0]["guidance"] = f'<p><a linktype="page" data-id="{home_page.pk}"{named}>Help</a></p>'
    assert _refused(doc, Lookups.CREATE) == [
        f"Section 1 “About you”, guidance: a link to a page (id {id_}) that this site does not have; use a full web "
        "address instead"
    ]


def test_a_missing_title_and_an_unknown_form_kind_are_named():
    doc = _small_file(kind="letter")
    del doc["title"]
    messages = _refused(doc, Lookups.CREATE)
    assert messages == [
        "title: this is missing",
        "kind: unknown form kind “letter”; use one of: ersa, appendix_b, other_advice",
    ]


def _documented_entries():
    """The entries of a file in the order "The file, from the top" of the format's documentation shows them."""
    example = DOCS.read_text().split("## The file, from the top", 1)[1].split("```", 2)[1]
    return re.findall(r'^  "(\w+)":', example, re.MULTILINE)


def test_the_document_is_deterministic(demo_ersa):
    one = definition_document(demo_ersa)
    assert one == copy.deepcopy(definition_document(demo_ersa))
    assert list(one) == _documented_entries()


# --- anything a file may hold: a clean refusal or an import, never a crash ----------------------------------------


def _paths(value, here=()):
    yield here
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*here, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*here, index))


SMALL_PATHS = [path for path in _paths(_small_file()) if path]
junk_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False),
    st.text(max_size=80),
    st.sampled_from(["", "yes", "other", "2026-02-30", "Languages", "table", "section", '<a linktype="page">x</a>']),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=2),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(st.tuples(st.sampled_from(SMALL_PATHS), junk_values), min_size=1, max_size=3))
def test_any_change_to_a_file_is_imported_or_refused_cleanly(changes):
    doc = _small_file()
    for path, value in changes:
        target = doc
        try:
            for step in path[:-1]:
                target = target[step]
            target[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    before = _counts()
    try:
        form_definition_import(raw=_raw(doc), lookups=Lookups.CREATE, dry_run=True)
    except FileRefused as refused:
        assert refused.messages and all(isinstance(m, str) and m for m in refused.messages)
    assert _counts() == before


def test_a_picture_travels_by_its_title():
    doc = _small_file()
    doc["sections"][0]["questions"][0]["image"] = {"image": "How the form looks", "alt": "The first page of the form"}
    assert _refused(doc, Lookups.CREATE) == [
        "Section 1 “About you”, question “First”, image, image: unknown picture “How the form looks”; upload it to the "
        "images first"
    ]
    picture = wagtail_factories.ImageFactory(title="How the form looks")
    summary = form_definition_import(raw=_raw(doc), lookups=Lookups.CREATE)
    guidance = summary.definition.get_latest_revision_as_object().sections[0].value["fields"][0]
    assert guidance.value["image"]["image"] == picture
    exported = json.loads(form_definition_export(definition=summary.definition))
    assert exported["sections"][0]["questions"][0]["image"] == {
        "alt": "The first page of the form",
        "image": "How the form looks",
    }


def test_every_problem_is_named_in_one_refusal():
    """An unknown list, an unknown term, a bad condition on the list's options and a duplicate key, all at once."""
    doc = _small_file()
    doc["sections"][1]["questions"].append({"kind": "short_text", "label": "Again", "key": "interpreter"})
    doc["sections"][1]["questions"].append(
        {
            "kind": "long_text",
            "label": "Which dialect",
            "key": "dialect",
            "condition": {"match": "all", "rules": [{"field_key": "p2_language", "operator": "is", "value": "welsh"}]},
        }
    )
    assert _refused(doc) == [
        "Team “ZZT”: unknown Team term",
        "Section 1 “About you”, question “Language” (p2_language): unknown dropdown list “Languages”",
        "Section 2 “Contacts”, question “Again” (interpreter), key: Another question in this form already "
        "uses the key “interpreter” (“Interpreter needed?” in section 1); each key must be unique",
        "Section 2 “Contacts”, question “Which dialect” (dialect), condition: Rule 1 of “Show only when”: "
        "“welsh” is not an answer to "
        "“Language”; use one of: “English”, “Polish”",
    ]


def test_a_refusal_names_the_problems_of_every_kind_at_once_each_at_its_place():
    """The file's shape, its lists and terms, each question's own rules, the form's rules and the definition's own
    settings: one refusal names them all, and nothing twice (a value refused as the wrong type is not then also
    "required")."""
    doc = _small_file(colour="blue", version_label="V" * 41)
    about, contacts = doc["sections"][0]["questions"], doc["sections"][1]["questions"]
    about[1]["label"] = 7
    about[3]["label"] = "C" * 256
    contacts += [5, {"kind": "short_text", "label": ""}, {"kind": "short_text", "label": "Again", "key": "who"}]

    # In the order of their places in the file, whichever check found them.
    assert _refused(doc) == [
        "Unknown entry “colour” at the top of the file",
        "version_label: Ensure this value has at most 40 characters (it has 41).",
        "Team “ZZT”: unknown Team term",
        "Section 1 “About you”, question 2 (interpreter), label: expected text",
        "Section 1 “About you”, question “Language” (p2_language): unknown dropdown list “Languages”",
        f"Section 1 “About you”, question “{'C' * 60}…” (costs), label: Ensure this value has at most 255 characters "
        "(it has 256).",
        "Section 2 “Contacts”, question 2: expected an object with a “kind”",
        "Section 2 “Contacts”, question “Again” (who), key: Another question in this form already uses the key “who” "
        "(“Who else is involved” in section 2); each key must be unique",
    ]


@pytest.mark.parametrize(
    ("number", "change", "expected"),
    [
        (
            2,
            {"dropdown_list": 7},
            "Section 1 “About you”, question “Language” (p2_language), dropdown_list: expected the name of a "
            "dropdown list",
        ),
        (
            0,
            {"image": {"image": 7, "alt": "A picture"}},
            "Section 1 “About you”, question “First”, image, image: expected the title of a picture",
        ),
    ],
)
def test_a_list_or_a_picture_named_by_anything_but_text_is_refused(number, change, expected):
    doc = _small_file()
    doc["sections"][0]["questions"][number].update(change)
    assert expected in _refused(doc, Lookups.CREATE)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"dropdown_lists": [{"name": "Languages", "options": [{"value": "english"}]}]},
            "dropdown list “Languages”, option 1: expected an object with a “label”",
        ),
        (
            {"dropdown_lists": [{"name": "Languages", "options": [{"label": "English", "colour": "red"}]}]},
            "dropdown list “Languages”, option 1: unknown entry “colour”; expected one of: label, value, retired",
        ),
        ({"teams": [{"name": "Zeta team"}]}, "Team 1: expected an object with a “code”"),
        (
            {"types": [{"code": "ZZ", "colour": "red"}]},
            "Type 1: unknown entry “colour”; expected one of: code, name, active, sort_order",
        ),
        ({"teams": [{"code": "ZZT", "sort_order": -1}]}, "Team 1: “sort_order” is a whole number from 0 to 2147483647"),
        ({"types": [{"code": "ZZ", "sort_order": "5"}]}, "Type 1: “sort_order” is a whole number from 0 to 2147483647"),
        (
            {"types": [{"code": "ZZ", "sort_order": 2**31}]},
            "Type 1: “sort_order” is a whole number from 0 to 2147483647",
        ),
    ],
)
def test_an_option_or_a_term_without_its_text_or_with_an_unknown_entry_is_named(changes, expected):
    assert expected in _refused(_small_file(**changes), Lookups.CREATE)


# --- nesting and one-line texts (a penetration test's findings) ------------------------------------------------------


def test_a_deeply_nested_file_is_refused_as_no_form_definition():
    """50,000 brackets each way (100 KB) raised a RecursionError from the JSON parser: an error page, not a refusal."""
    refusal = [
        "This is not a form definition file: its lists and objects nest more than 32 levels deep, and a form's nest "
        "fewer than ten"
    ]
    assert _refused(b"[" * 50_000 + b"]" * 50_000) == refusal
    # Deep, but within the parser's reach: refused before it is walked, in the same words.
    assert _refused(_raw(_small_file(description=json.loads("[" * 40 + "]" * 40)))) == refusal


def test_the_demo_forms_nest_well_within_the_limit(demo_ersa):
    from advice_forms.definition_format import MAX_DEPTH, _depth

    assert _depth(json.loads(form_definition_export(definition=demo_ersa))) <= 10 < MAX_DEPTH


ONE_LINE = ONE_LINE_ERROR
INTERPRETER = "Section 1 “About you”, question “Interpreter needed?” (interpreter)"


def _set(doc, path, value):
    here = doc
    for part in path[:-1]:
        here = here[part]
    here[path[-1]] = value


@pytest.mark.parametrize(
    ("path", "place"),
    [
        (("title",), "title"),
        (("version_label",), "version_label"),
        # A title or label that is refused is not quoted in the place: the section or question goes by its number.
        (("sections", 0, "title"), "Section 1, title"),
        (("sections", 0, "questions", 1, "label"), "Section 1 “About you”, question 2 (interpreter), label"),
        (("sections", 0, "questions", 1, "error_message"), f"{INTERPRETER}, error_message"),
        (("sections", 0, "questions", 0, "heading"), "Section 1 “About you”, question 1, heading"),
        (
            ("sections", 0, "questions", 3, "columns", 0, "label"),
            "Section 1 “About you”, question “Costs” (costs), columns, 1, label",
        ),
        (("dropdown_lists", 0, "name"), "dropdown list 1, name"),
        (("dropdown_lists", 0, "options", 1, "label"), "dropdown list “Languages”, option 2, label"),
        (("dropdown_lists", 0, "options", 1, "value"), "dropdown list “Languages”, option 2, value"),
        (("teams", 0, "name"), "Team 1, name"),
        (("teams", 0, "code"), "Team 1, code"),
    ],
)
@pytest.mark.parametrize(
    "bad",
    [
        "Bell\x07here",
        "NUL\x00here",
        "Escape\x1bhere",
        "DEL\x7fhere",
        "C1\x9bhere",
    ],
)
def test_a_one_line_text_with_a_control_character_is_refused_naming_its_place(path, place, bad):
    """A title with a line break reached the caseworker's share dropdown as two lines."""
    doc = _small_file()
    _set(doc, path, bad)
    messages = _refused(doc, Lookups.CREATE)
    assert f"{place}: {ONE_LINE}" in messages
    # Every message is one line: a control character the file carries is shown escaped, never written out.
    assert not any(re.search(r"[\x00-\x1f\x85\u2028\u202a-\u202e\u2066-\u2069]", message) for message in messages)


@pytest.mark.parametrize("mark", ["\u202e", "\u202d"])
def test_a_one_line_text_with_a_text_direction_override_is_refused_naming_its_place_and_the_words_before_it(mark):
    """ "Speech \u202etxet" reads "Speech text" yet stores something else."""
    doc = _small_file(title=f"Speech {mark}txet")
    messages = _refused(doc, Lookups.CREATE)
    assert "title: Remove the hidden text-direction character after “Speech”" in messages
    assert not any(re.search(r"[\u202a-\u202e\u2066-\u2069]", message) for message in messages)


def test_a_type_name_with_a_control_character_is_refused():
    doc = _small_file(types=[{"code": "ZZY", "name": "Zeta\x07type", "active": True, "sort_order": 5}])
    assert f"Type 1, name: {ONE_LINE}" in _refused(doc, Lookups.CREATE)


@pytest.mark.parametrize(
    ("path", "place"),
    [
        (("description",), "description"),
        (("dropdown_lists", 0, "description"), "dropdown list “Languages”, description"),
        (("sections", 0, "guidance"), "Section 1 “About you”, guidance"),
        (("sections", 0, "questions", 0, "body"), "Section 1 “About you”, question “First”, body"),
        (("sections", 0, "questions", 1, "hint"), f"{INTERPRETER}, hint"),
    ],
)
@pytest.mark.parametrize("mark", ["\u202e", "\u202d"])
def test_a_multi_line_text_with_a_text_direction_override_is_refused_naming_its_place(path, place, mark):
    """As the admin refuses it beside the field, naming the words before it."""
    doc = _small_file()
    text = f"<p>Speech {mark}txet</p>" if path[-1] in ("guidance", "body") else f"Line one.\nSpeech {mark}txet"
    _set(doc, path, text)
    messages = _refused(doc, Lookups.CREATE)
    words = "Speech" if path[-1] in ("guidance", "body") else "Line one. Speech"
    assert f"{place}: Remove the hidden text-direction character after “{words}”" in messages


def test_a_multi_line_text_keeps_the_marks_embeddings_and_isolates_right_to_left_writing_needs():
    """As Word and Outlook paste Arabic: embeddings (RLE ... PDF), isolates (RLI ... PDI) and marks, which an earlier
    rule refused, so a file exported with them could not be imported again."""
    marked = (
        "\u202b\u0645\u0631\u062d\u0628\u0627\u202c\u200f \u2066(Arabic)\u2069\u200e \u061c \u2067\u0644\u0627\u2069"
    )
    doc = _small_file(description=marked)
    doc["sections"][0]["questions"][1]["hint"] = marked
    doc["sections"][0]["questions"][1]["label"] = marked
    doc["sections"][0]["guidance"] = f"<p>{marked}</p>"
    created = form_definition_import(raw=_raw(doc), lookups=Lookups.CREATE).definition
    assert created.description == marked
    saved = created.get_latest_revision_as_object().sections[0].value
    assert saved["fields"][1].value["hint"] == marked and marked in saved["guidance"].source
    assert saved["fields"][1].value["label"] == marked


def test_a_tab_or_a_line_break_in_a_one_line_text_becomes_a_space_and_multi_line_texts_keep_their_line_breaks():
    """As the admin folds them: a tab, a line break, U+2028, NEL, a form feed, with the spaces beside them, are one
    space, the ends trimmed."""
    doc = _small_file(title=" Imported\t\r\n advice\u2028", description="What it is for.\r\nWho fills it in.")
    question = doc["sections"][0]["questions"][1]
    question["label"], question["hint"] = "Interpreter\x85\x0cneeded?", "First line.\nSecond line."
    doc["sections"][0]["guidance"] = "<p>One line.<br/>Another.</p>"
    created = form_definition_import(raw=_raw(doc), lookups=Lookups.CREATE).definition
    assert created.title == "Imported advice"
    assert created.description == "What it is for.\r\nWho fills it in."
    saved = created.get_latest_revision_as_object().sections[0].value
    assert saved["fields"][1].value["label"] == "Interpreter needed?"
    assert saved["fields"][1].value["hint"] == "First line.\nSecond line."
    assert "One line.<br/>Another." in saved["guidance"].source


def test_options_in_another_alphabet_without_values_get_values_from_their_place_clear_of_the_values_typed():
    """Every such label gave the value "option", so two Arabic options in one list were refused as sharing one; a
    value made from a place never takes one the file gives a later option."""
    doc = _small_file()
    arabic = [{"label": "\u0646\u0639\u0645"}, {"label": "\u0644\u0627"}, {"label": "Other", "value": "option_1"}]
    doc["dropdown_lists"][0]["options"] = arabic
    form_definition_import(raw=_raw(doc), lookups=Lookups.CREATE)
    made = DropdownList.objects.get(name="Languages")
    assert list(made.options.order_by("sort_order").values_list("value", flat=True)) == [
        "option_1_2",
        "option_2",
        "option_1",
    ]


def test_a_files_date_settings_import_as_those_dates_and_export_unchanged_and_a_year_the_editor_refuses_is_named():
    """The editor's date settings are typed as 14/6/2027 (blocks.SettingDateBlock); a file keeps them as YYYY-MM-DD, and
    refuses a year the editor refuses, at its place."""
    doc = _small_file()
    joined = {"kind": "date", "label": "Date joined", "key": "joined", "earliest": "2010-01-01", "latest": "2027-06-14"}
    doc["sections"][0]["questions"].append(joined)
    doc["sections"][0]["questions"][3]["columns"].append(
        {"label": "From", "key": "from", "kind": "date", "earliest": "2001-09-03", "latest": None}
    )

    imported = form_definition_import(raw=_raw(doc), lookups=Lookups.CREATE)

    fields = imported.definition.get_latest_revision_as_object().sections[0].value["fields"]
    assert (fields[4].value["earliest"], fields[4].value["latest"]) == (date(2010, 1, 1), date(2027, 6, 14))
    assert fields[3].value["columns"][2]["earliest"] == date(2001, 9, 3)
    exported = json.loads(form_definition_export(definition=imported.definition))["sections"][0]["questions"]
    assert (exported[4]["earliest"], exported[4]["latest"]) == ("2010-01-01", "2027-06-14")
    assert (exported[3]["columns"][2]["earliest"], exported[3]["columns"][2]["latest"]) == ("2001-09-03", None)

    joined["latest"] = "2150-01-01"
    assert _refused(doc, Lookups.CREATE) == [
        "Section 1 “About you”, question “Date joined” (joined), latest: Enter a date between 1900 and 2100"
    ]
