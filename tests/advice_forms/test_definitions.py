"""Keys, checks and frozen versions: a published version never changes, and loads without the live form."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Revision

from advice_forms import demo
from advice_forms.blocks import UNKEYED_QUESTION, UNKEYED_SECTION, check_sections, key_from_label
from advice_forms.form_builder import FormBuilder
from advice_forms.models import (
    FormDefinition,
    FormDefinitionVersion,
    FrozenVersionError,
    NeedType,
    Team,
    UnkeyedVersionError,
)
from advice_forms.selectors import latest_versions, versions_with_request_counts
from advice_forms.services.definition_files import Lookups, form_definition_import
from advice_forms.services.definitions import form_definition_publish
from cms.models import AuditEntry
from tests.factories.advice_forms import definition, question, section

pytestmark = pytest.mark.django_db


def test_keys_come_from_labels_and_are_unique_within_the_form():
    assert key_from_label("Date of the last review") == "date_of_the_last_review"
    assert key_from_label("1st contact") == "q_1st_contact"
    assert key_from_label("???") == "question"  # a caller names the block's place instead (below)
    version = definition(
        [
            section("About you", [question("short_text", "Name"), question("short_text", "Name", required=False)]),
            section(
                "About you",
                [question("short_text", "Name", key="name_2"), question("short_text", "Name", required=False)],
            ),
        ]
    )
    builder = FormBuilder(version)
    assert [s.key for s in builder.sections()] == ["about_you", "about_you_2"]
    assert [f.key for s in builder.sections() for f in s.questions()] == ["name", "name_3", "name_2", "name_4"]


def test_a_title_or_label_with_no_letter_a_key_can_hold_gets_a_key_from_its_place_and_publishes():
    """ "???" or a title in another alphabet gave every such block the key "question" (then "question_2"...)."""
    unkeyed = [
        section(
            "Ваш ребёнок",
            [
                question("guidance", "", body="<p>Read this.</p>"),
                question("short_text", "Ваш ребёнок"),
                question("short_text", "???"),
                question("single_choice", "Да или нет?", options=[{"label": "Да"}, {"label": "Нет"}]),
                question("table", "Школы", item_name="row", columns=[{"label": "Школа", "kind": "text"}] * 2),
            ],
        ),
        section("???", [question("short_text", "¿?")]),
    ]
    version = definition(unkeyed)

    builder = FormBuilder(version)
    assert [s.key for s in builder.sections()] == ["section_1", "section_2"]
    about, other = builder.sections()
    assert [f.key for f in about.questions()] == [
        "section_1_question_2",
        "section_1_question_3",
        "section_1_question_4",
        "section_1_question_5",
    ]
    assert [f.key for f in other.questions()] == ["section_2_question_1"]
    choice, table = about.questions()[2:]
    assert [o["value"] for o in choice.options["options"]] == ["option_1", "option_2"]
    assert [c["key"] for c in table.options["columns"]] == ["column_1", "column_2"]

    # Stable: a later version keeps them, the questions moved and a new untitled one added before them.
    live = version.definition
    raw = [dict(block) for block in live.sections.raw_data]
    fields = raw[0]["value"]["fields"]
    fields[1:3] = [fields[2], fields[1]]
    fields.insert(0, {"type": "short_text", "value": {"label": "…", "required": True}})
    live.sections = json.dumps(raw)
    live.version_label = "V2"
    v2 = form_definition_publish(definition=live)
    assert [f.key for f in FormBuilder(v2).sections()[0].questions()][:3] == [
        "section_1_question_1",
        "section_1_question_3",
        "section_1_question_2",
    ]


def test_service_refuses_to_publish_a_broken_definition():
    draft = definition(
        [section("About", [question("long_text", "Details", condition={"field_key": "nope", "value": "yes"})])],
        publish=False,
    )
    with pytest.raises(ValidationError) as raised:
        form_definition_publish(definition=draft)
    assert raised.value.messages == [
        "Rule 1 of “Show only when”: there is no question with the key “nope” before this one"
    ]
    assert not FormDefinitionVersion.objects.exists()


def test_condition_checks_the_answer_and_the_kind_of_question():
    draft = definition(
        [
            section(
                "About",
                [
                    question("short_text", "Name", key="name"),
                    question("yes_no", "Agreed?", key="agreed"),
                    question("long_text", "A", condition={"field_key": "name", "value": "x"}),
                    question("long_text", "B", condition={"field_key": "agreed", "value": "maybe"}),
                    question("long_text", "C", condition={"field_key": "agreed", "value": ""}),
                ],
            )
        ],
        publish=False,
    )
    assert check_sections(draft.sections).messages() == [
        "Rule 1 of “Show only when”: “Name” is not a yes/no or choice question, so it cannot control what is shown",
        "Rule 1 of “Show only when”: “maybe” is not an answer to “Agreed?”; use one of: “Yes”, “No”",
        "Rule 1 of “Show only when”: enter the answer that shows this",
    ]


def test_a_later_version_keeps_the_key_of_a_field_that_existed():
    v1 = definition([section("About", [question("short_text", "Name of school")])])
    live = v1.definition
    raw = [dict(block) for block in live.sections.raw_data]
    raw[0]["value"]["fields"][0]["value"]["label"] = "Name of the school or setting"
    raw[0]["value"]["fields"][0]["value"]["key"] = ""  # a designer cleared it: the published key comes back
    raw[0]["value"]["fields"].append({"type": "short_text", "value": {"label": "Name of school", "required": True}})
    live.sections = json.dumps(raw)
    live.version_label = "V2"
    v2 = form_definition_publish(definition=live)
    keys = [(f.label, f.key) for f in FormBuilder(v2).sections()[0].questions()]
    assert keys == [("Name of the school or setting", "name_of_school"), ("Name of school", "name_of_school_2")]


def test_published_version_is_frozen_and_loads_without_the_live_definition():
    v1 = definition([section("About", [question("short_text", "Old question", key="q")], key="about")])
    with pytest.raises(FrozenVersionError):
        v1.save()
    with pytest.raises(FrozenVersionError):
        v1.delete()

    live = v1.definition
    live.sections = json.dumps([section("Changed", [question("short_text", "New question", key="q")], key="about")])
    live.save()  # an unpublished edit
    Revision.objects.all().delete()  # even purged revisions cannot change a pinned version

    pinned = FormDefinitionVersion.objects.get(pk=v1.pk)
    builder = FormBuilder(pinned)
    assert [s.title for s in builder.sections()] == ["About"]
    assert builder.summary({"about": {"q": "An answer"}})[0].rows[0].field.label == "Old question"
    assert builder.summary({"about": {"q": "An answer"}})[0].rows[0].value == "An answer"


def test_selectors_list_newest_published_versions_and_request_counts():
    v1 = definition([section("About", [question("short_text", "Name")])], title="ERSA")
    draft_only = definition([section("About", [question("short_text", "Name")])], title="Draft", publish=False)
    draft_only.live = False
    draft_only.save()
    live = v1.definition
    live.version_label = "V2"
    v2 = form_definition_publish(definition=live)
    assert list(latest_versions()) == [v2]
    assert versions_with_request_counts(live) == [(v2, 0), (v1, 0)]
    assert (v1.number, v2.number) == (1, 2)


def test_team_and_type_lists_are_seeded_with_full_names():
    assert [str(team) for team in Team.objects.all()][:3] == [
        "Speech and Language Therapy",
        "Occupational Therapy",
        "Physiotherapy",
    ]
    assert Team.objects.count() == 12 and NeedType.objects.count() == 6
    assert str(Team.objects.get(code="Nursing")) == "Nursing"
    assert str(NeedType.objects.get(code="C&L")) == "Cognition and Learning"
    assert str(NeedType.objects.get(code="PfA")) == "Preparing for Adulthood"


def test_form_designer_group_holds_the_advice_forms_permissions():
    from django.contrib.auth.models import Group

    codenames = set(Group.objects.get(name="Form designer").permissions.values_list("codename", flat=True))
    assert {"publish_formdefinition", "change_formdefinition", "lock_formdefinition", "change_team"} <= codenames
    assert {"add_dropdownlist", "change_needtype", "access_admin"} <= codenames


def test_demo_content_publishes_an_ersa_and_an_appendix_for_each_professional_that_preview(rf, superuser):
    call_command("load_demo_content", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("load_demo_content", stdout=open("/dev/null", "w"))  # noqa: SIM115 - a second run changes nothing
    ersa = FormDefinition.objects.get(kind="ersa")
    appendix_b = FormDefinition.objects.get(kind="appendix_b")
    assert ersa.live and appendix_b.live
    assert [(v.title, v.version_label) for v in FormDefinitionVersion.objects.order_by("title")] == [
        ("Educational advice (Appendix B)", "NOV26"),
        ("Health advice (Appendix D)", "NOV26"),
        ("Psychological advice (Appendix C)", "NOV26"),
        ("Request for an EHC needs assessment (ERSA)", "NOV26"),
        ("Social care advice (Appendix E)", "NOV26"),
    ]
    request = rf.get("/")
    request.user = superuser
    for form in FormDefinition.objects.all():
        for mode, _ in form.preview_modes:
            response = form.serve_preview(request, mode)
            response.render()
            assert response.status_code == 200
    builder = FormBuilder(ersa.latest_version())
    titles = [s.title for s in builder.sections()]
    assert "Outcomes sought" in titles and "Contribution and communication method" in titles
    kinds = {f.type for s in builder.sections() for f in s.fields}
    assert kinds >= {"child_details", "record_outcomes", "record_contacts", "record_contribution"}
    assert not kinds & {"outcomes", "professional_contacts", "views"}, "no copies of the record typed into answers"


@pytest.mark.parametrize("name", ["appendix-c.json", "appendix-d.json", "appendix-e.json"])
def test_each_services_demo_appendix_passes_the_publish_checks_and_asks_for_its_own_advice(name):
    """Imported as a draft, each service's appendix publishes through the checks a designer's publish runs, and asks
    what its professional found, not the school's questions of Appendix B."""
    draft = form_definition_import(raw=demo.form_file(name), lookups=Lookups.CREATE).definition
    assert not draft.live and not draft.versions.exists()
    version = form_definition_publish(definition=draft)
    draft.refresh_from_db()
    assert draft.live and draft.kind == "other_advice" and version.version_label == "NOV26"
    builder = FormBuilder(version)
    titles = [s.title for s in builder.sections()]
    assert titles == [
        "About you and your work with the child",
        "What you found",
        "Outcomes",
        "Provision",
        "Views of the child and family",
        "Declaration",
    ]
    kinds = {f.type for s in builder.sections() for f in s.fields}
    assert kinds >= {"child_details", "record_outcomes", "long_text", "multiple_choice", "date", "declaration"}
    labels = {f.label for s in builder.sections() for f in s.fields}
    assert not labels & {"Name of the school or setting", "Type of setting", "Year group"}


def test_a_form_with_no_sections_cannot_be_published():
    draft = definition([], publish=False)
    with pytest.raises(ValidationError) as raised:
        form_definition_publish(definition=draft)
    assert raised.value.messages == ["Add at least one section: a form with no sections asks nothing"]


def _untitled_draft():
    """A draft as a designer leaves it mid-way: an untitled section with an unlabelled question, so no keys yet."""
    draft = definition(
        [section("", [question("short_text", "")]), section("Views", [question("long_text", "Views")])],
        publish=False,
    )
    check_sections(draft.sections)  # a draft's save settles the keys it can: the titled section's
    draft.save()
    return draft


def test_publishing_by_the_service_refuses_a_section_or_question_without_a_key_and_says_where():
    """The publish was stopped only because each block's own check (title required) happened to run later."""
    draft = _untitled_draft()
    with pytest.raises(ValidationError) as raised:
        form_definition_publish(definition=draft)

    assert UNKEYED_SECTION in raised.value.messages and UNKEYED_QUESTION in raised.value.messages
    check = check_sections(draft.sections, publishing=True)
    assert check.sections[0]["own"]["key"] == {None: UNKEYED_SECTION}
    assert check.sections[0]["fields"][0]["key"] == {None: UNKEYED_QUESTION}
    assert list(check.sections) == [0]  # the titled section's keys are made from its title
    assert not FormDefinitionVersion.objects.exists()


def test_a_revision_without_keys_published_directly_is_refused_and_nothing_goes_live():
    """A publish that skips the checks (a revision's own publish) froze a version keyed "": answers under ""."""
    draft = _untitled_draft()
    revision = draft.save_revision()
    with pytest.raises(UnkeyedVersionError) as raised:
        revision.publish()

    assert str(raised.value) == (
        f"Form definition {draft.pk} was not published: a published version needs a key on every section and "
        "question, and these have none: section 1; section 1, question 1"
    )
    draft.refresh_from_db()
    assert draft.live_revision is None and draft.last_published_at is None  # rolled back, not left half published
    assert not FormDefinitionVersion.objects.exists()
    assert not AuditEntry.objects.filter(action="form_definition.published").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite takes one writer at a time and has no FOR UPDATE")
def test_a_publish_locks_its_definition_before_numbering_the_version(form_designer):
    """Two first publishes at once both read "no version yet" (the versions' lock locked nothing) and took number 1;
    one failed on the unique constraint with a server error. Locking the definition's row makes the second wait."""
    draft = definition([section("About", [question("short_text", "Name")])], publish=False)

    with CaptureQueriesContext(connection) as queries:
        form_definition_publish(definition=draft, user=form_designer)

    sql = [query["sql"] for query in queries.captured_queries]
    lock = next(i for i, q in enumerate(sql) if 'FROM "advice_forms_formdefinition"' in q and "FOR UPDATE" in q)
    last_number = '"number" AS "number" FROM "advice_forms_formdefinitionversion"'
    numbered = next(i for i, q in enumerate(sql) if last_number in q and "DESC" in q)
    assert lock < numbered


def test_each_publish_is_audited_with_the_definition_and_its_new_version(form_designer):
    draft = definition([section("About", [question("short_text", "Name")])], version_label="NOV22", publish=False)
    version = form_definition_publish(definition=draft, user=form_designer)
    entry = AuditEntry.objects.get(action="form_definition.published")
    assert (entry.actor, entry.target_id, entry.reason) == (form_designer, str(draft.pk), "")
    assert entry.data == {"form_version": version.pk, "number": 1, "version_label": "NOV22"}


def test_a_first_publish_scheduled_for_later_freezes_its_version_when_it_goes_live_once(form_designer):
    """Wagtail sends `published` for a first publish scheduled for later, though nothing goes live: a version was
    frozen (and audited as published) then, and again when the schedule ran."""
    draft = definition([section("About", [question("short_text", "Name")])], publish=False)
    check_sections(draft.sections)  # the keys, as the admin's save gives them
    go_live = timezone.now() + timedelta(hours=1)
    draft.go_live_at = go_live
    draft.save_revision(user=form_designer).publish(user=form_designer)
    draft.refresh_from_db()
    assert not draft.live
    assert not FormDefinitionVersion.objects.filter(definition=draft).exists()
    assert not AuditEntry.objects.filter(action="form_definition.published").exists()

    with time_machine.travel(go_live + timedelta(minutes=1)):
        call_command("publish_scheduled")
    draft.refresh_from_db()
    assert draft.live
    assert FormDefinitionVersion.objects.filter(definition=draft).count() == 1
    assert AuditEntry.objects.filter(action="form_definition.published").count() == 1


def test_an_option_or_a_column_without_a_value_never_takes_from_its_place_one_typed_later():
    """[an Arabic option with no value, an option typed "option_1"] was refused: "Two options share the value
    “option_1”", a value the designer never typed. Columns likewise."""
    arabic = [{"label": "نعم"}, {"label": "Other", "value": "option_1"}]
    columns = [{"label": "مدرسة", "kind": "text"}, {"label": "Other", "kind": "text", "key": "column_1"}]
    version = definition(
        [
            section(
                "Ваш ребёнок",
                [
                    question("single_choice", "Да или нет?", key="yes_no", options=arabic),
                    question("table", "Школы", key="schools", item_name="row", columns=columns),
                ],
            )
        ]
    )

    choice, table = FormBuilder(version).sections()[0].questions()
    assert [o["value"] for o in choice.options["options"]] == ["option_1_2", "option_1"]
    assert [c["key"] for c in table.options["columns"]] == ["column_1_2", "column_1"]
