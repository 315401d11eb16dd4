"""A step's page in a real Chromium, for people who use a screen reader or the keyboard: a removed table row is
announced once by the sentence that shows it, its own live region, and focus stays in the table, the
hidden-text notice's live region is there from the start, the error summary's link to an empty table shows the
question and its error, and a hidden file question holding a file is named in the notice."""

import pytest
from playwright.sync_api import expect

from tests.advice_forms.test_conditions import conditions_sections, when
from tests.advice_forms.test_table_question import table_question
from tests.browser.test_advice_wizard import assert_accessible, sign_in
from tests.factories.advice_forms import AdviceRequestFactory, ChildRecordFactory, definition, question, section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RENDERED = """el => !el.closest('[hidden]') && getComputedStyle(el).display !== 'none'
    && getComputedStyle(el).visibility !== 'hidden'"""


# Each text written to or taken from a role="status" element, from the parser's first write on.
WRITES_TO_LIVE_REGIONS = """
window.liveRegionWrites = [];
new MutationObserver((records) => {
  for (const record of records) {
    if (record.target.nodeType !== 1 || !record.target.matches('[role=status]')) continue;
    for (const node of record.addedNodes) window.liveRegionWrites.push('+' + node.textContent);
    for (const node of record.removedNodes) window.liveRegionWrites.push('-' + node.textContent);
  }
}).observe(document, {childList: true, subtree: true});
"""


def _table_step(page, live_server, professional):
    version = definition([section("Schools", [table_question()], key="schools")])
    advice_request = AdviceRequestFactory(account=professional, form_version=version, child=ChildRecordFactory())
    sign_in(page, live_server.url, professional)
    page.goto(f"{live_server.url}/portal/requests/{advice_request.pk}/steps/schools/")


def test_removing_a_row_is_announced_and_focus_moves_to_the_row_in_its_place(
    live_server, page, professional, home_page, axe_violations
):
    _table_step(page, live_server, professional)
    for number, name in enumerate(["Kestrel Lane Primary", "Harrier Bank School", "Osprey Academy"]):
        if number:
            page.get_by_role("button", name="Add another school").click()
        page.locator(f"#id_schools-{number}-name").fill(name)

    page.add_init_script(WRITES_TO_LIVE_REGIONS)
    page.get_by_role("button", name="Remove school 2").click()

    expect(page.get_by_role("status").filter(has_text="You have removed School 2.")).to_have_count(1)
    expect(page.locator("#id_schools-1-name")).to_have_value("Osprey Academy")
    expect(page.locator("#id_schools-1-name")).to_be_focused()
    # One sentence, shown and in the accessibility tree: the live region itself, so a screen reader that missed its
    # announcement finds it by reading the page.
    sentence = page.locator("#id_schools-removed")
    expect(sentence).to_be_visible()
    expect(sentence).to_have_text("You have removed School 2.")
    expect(sentence).to_have_attribute("role", "status")
    expect(sentence).not_to_have_attribute("aria-hidden", "true")
    assert page.locator("main").aria_snapshot().count("You have removed School 2.") == 1
    # Emptied as the page loaded and written again: a change to a live region already held, which is announced.
    assert page.evaluate("window.liveRegionWrites") == [
        "+You have removed School 2.",
        "-You have removed School 2.",
        "+You have removed School 2.",
    ]
    assert_accessible(page, axe_violations)


def test_the_hidden_text_notice_speaks_from_a_live_region_rendered_since_the_page_loaded(
    live_server, page, professional, home_page
):
    advice_request = AdviceRequestFactory(
        account=professional, form_version=definition(conditions_sections()), child=ChildRecordFactory()
    )
    sign_in(page, live_server.url, professional)
    page.goto(f"{live_server.url}/portal/requests/{advice_request.pk}/steps/about/")
    region = page.locator("[aria-live=polite][data-advice-clearing-notice]")
    assert region.evaluate(RENDERED), "in the accessibility tree from the start"
    expect(region).to_have_text("")

    page.locator("#id_support-0").check()
    page.get_by_label("Describe the support").fill("Weekly speech therapy")
    page.locator("#id_support-1").check()

    expect(region).to_contain_text("Your answers now hide questions that hold answers: “Describe the support”.")
    expect(region).to_be_visible()
    page.locator("#id_support-0").check()  # open again: nothing hidden holds text, and the region empties
    expect(region).to_have_text("")


def test_the_error_link_to_an_empty_table_shows_the_question_and_its_error_and_focuses_its_first_box(
    live_server, new_page, professional, home_page
):
    page = new_page(viewport={"width": 1024, "height": 500})
    _table_step(page, live_server, professional)
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()

    summary.get_by_role("link").first.click()

    expect(page.locator("#id_schools-0-name")).to_be_focused()
    for shown in (page.get_by_text("Schools attended before", exact=True), page.locator("#id_schools-error")):
        top = shown.evaluate("el => el.getBoundingClientRect().top")
        assert 0 <= top < 500, f"{shown} is off the screen ({top} px)"


def test_a_file_question_closed_while_it_holds_a_file_is_named_in_the_hidden_text_notice(
    live_server, page, professional, home_page
):
    questions = [
        question("yes_no", "Is there a report", key="has_report"),
        question("file", "Latest report", key="report", condition=when("all", ("has_report", "is", "yes"))),
        question("short_text", "Reading age", key="age", condition=when("all", ("has_report", "is", "yes"))),
    ]
    version = definition([section("Evidence", questions, key="evidence")])
    answers = {"evidence": {"has_report": "yes", "report": {"document": 1, "name": "report.pdf", "size": 2048}}}
    advice_request = AdviceRequestFactory(account=professional, form_version=version, answers=answers)
    sign_in(page, live_server.url, professional)
    page.goto(f"{live_server.url}/portal/requests/{advice_request.pk}/steps/evidence/")
    expect(page.locator("main")).to_contain_text("You have uploaded report.pdf")

    page.locator("#id_has_report-1").check()  # No: the file question closes, holding its file

    notice = page.locator("[data-advice-clearing-notice]")
    expect(notice.locator("[data-advice-clearing-list]")).to_have_text("“Latest report”")
