"""Two questions of one page that would say the same words when not answered: publishing is refused beside each
question's "Message when not answered"; a draft is saved, with a warning; questions that never show together may
share words; the demo forms pass."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse

from advice_forms import demo
from advice_forms.models import FormDefinition, FormDefinitionVersion, FormKind
from advice_forms.services.definitions import form_definition_publish
from tests.advice_forms.admin.form_data import definition_post, field, section
from tests.advice_forms.admin.test_form_design import errors_for, field_errors
from tests.factories.advice_forms import definition, question
from tests.factories.advice_forms import section as stored_section

pytestmark = pytest.mark.django_db

URLS = "wagtailsnippets_advice_forms_formdefinition"


def text(label, **extra):
    return field(label, max_length="500", **extra)


def page_sections(*fields):
    return [("section", section("About the child", list(fields), key="about"), "")]


CLASHING = page_sections(
    ("long_text", text("What does the child enjoy?", key="enjoys"), ""),
    ("yes_no", field("Is the child looked after?", key="looked_after"), ""),
    ("long_text", text("What do they find hard?", key="hard"), ""),
    ("short_text", text("Which council", key="council", error_message="Enter the council"), ""),
    ("short_text", text("Council's name", key="council_name", error_message="Enter the council"), ""),
    ("long_text", text("Anything else?", key="else", required=False), ""),
)


def message_errors(response):
    fields = field_errors(response)
    return {int(index): errors["blockErrors"]["error_message"]["messages"] for index, errors in fields.items()}


def test_publishing_refuses_two_questions_of_a_page_with_one_message_beside_each(designer_client):
    """The page's error summary would list "Enter an answer" twice, and "Enter the council" twice."""
    post = definition_post(title="Clashing", version_label="V1", sections=CLASHING, publish=True)
    response = designer_client.post(reverse(f"{URLS}:add"), post)

    assert response.status_code == 200
    tail = "when not answered: give each question its own message here, so the page's error summary says which "
    tail += "question each error is about"
    assert message_errors(response) == {
        0: [f"“What do they find hard?” on this page also says “Enter an answer” {tail}"],
        2: [f"“What does the child enjoy?” on this page also says “Enter an answer” {tail}"],
        3: [f"“Council's name” on this page also says “Enter the council” {tail}"],
        4: [f"“Which council” on this page also says “Enter the council” {tail}"],
    }
    assert not FormDefinition.objects.exists() and not FormDefinitionVersion.objects.exists()
    assert "What does the child enjoy?" in response.content.decode()  # what the designer typed is still there


def test_a_draft_with_clashing_messages_is_saved_and_the_designer_told(designer_client):
    post = definition_post(title="Clashing", version_label="V1", sections=CLASHING)
    response = designer_client.post(reverse(f"{URLS}:add"), post, follow=True)

    assert response.status_code == 200
    draft = FormDefinition.objects.get(title="Clashing")
    assert draft.latest_revision is not None and not draft.live
    # A short list, each clash a line linking to its first question, not one paragraph of them all.
    page = BeautifulSoup(response.content, "html.parser")
    assert "Saved, but it cannot be published yet. Fix these:" in page.get_text()
    assert [(a["href"], a.get_text(" ", strip=True)) for a in page.select("ul.publish-problems a")] == [
        (
            "#sections-0-value-fields-0-value-error_message",
            "Section 1 “About the child”: “What does the child enjoy?” and “What do they find hard?” both say “Enter "
            "an answer” when not answered: give each its own message",
        ),
        (
            "#sections-0-value-fields-3-value-error_message",
            "Section 1 “About the child”: “Which council” and “Council's name” both say “Enter the council” when not "
            "answered: give each its own message",
        ),
    ]


def test_questions_that_never_show_together_may_share_words_and_publish(designer_client):
    shared = {"error_message": "Enter the details", "max_length": "500"}
    sections = page_sections(
        ("yes_no", field("Is the child looked after?", key="looked_after"), ""),
        (
            "long_text",
            field("Who looks after them", condition={"field_key": "looked_after", "value": "yes"}, **shared),
            "",
        ),
        (
            "long_text",
            field("Who they live with", condition={"field_key": "looked_after", "value": "no"}, **shared),
            "",
        ),
    )
    post = definition_post(title="Either", version_label="V1", sections=sections, publish=True)
    response = designer_client.post(reverse(f"{URLS}:add"), post)

    assert response.status_code == 302, errors_for(response)
    assert FormDefinition.objects.get(title="Either").live


def test_the_publish_service_refuses_them_too_and_the_demo_forms_publish():
    draft = definition(
        [
            stored_section(
                "Evidence",
                [question("file", "Support plan", key="plan"), question("file", "Provision map", key="map")],
                key="evidence",
            )
        ],
        publish=False,
    )
    with pytest.raises(ValidationError) as refused:
        form_definition_publish(definition=draft)
    assert refused.value.messages == [
        "Give each question its own message: in “Evidence”, “Support plan” and “Provision map” both say “Select a PDF "
        "file to upload” when not answered"
    ]
    assert not FormDefinitionVersion.objects.exists()

    demo.load(io.StringIO())  # publishes every demo form (the ERSA and Appendices B to E) through the same service
    assert FormDefinitionVersion.objects.filter(definition__kind__in=[FormKind.ERSA, FormKind.APPENDIX_B]).count() == 2
    assert FormDefinitionVersion.objects.count() == len(demo.FORM_FILES) == 5
