"""The form definition editor's overview (Wagtail's minimap, on the right) lists the form's own settings, its sections
and their questions (advice_forms/static/advice_forms/overview.js). Wagtail listed every panel: each question's
condition ("all of these rules are…"), each option, table column and rule as well, 746 entries for a 250-question
definition, which the minimap read and drew again after each panel was drawn (docs/performance.md)."""

import uuid

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.editor import PANEL_OF_TOGGLE, block_holding, open_block, sign_in_to_editor, slid_open
from tests.factories.advice_forms import column, definition, question, section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOWN_WHEN_YES = {"match": "all", "rules": [{"field_key": "interpreter", "operator": "is", "value": "yes"}]}
OPTIONS = [{"label": "Often", "value": "often"}, {"label": "Sometimes", "value": "sometimes"}]
ENTRIES = "() => [...document.querySelectorAll('.w-minimap-item .w-minimap-item__text')].map((e) => e.textContent)"


def _identified(block):
    """A block with its id, as the editor saves it: Wagtail's minimap tells its entries apart by the panels' ids."""
    return {**block, "id": str(uuid.uuid4())}


def _sections():
    sections = [
        section(
            "About the family",
            [
                question("yes_no", "Interpreter needed?", key="interpreter"),
                question("short_text", "Which language", key="language", condition=SHOWN_WHEN_YES),
                question("single_choice", "How often", key="how_often", options=OPTIONS),
                question("table", "Schools", key="schools", columns=[column("School"), column("From", "date")]),
            ],
            key="family",
        ),
        section("Views", [question("long_text", "Their views", key="views")], key="views", condition=SHOWN_WHEN_YES),
    ]
    for block in sections:
        block["value"]["fields"] = [_identified(field) for field in block["value"]["fields"]]
    return [_identified(block) for block in sections]


def _entries(page, count):
    expect(page.locator(".w-minimap-item")).to_have_count(count, timeout=30000)
    page.wait_for_timeout(300)  # the minimap's update is debounced by 100 ms: nothing more comes
    return [text.rstrip("…") for text in page.evaluate(ENTRIES)]


def test_the_overview_lists_the_sections_and_questions_only(live_server, home_page, client, page):
    draft = definition(_sections(), title="Kestrelford ERSA", publish=False)
    sign_in_to_editor(page, client, live_server)
    page.goto(live_server.url + reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[draft.pk]))
    last = block_holding(page, "#sections-1-value-title").locator("button.w-panel__toggle").first
    expect(last.locator(PANEL_OF_TOGGLE)).to_have_js_property("collapsibleInitialised", True, timeout=30000)

    # The form's settings, then each section followed by its questions (Wagtail cuts a label at 22 characters).
    entries = _entries(page, 10)
    assert entries[3:] == [
        "About the family",
        "Interpreter needed?",
        "Which language",
        "How often",
        "Schools",
        "Views",
        "Their views",
    ]
    # The conditions, options and columns keep their panels and their links; they are only not listed.
    conditions = page.locator("[id$='-value-condition-section'] > .w-panel__header > .w-panel__anchor--prefix")
    assert conditions.count() >= 6
    assert page.locator("[id$='-value-condition-section'] > .w-panel__header > [data-panel-anchor]").count() == 0
    assert page.locator("[data-panel-anchor]").count() == 10

    # A question duplicated is listed once more, its condition and options not; moved, it is still listed (Wagtail's
    # minimap keeps its order until a panel is next set up).
    family = block_holding(page, "#sections-0-value-title")
    open_block(family)
    choice = block_holding(page, "input[name='sections-0-value-fields-2-type']")
    choice.locator(":scope > section > .w-panel__header [data-streamfield-action='DUPLICATE']").click()
    slid_open(page, block_holding(page, "input[name='sections-0-value-fields-4-type']"))  # the copy
    assert _entries(page, 11).count("How often") == 2
    choice.locator(":scope > section > .w-panel__header [data-streamfield-action='MOVE_UP']").click()
    page.wait_for_timeout(300)
    assert _entries(page, 11).count("How often") == 2

    # An entry still links to its question's panel.
    table = block_holding(page, "input[name='sections-0-value-fields-3-type']").locator(":scope > section")
    entry = page.locator(".w-minimap-item", has_text="Schools")
    assert entry.get_attribute("href") == "#" + table.get_attribute("id")
    page.goto("about:blank")  # stop the editor's pings before the test database is emptied
