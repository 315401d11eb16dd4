"""A form definition's sections in Wagtail's editor, in a real Chromium: they start collapsed, so a long form stays
quick to open (README, "Form definitions of any size"); a section holding an error opens to show it, the error said
once. What the refused page holds, Wagtail's autosave keeps as a draft; the line corrected, Publish goes through."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from advice_forms.models import FormDefinition
from tests.browser.editor import PANEL_OF_TOGGLE, block_holding, open_block, sign_in_to_editor
from tests.factories.advice_forms import definition, question, section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLES = ["About the child", "Family", "Health", "School", "Views"]
BAD_LINE = "widgets of nothing: bad line\nsentence: another bad line"


def _toggle(page, index):
    toggle = block_holding(page, f"#sections-{index}-value-title").locator("button.w-panel__toggle").first
    # The template says aria-expanded="true" until Wagtail has decided: ask only once it has.
    expect(toggle.locator(PANEL_OF_TOGGLE)).to_have_js_property("collapsibleInitialised", True, timeout=30000)
    return toggle


def _autosave(response):
    request = response.request
    return (
        request.method == "POST" and "application/json" in request.headers.get("accept", "") and "/edit/" in request.url
    )


def test_sections_start_collapsed_and_one_with_an_error_opens_to_show_it(live_server, home_page, client, page):
    draft = definition(
        [
            section(title, [question("short_text", f"{title}: notes", key=f"notes_{n}")], key=f"s{n}")
            for n, title in enumerate(TITLES)
        ],
        title="Kestrelford ERSA",
        publish=False,
    )
    sign_in_to_editor(page, client, live_server)
    edit_url = live_server.url + reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[draft.pk])
    page.goto(edit_url)

    for index in range(len(TITLES)):
        expect(_toggle(page, index)).to_have_attribute("aria-expanded", "false")
        expect(page.locator(f"#sections-{index}-value-quick_add")).to_be_hidden()

    # A line the quick-add box cannot read refuses the save: that section opens, the others stay collapsed.
    open_block(block_holding(page, "#sections-2-value-title"))
    page.locator("#sections-2-value-quick_add").fill(BAD_LINE)
    with page.expect_response(_autosave, timeout=30000):
        page.get_by_role("button", name="Save draft").click()
        expect(page.get_by_text("“Add questions, one a line” were not added")).to_be_visible(timeout=30000)
    expect(_toggle(page, 2)).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#sections-2-value-quick_add")).to_have_value(BAD_LINE)
    for index in (0, 1, 3, 4):
        expect(_toggle(page, index)).to_have_attribute("aria-expanded", "false")
    assert page.locator(".error-message", has_text="is not a kind of question").count() == 1
    # Each line's error on a line of its own (they ran together in one paragraph).
    said = page.locator(".error-message", has_text="is not a kind of question").inner_text()
    assert [line.split(" (")[0] for line in said.splitlines()] == ["Line 1", "Line 2"]

    # Wagtail's autosave then keeps what the refused page holds as a draft, its validation deferred: the box's text,
    # no question made from it. The refused save itself stores nothing (tests/advice_forms/admin/test_quick_add.py).
    kept = FormDefinition.objects.get(pk=draft.pk).get_latest_revision_as_object().sections[2].value
    assert kept["quick_add"].replace("\r\n", "\n") == BAD_LINE and [f.value["label"] for f in kept["fields"]] == [
        "Health: notes"
    ]

    # Reopened, the editor shows that draft; the line corrected, Publish adds the question and empties the box.
    page.goto(edit_url)
    open_block(block_holding(page, "#sections-2-value-title"))
    expect(page.locator("#sections-2-value-quick_add")).to_have_value(BAD_LINE)
    page.locator("#sections-2-value-quick_add").fill("yes/no: Is the child seen by a doctor?")
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("published", timeout=30000)
    published = FormDefinition.objects.get(pk=draft.pk).latest_version().content[2]["value"]
    assert published["quick_add"] == ""
    assert [f["value"]["label"] for f in published["fields"]] == ["Health: notes", "Is the child seen by a doctor?"]
    page.goto("about:blank")  # stop the editor's pings before the test database is emptied
