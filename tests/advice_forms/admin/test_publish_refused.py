"""A refused "Publish" in the form definition editor says plainly that nothing was published and why: on the edit
page what was posted is saved as a draft ("Saved as a draft. Not published: …", then the problems one an item, each a
link to its place), drawn again with each problem beside
its question and nothing left unsaved (so Wagtail's autosave does not run and show "Saved" over a refusal); when a
draft is refused too, or on the add page, nothing is saved and the page says "Not published"."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from advice_forms.models import FormDefinition, FormDefinitionVersion
from tests.advice_forms.admin.form_data import definition_post, field, section
from tests.advice_forms.admin.test_form_design import errors_for, field_errors
from tests.factories.advice_forms import definition, dropdown_list, question
from tests.factories.advice_forms import section as stored_section

pytestmark = pytest.mark.django_db

URLS = "wagtailsnippets_advice_forms_formdefinition"
FORCED_AUTOSAVE = 'data-w-unsaved-force-value="true"'  # Wagtail's mark of a page holding unsaved changes


def _draft():
    draft = definition(
        [stored_section("About the child", [question("short_text", "Name", key="name")], key="about")],
        title="School form",
        publish=False,
    )
    draft.save_revision()
    return draft


def _messages(response):
    return [" ".join(BeautifulSoup(str(message), "html.parser").get_text(" ").split()) for message in _said(response)]


def _said(response):
    return list(response.context["messages"])


def _listed(response):
    """The refusal's problems, each (the place it links to, its words); "" where it links nowhere."""
    page = BeautifulSoup(str(_said(response)[-1]), "html.parser")
    return [
        ((li.a["href"] if li.a else ""), li.get_text(" ", strip=True)) for li in page.select("ul.publish-problems li")
    ]


def _publish(client, draft, fields, *, title="School form", version_label="V1", quick_add=""):
    sections = [("section", section("About the child", fields, key="about", quick_add=quick_add), "")]
    post = definition_post(title=title, version_label=version_label, sections=sections, publish=True)
    return client.post(reverse(f"{URLS}:edit", args=[draft.pk]), post)


CLASHING = [
    ("long_text", field("What does the child enjoy?", key="enjoys", max_length="500"), ""),
    ("long_text", field("What do they find hard?", key="hard", max_length="500"), ""),
]


def test_a_refused_publish_is_saved_as_a_draft_and_says_it_was_not_published_and_why(designer_client):
    draft = _draft()
    revisions = draft.revisions.count()

    response = _publish(designer_client, draft, CLASHING, title="School form, autumn")

    assert response.status_code == 200
    assert _messages(response) == [
        "Saved as a draft. Not published: fix these problems, then publish again. Section 1 “About the child”: “What "
        "does the child enjoy?” and “What do they find hard?” both say “Enter an answer” when not answered: give each "
        "its own message"
    ]
    assert _listed(response) == [
        (
            "#sections-0-value-fields-0-value-error_message",
            "Section 1 “About the child”: “What does the child enjoy?” and “What do they find hard?” both say “Enter "
            "an answer” when not answered: give each its own message",
        )
    ]
    assert "could not be saved" not in response.content.decode()
    # The draft holds what was posted; nothing was published.
    saved = FormDefinition.objects.get(pk=draft.pk)
    assert saved.revisions.count() == revisions + 1
    latest = saved.get_latest_revision_as_object()
    assert latest.title == "School form, autumn"
    assert [f.value["label"] for f in latest.sections[0].value["fields"]] == [
        "What does the child enjoy?",
        "What do they find hard?",
    ]
    assert not FormDefinitionVersion.objects.exists()
    # Each problem beside its question's "Message when not answered"; the page holds nothing unsaved to autosave.
    assert set(field_errors(response)) == {0, 1}
    assert "What do they find hard?” on this page also says" in str(field_errors(response)[0])
    assert FORCED_AUTOSAVE not in response.content.decode()
    assert f'name="revision_id" value="{saved.latest_revision_id}"' in response.content.decode()


def test_questions_a_quick_add_box_made_are_drawn_with_their_problems_and_the_box_emptied(designer_client):
    """The publish's problems are placed by the saved sections, quick-added questions included: those are drawn, the
    box empty, so each problem shows beside its question and the next save does not add them twice."""
    empty = dropdown_list("Languages", [])
    draft = _draft()

    response = _publish(
        designer_client,
        draft,
        [("short_text", field("Name", key="name", max_length="100"), "")],
        quick_add="choice from Languages: First language",
    )

    assert response.status_code == 200
    assert _messages(response) == [
        "Added 1 question from the “Add questions” boxes.",
        "Saved as a draft. Not published: fix these problems, then publish again. Section 1 “About the child”, "
        "“First language”: The dropdown list “Languages” has no options yet: add some to it, or pick another list",
    ]
    assert [href for href, _words in _listed(response)] == ["#sections-0-value-fields-1-value-label"]
    assert list(field_errors(response)) == [1]
    shown = response.context["form"]["sections"].value()[0].value
    assert [f.value["label"] for f in shown["fields"]] == ["Name", "First language"]
    assert shown["quick_add"] == ""
    stored = FormDefinition.objects.get(pk=draft.pk).get_latest_revision_as_object().sections[0].value
    assert stored["fields"][1].value["dropdown_list"] == empty and stored["quick_add"] == ""


def test_a_taken_version_label_is_named_in_the_refusal(designer_client):
    draft = _draft()
    FormDefinition.objects.get(pk=draft.pk).save_revision().publish()

    response = _publish(designer_client, draft, [("short_text", field("Name", key="name", max_length="100"), "")])

    assert _listed(response) == [
        (
            "#id_version_label",
            "Version label: Version 1 of this form is already called “V1”: give this version a new label before "
            "publishing it, e.g. the month and year",
        )
    ]
    assert FormDefinitionVersion.objects.filter(definition=draft).count() == 1


def test_a_publish_a_draft_would_refuse_too_saves_nothing_and_says_not_published(designer_client):
    draft = _draft()
    revisions = draft.revisions.count()
    twice = [
        ("short_text", field("Name", key="name", max_length="100"), ""),
        ("short_text", field("Other name", key="name", max_length="100"), ""),
    ]

    response = _publish(designer_client, draft, twice)

    assert _messages(response) == [
        "Not published. What you typed is still on this page: fix these problems, then publish again. Section 1 “About "
        "the child”, “Other name”: Another question in this form already uses the key “name” (“Name” in section 1); "
        "each key must be unique"
    ]
    assert [href for href, _words in _listed(response)] == ["#sections-0-value-fields-1-value-key"]
    assert FormDefinition.objects.get(pk=draft.pk).revisions.count() == revisions
    assert "Other name" in response.content.decode()
    assert errors_for(response)


def test_a_refused_publish_on_the_add_page_says_nothing_was_saved(designer_client):
    post = definition_post(
        title="Clashing",
        version_label="V1",
        sections=[("section", section("About the child", CLASHING, key="about"), "")],
        publish=True,
    )

    response = designer_client.post(reverse(f"{URLS}:add"), post)

    assert _messages(response) == [
        "Not published, and not saved yet. What you typed is still on this page: fix these problems, then publish "
        "again. Section 1 “About the child”: “What does the child enjoy?” and “What do they find hard?” both say "
        "“Enter an answer” when not answered: give each its own message"
    ]
    assert not FormDefinition.objects.exists()


def test_a_blank_label_hides_no_other_problem_and_every_problem_links_to_its_box(designer_client):
    """Wagtail's own check of a blank label refused the sections before the form's checks ran: a key used twice in
    another section, and a new empty section, were not said, and the list read "A section has a problem"."""
    draft = _draft()
    sections = [
        ("section", section("About the child", [("short_text", field("", key="name", max_length="100"), "")]), ""),
        (
            "section",
            section(
                "Family",
                [
                    ("short_text", field("Parent", key="parent", max_length="100"), ""),
                    ("short_text", field("Carer", key="parent", max_length="100"), ""),
                ],
            ),
            "",
        ),
        ("section", section("", []), ""),
    ]
    post = definition_post(title="School form", version_label="V1", sections=sections, publish=True)

    response = designer_client.post(reverse(f"{URLS}:edit", args=[draft.pk]), post)

    assert _listed(response) == [
        ("#sections-0-value-fields-0-value-label", "Section 1 “About the child”, question 1: Enter the question"),
        (
            "#sections-1-value-fields-1-value-key",
            "Section 2 “Family”, “Carer”: Another question in this form already uses the key “parent” (“Parent” in "
            "section 2); each key must be unique",
        ),
        (
            "#sections-2-value-key",
            "Section 3: This section has no key yet: give it a title (its key is made from the title), or type a key",
        ),
        ("#sections-2-value-title", "Section 3: This section is empty: add a question or some guidance to it"),
        ("#sections-2-value-title", "Section 3: Enter a title for the section"),
    ]
    # Beside the boxes too: the blank label's own error and the key's.
    assert field_errors(response, 0)[0]["blockErrors"]["label"]["messages"] == ["Enter the question"]
    assert "already uses the key" in field_errors(response, 1)[1]["blockErrors"]["key"]["messages"][0]


REFUSED_SECTIONS = {
    "the form's own check": [
        ("short_text", field("Name", key="name", max_length="100"), ""),
        ("short_text", field("Other name", key="name", max_length="100"), ""),
    ],
    "Wagtail's check of a block": [("short_text", field("", key="name", max_length="100"), "")],
    "a clash of messages": CLASHING,
    "an empty section, refused by a publish alone": [],
}


@pytest.mark.parametrize(
    "fields, quick_add",
    [*((fields, "") for fields in REFUSED_SECTIONS.values()), ([], "riddle: What walks on four legs?")],
    ids=[*REFUSED_SECTIONS, "a quick-add line it cannot read"],
)
def test_every_refusal_of_the_sections_lists_each_problem_at_its_place(designer_client, fields, quick_add):
    """Whatever refused the sections, the form lists each problem naming its place and linking to it: the view's
    generic "A section has a problem, shown beside it" line, for a refusal the form had not listed, is gone."""
    draft = _draft()

    response = _publish(designer_client, draft, fields, quick_add=quick_add)

    listed = _listed(response)
    assert listed
    assert all(href.startswith("#sections-0-value-") and words.startswith("Section 1 ") for href, words in listed)


def test_a_form_with_no_sections_lists_the_problem(designer_client):
    draft = _draft()
    post = definition_post(title="School form", version_label="V1", sections=[], publish=True)

    response = designer_client.post(reverse(f"{URLS}:edit", args=[draft.pk]), post)

    assert _listed(response) == [("", "Add at least one section: a form with no sections asks nothing")]


def test_a_refused_autosave_says_so_in_plain_words(designer_client):
    """Wagtail's "There are validation errors, click save to highlight them." stayed in the editor's footer bar
    beside a refused Publish's problems."""
    draft = _draft()
    twice = [
        ("short_text", field("Name", key="name", max_length="100"), ""),
        ("short_text", field("Other name", key="name", max_length="100"), ""),
    ]
    sections = [("section", section("About the child", twice, key="about"), "")]
    post = definition_post(title="School form", version_label="V1", sections=sections)

    response = designer_client.post(reverse(f"{URLS}:edit", args=[draft.pk]), post, HTTP_ACCEPT="application/json")

    assert response.json()["error_message"] == (
        "Not saved automatically: this form has problems. Save draft to see each beside its question"
    )
