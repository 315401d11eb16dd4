"""A refused "Publish" in a real Chromium: the page says the form was saved as a draft and not published, and why,
with the problem beside each question, where Wagtail used to say "could not be saved due to errors" while its autosave
showed "Saved" beside it; the problems are listed one an item, each a link to its question; the problem fixed,
Publish goes through from that page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from advice_forms.models import FormDefinition
from tests.browser.editor import sign_in_to_editor
from tests.factories.advice_forms import definition, question, section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _publish(page):
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.get_by_role("button", name="Publish", exact=True).click()


def test_a_refused_publish_says_saved_as_a_draft_not_published_and_why_then_publishes_once_fixed(
    live_server, client, page
):
    draft = definition(
        [
            section(
                "About the child",
                [
                    question("long_text", "What does the child enjoy?", key="enjoys", max_length=500),
                    question("long_text", "What do they find hard?", key="hard", max_length=500),
                ],
                key="about",
            )
        ],
        title="School form",
        publish=False,
    )
    draft.save_revision()
    sign_in_to_editor(page, client, live_server)
    page.goto(live_server.url + reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[draft.pk]))

    _publish(page)

    messages = page.locator(".messages")
    expect(messages).to_contain_text(
        "Saved as a draft. Not published: fix these problems, then publish again.", timeout=30000
    )
    # One problem an item, each a link to the question it names, as GOV.UK's error summary.
    problems = messages.locator("ul.publish-problems li")
    expect(problems).to_have_text(
        [
            "Section 1 “About the child”: “What does the child enjoy?” and “What do they find hard?” both say "
            "“Enter an answer” when not answered: give each its own message"
        ]
    )
    expect(problems.get_by_role("link")).to_have_attribute("href", "#sections-0-value-fields-0-value-error_message")
    expect(messages).not_to_contain_text("could not be saved")
    beside = page.locator(".error-message", has_text="on this page also says “Enter an answer”")
    expect(beside).to_have_count(2)
    assert not FormDefinition.objects.get(pk=draft.pk).versions.exists()

    page.locator("#sections-0-value-fields-0-value-error_message").fill("Enter what the child enjoys")
    _publish(page)

    expect(messages).to_contain_text("published", timeout=30000)
    version = FormDefinition.objects.get(pk=draft.pk).latest_version()
    assert version.content[0]["value"]["fields"][0]["value"]["error_message"] == "Enter what the child enjoys"
    page.goto("about:blank")  # stop the editor's pings before the test database is emptied
