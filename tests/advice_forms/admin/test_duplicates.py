"""Wagtail's "Duplicate" on a section or a question: the copy saves with fresh keys, its conditions re-pointed inside
the copy, and the original (published) keys never change."""

import copy
import io
import uuid

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from advice_forms import demo
from advice_forms.blocks import condition_rules
from advice_forms.models import FormDefinition
from bench.definition_post import block_form_value, definition_post, stream

pytestmark = pytest.mark.django_db

URLS = "wagtailsnippets_advice_forms_formdefinition"


def duplicated(form_value):
    """A block's posted value as Wagtail's Duplicate makes it: the same, with a new id on every nested block."""
    value = copy.deepcopy(form_value)

    def walk(node):
        if isinstance(node, dict):
            if {"id", "deleted", "order"} <= set(node):
                node["id"] = str(uuid.uuid4())
            for item in node.values():
                walk(item)

    walk(value)
    return value


def posted_sections(definition):
    return [(child.block_type, block_form_value(child.block, child.value), child.id) for child in definition.sections]


def save(client, definition, sections, *, label, publish=True):
    data = definition_post(
        title=definition.title,
        kind=definition.kind,
        version_label=label,
        description=definition.description,
        sections=sections,
        publish=publish,
    )
    return client.post(reverse(f"{URLS}:edit", args=[definition.pk]), data)


def field_keys(sections):
    return [f.value["key"] for s in sections for f in s.value["fields"] if f.block_type != "guidance"]


@pytest.fixture
def ersa(db):
    demo.load(io.StringIO())
    return FormDefinition.objects.get(kind="ersa")


def test_a_duplicated_parent_section_publishes_with_fresh_keys_and_conditions_pointing_inside_the_copy(
    designer_client, ersa
):
    v1 = ersa.latest_version()
    published = field_keys(v1.sections)
    sections = posted_sections(ersa)
    first = next(i for i, (_t, value, _id) in enumerate(sections) if value["key"] == "parent_1")
    block_type, value, block_id = sections[first]
    sections.insert(first + 1, (block_type, duplicated(value), str(uuid.uuid4())))

    response = save(designer_client, ersa, sections, label="DEC26")

    assert response.status_code == 302, response.context["form"].errors if response.context else response
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert (
        "The copied section or question got 15 new keys, made from its labels; conditions inside a copied "
        "section now use the copy's questions." in said
    )
    v2 = ersa.latest_version()
    assert v2.number == 2
    original, copied = v2.sections[first], v2.sections[first + 1]
    # The original and every other published key are untouched.
    assert original.value["key"] == "parent_1"
    assert [f.value["key"] for f in original.value["fields"]] == [
        f.value["key"] for f in v1.sections[first].value["fields"]
    ]
    keys = field_keys(v2.sections)
    assert set(published) <= set(keys)
    assert len(keys) == len(set(keys)), "every key in the form is unique"
    # The copy: a fresh section key and fresh question keys, made from the labels.
    assert copied.value["key"] not in {s.value["key"] for s in v1.sections}
    copy_keys = {f.value["label"]: f.value["key"] for f in copied.value["fields"]}
    assert not set(copy_keys.values()) & set(published)
    assert copy_keys["Full name"].startswith("full_name")
    # Its conditions name its own questions, not the original's.
    by_label = {f.value["label"]: f.value for f in copied.value["fields"]}
    assert condition_rules(by_label["The relationship, in your words"]["condition"]) == [
        {"field_key": copy_keys["Relationship to the child or young person"], "operator": "is", "value": "other"}
    ]
    assert (
        condition_rules(by_label["Their address"]["condition"])[0]["field_key"]
        == copy_keys["Do they live at the child's address?"]
    )
    # The original's conditions still name the original's questions.
    original_address = next(f for f in original.value["fields"] if f.value["label"] == "Their address")
    assert condition_rules(original_address.value["condition"])[0]["field_key"] == "parent_1_same_address"


def test_the_copy_keeps_its_fresh_keys_when_saved_again(designer_client, ersa):
    sections = posted_sections(ersa)
    first = next(i for i, (_t, value, _id) in enumerate(sections) if value["key"] == "parent_1")
    block_type, value, _ = sections[first]
    sections.insert(first + 1, (block_type, duplicated(value), str(uuid.uuid4())))
    assert save(designer_client, ersa, sections, label="DEC26", publish=False).status_code == 302
    ersa.refresh_from_db()
    draft = ersa.get_latest_revision_as_object()
    saved = field_keys(draft.sections)

    assert save(designer_client, ersa, posted_sections(draft), label="DEC26").status_code == 302

    assert field_keys(ersa.latest_version().sections) == saved


def test_a_duplicated_question_gets_a_fresh_key(designer_client, ersa):
    sections = posted_sections(ersa)
    first = next(i for i, (_t, value, _id) in enumerate(sections) if value["key"] == "parent_1")
    fields = sections[first][1]["fields"]
    name = fields["0"]
    assert name["value"]["key"] == "parent_1_name"
    items = [
        (fields[str(i)]["type"], fields[str(i)]["value"], fields[str(i)]["id"]) for i in range(int(fields["count"]))
    ]
    items.insert(1, (name["type"], duplicated(name["value"]), str(uuid.uuid4())))
    sections[first][1]["fields"] = stream(items)

    # A draft: publishing the copy as it is would be refused, as both questions say "Enter the full name".
    response = save(designer_client, ersa, sections, label="DEC26", publish=False)

    assert response.status_code == 302
    ersa.refresh_from_db()
    keys = [f.value["key"] for f in ersa.get_latest_revision_as_object().sections[first].value["fields"]]
    assert keys[0] == "parent_1_name"
    assert keys[1] == "full_name"


def test_a_new_question_typed_with_another_questions_key_is_still_refused(designer_client, ersa):
    sections = posted_sections(ersa)
    first = next(i for i, (_t, value, _id) in enumerate(sections) if value["key"] == "parent_1")
    fields = sections[first][1]["fields"]
    other = duplicated(fields["0"]["value"])
    other["label"] = "Their other name"
    items = [
        (fields[str(i)]["type"], fields[str(i)]["value"], fields[str(i)]["id"]) for i in range(int(fields["count"]))
    ]
    items.insert(1, ("short_text", other, ""))
    sections[first][1]["fields"] = stream(items)

    response = save(designer_client, ersa, sections, label="DEC26")

    assert response.status_code == 200
    errors = response.context["form"].errors["sections"].as_data()[0].as_json_data()
    fields = errors["blockErrors"][first]["blockErrors"]["fields"]["blockErrors"]
    assert fields[1]["blockErrors"]["key"]["messages"] == [
        "Another question in this form already uses the key “parent_1_name” (“Full name” in section 3); each "
        "key must be unique"
    ]
    assert ersa.versions.count() == 1


def test_an_autosave_of_a_copy_leaves_its_keys_to_the_designers_own_save(designer_client, ersa):
    """Wagtail's autosave answers with JSON and leaves the editor's keys as they are: had it rekeyed the copy, the
    copy's ids would be known with keys the page never shows, and the designer's own save would clash with them."""
    sections = posted_sections(ersa)
    first = next(i for i, (_t, value, _id) in enumerate(sections) if value["key"] == "parent_1")
    block_type, value, _ = sections[first]
    sections.insert(first + 1, (block_type, duplicated(value), str(uuid.uuid4())))
    data = definition_post(
        title=ersa.title, kind=ersa.kind, version_label="DEC26", description=ersa.description, sections=sections
    )
    revisions = ersa.revisions.count()

    autosaved = designer_client.post(reverse(f"{URLS}:edit", args=[ersa.pk]), data, HTTP_ACCEPT="application/json")

    assert autosaved.status_code == 400  # the copy's keys clash: not saved, so its ids stay unknown
    assert ersa.revisions.count() == revisions
    response = designer_client.post(reverse(f"{URLS}:edit", args=[ersa.pk]), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    ersa.refresh_from_db()
    keys = field_keys(ersa.get_latest_revision_as_object().sections)
    assert len(keys) == len(set(keys))
