"""The links of the editor's list of problems (after a "Save draft", or a refused "Publish") lead to their place in a
real Chromium: the question is opened with the collapsed panels around it, scrolled to and focused. The browser opened
a section Wagtail draws collapsed, but its scroll to the question stopped as the section's boxes were first drawn: the
page stayed at the top, the question far out of sight."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.editor import PANEL_OF_TOGGLE, block_holding, open_block, sign_in_to_editor
from tests.factories.advice_forms import definition, question, section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LABEL = "#sections-1-value-fields-0-value-label"
MESSAGE = "#sections-1-value-fields-0-value-error_message"  # where a clash of messages is said


def _saved_with_a_problem_in_the_second_section(page, client, live_server):
    draft = definition(
        [
            section("About the child", [question("short_text", "Name", key="name", max_length=100)], key="about"),
            section(
                "Family",
                [
                    question("long_text", "Who lives at home?", key="home", max_length=500),
                    question("long_text", "Who helps at home?", key="helps", max_length=500),
                ],
                key="family",
            ),
        ],
        title="School form",
        publish=False,
    )
    draft.save_revision()
    sign_in_to_editor(page, client, live_server)
    page.goto(live_server.url + reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[draft.pk]))
    page.get_by_role("button", name="Save draft").click()
    link = page.locator("ul.publish-problems a", has_text="“Who lives at home?” and “Who helps at home?”")
    expect(link).to_have_attribute("href", MESSAGE, timeout=30000)
    return link


def _goes_to_the_field(page, link):
    link.click()

    field = page.locator(MESSAGE)
    expect(field).to_be_visible()
    expect(field).to_be_focused()
    expect(field).to_be_in_viewport()
    page.goto("about:blank")  # stop the editor's pings before the test database is emptied


def test_a_problems_link_opens_the_collapsed_section_and_goes_to_the_field(live_server, client, page):
    link = _saved_with_a_problem_in_the_second_section(page, client, live_server)
    expect(page.locator(LABEL)).to_be_hidden()  # its section is drawn closed

    _goes_to_the_field(page, link)


def test_a_problems_link_opens_a_question_closed_inside_a_closed_section(live_server, client, page):
    link = _saved_with_a_problem_in_the_second_section(page, client, live_server)
    section_block = block_holding(page, "#sections-1-value-title")
    open_block(section_block)
    question_toggle = block_holding(page, LABEL).locator("button.w-panel__toggle").first
    expect(question_toggle.locator(PANEL_OF_TOGGLE)).to_have_js_property("collapsibleInitialised", True)
    question_toggle.click()
    section_block.locator("button.w-panel__toggle").first.click()
    expect(page.locator("[hidden]").filter(has=page.locator(LABEL))).to_have_count(2)

    _goes_to_the_field(page, link)
