"""Conditions on the page in a real Chromium: GOV.UK's conditional reveal opens and closes as the answer changes,
a notice says when hidden questions hold answers, and the save asks before removing it; axe on each state."""

import io

import pytest
from playwright.sync_api import expect

from advice_forms import demo
from advice_forms.models import AdviceRequest, FormDefinition, FormKind
from tests.advice_forms.portal.test_wizard_conditions import attendance_sections
from tests.advice_forms.test_conditions import conditions_sections
from tests.browser.test_advice_wizard import assert_accessible, sign_in
from tests.factories.advice_forms import AdviceRequestFactory, ChildRecordFactory, definition, section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def advice_request(professional, home_page):
    return AdviceRequestFactory(
        account=professional, form_version=definition(conditions_sections()), child=ChildRecordFactory()
    )


def test_conditional_reveal_and_the_clearing_notice(live_server, page, professional, advice_request, axe_violations):
    sign_in(page, live_server.url, professional)
    page.goto(f"{live_server.url}/portal/requests/{advice_request.pk}/steps/about/")
    details = page.get_by_label("Describe the support")
    expect(details).to_be_hidden()
    expect(page.get_by_text("Answer if you chose “Yes”.")).to_be_hidden()  # said only without JavaScript
    assert_accessible(page, axe_violations)

    page.locator("#id_support-0").check()  # Yes: the reveal opens
    expect(details).to_be_visible()
    assert page.locator("#id_support-0").get_attribute("aria-controls") == "conditional-id_support-0"
    details.fill("Weekly speech therapy")
    page.get_by_label("Cognition and learning").check()
    page.get_by_label("Cognition detail").fill("Reads two years below age")
    expect(page.get_by_label("Communication or SEMH detail")).to_be_hidden()
    assert_accessible(page, axe_violations)

    page.locator("#id_support-1").check()  # No: the reveal closes, its text stays, and a notice says so
    expect(details).to_be_hidden()
    expect(page.get_by_label("Communication or SEMH detail")).to_be_visible()  # "any of": support is not yes
    notice = page.locator("[data-advice-clearing-notice]")
    expect(notice).to_be_visible()
    assert "“Describe the support”" in notice.inner_text()
    assert_accessible(page, axe_violations)

    page.get_by_role("button", name="Save and continue").click()
    banner = page.locator("#advice-clearing")
    expect(banner).to_be_visible()  # waits for the page the POST answered
    expect(banner).to_contain_text("Describe the support")
    assert (
        AdviceRequest.objects.get(pk=advice_request.pk).answers["about"]["support_details"] == "Weekly speech therapy"
    )
    assert_accessible(page, axe_violations)

    page.get_by_role("button", name="Yes, remove them").click()
    page.wait_for_url("**/steps/family/")
    saved = AdviceRequest.objects.get(pk=advice_request.pk).answers["about"]
    assert saved["support"] == "no" and saved["support_details"] is None
    assert saved["cl_detail"] == "Reads two years below age"


def test_without_javascript_every_follow_up_question_is_shown_under_what_it_follows(
    live_server, page_without_javascript, professional, advice_request
):
    """Without JavaScript the follow-up questions were drawn hidden: they appeared only after a save, as errors."""
    page = page_without_javascript
    sign_in(page, live_server.url, professional)
    page.goto(f"{live_server.url}/portal/requests/{advice_request.pk}/steps/about/")
    details = page.get_by_label("Describe the support")
    expect(details).to_be_visible()
    expect(page.locator("#conditional-id_support-0").get_by_text("Answer if you chose “Yes”.")).to_be_visible()
    expect(page.get_by_label("Cognition detail")).to_be_visible()
    expect(page.get_by_text("Answer if you ticked “Cognition and learning”.")).to_be_visible()
    expect(page.get_by_label("Communication or SEMH detail")).to_be_visible()

    page.locator("#id_support-0").check()
    details.fill("Weekly speech therapy")
    page.get_by_label("Cognition and learning").check()
    page.get_by_label("Cognition detail").fill("Reads two years below age")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/steps/family/")
    saved = AdviceRequest.objects.get(pk=advice_request.pk).answers["about"]
    assert saved["support_details"] == "Weekly speech therapy" and saved["cl_detail"] == "Reads two years below age"


def test_a_table_question_adds_and_removes_rows_and_passes_axe(
    live_server, page, professional, home_page, axe_violations
):
    from tests.advice_forms.test_table_question import table_question

    version = definition([section("Schools", [table_question()], key="schools")])
    advice_request = AdviceRequestFactory(account=professional, form_version=version, child=ChildRecordFactory())
    sign_in(page, live_server.url, professional)
    page.goto(f"{live_server.url}/portal/requests/{advice_request.pk}/steps/schools/")
    page.locator("#id_schools-0-name").fill("Kestrel Lane Primary")
    page.locator("#id_schools-0-cost").fill("£1,900.50")
    assert_accessible(page, axe_violations)
    page.get_by_role("button", name="Add another school").click()
    assert page.locator("#id_schools-0-name").input_value() == "Kestrel Lane Primary"
    # The page comes back with the new row's first box in focus, not at its top with focus lost.
    expect(page.locator("#id_schools-1-name")).to_be_focused()
    page.locator("#id_schools-1-cost").fill("lots")
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator(".govuk-error-summary")
    assert "Cost for school 2 must be an amount of money, like £1,900.50 or 1900" in summary.inner_text()
    assert_accessible(page, axe_violations)
    page.get_by_role("button", name="Remove school 2").click()
    expect(page.locator("#id_schools-1-name")).to_have_count(0)
    # Removing the last row puts focus on the row before it; removing the only row leaves an empty one, focused.
    expect(page.locator("#id_schools-0-name")).to_be_focused()
    page.get_by_role("button", name="Remove school 1").click()
    expect(page.locator("#id_schools-0-name")).to_have_value("")
    expect(page.locator("#id_schools-0-name")).to_be_focused()


def test_text_typed_into_a_closed_follow_up_that_cannot_be_kept_comes_back_in_sight_with_its_error(
    live_server, page, professional, home_page
):
    """With JavaScript: hours typed in words under "Yes", then "No" chosen. The save keeps the error, and the
    question comes back outside the closed reveal, where it can be seen and corrected or cleared."""
    advice_request = AdviceRequestFactory(
        account=professional, form_version=definition(attendance_sections()), child=ChildRecordFactory()
    )
    sign_in(page, live_server.url, professional)
    page.goto(f"{live_server.url}/portal/requests/{advice_request.pk}/steps/attendance/")
    page.locator("#id_part_time-0").check()
    page.get_by_label("Hours a week").fill("about ten")
    page.locator("#id_part_time-1").check()
    page.locator("#id_diagnosis-1").check()
    page.get_by_role("button", name="Save and continue").click()

    hours = page.get_by_label("Hours a week")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(hours).to_be_visible()
    expect(hours).to_have_value("about ten")
    expect(page.get_by_text("You only need to answer this if")).to_be_visible()
    page.locator(".govuk-error-summary a[href='#id_hours']").click()
    expect(hours).to_be_focused()

    hours.fill("")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/check-answers/")


def _after_conditions_update(page):
    """conditions.js works the page out in a task it queues on each change: one queued after it has run by now."""
    page.evaluate("() => new Promise((resolve) => window.setTimeout(resolve, 0))")


def test_a_closed_table_left_blank_is_never_said_to_hold_text(live_server, page, professional, home_page):
    """The demo ERSA's "School and earlier schools": any change said "Your answers now hide questions that hold text:
    “Other schools and settings they went to”, “Exclusions”", typed in neither: each closed table's row count, a
    hidden input, counted as text, and the page drawn again from a step saved with answers still to give marked them
    as holding text already, so a save hiding what was typed into them later did not ask. Text typed into an exclusion
    and then closed is named, and the save asks."""
    demo.load(io.StringIO())
    version = FormDefinition.objects.get(kind=FormKind.ERSA).latest_version()
    advice_request = AdviceRequestFactory(account=professional, form_version=version, child=ChildRecordFactory())
    sign_in(page, live_server.url, professional)
    step = f"{live_server.url}/portal/requests/{advice_request.pk}/steps/school/"
    # Begun and saved with answers still to give, as the demo's is: the step is drawn again from what was posted.
    page.goto(step)
    page.get_by_label("Headteacher's name").fill("Ms Okafor")
    page.get_by_role("button", name="Save and come back later").click()
    page.wait_for_url(f"**/requests/{advice_request.pk}/")
    page.goto(step)
    notice = page.locator("[data-advice-clearing-notice]")
    page.locator("#id_start_date-day").fill("1")
    page.locator("#id_start_date-month").fill("9")
    page.locator("#id_start_date-year").fill("2024")
    page.locator("input[name=setting_type]").first.check()
    page.get_by_label("How many children are in their class").fill("28")
    page.get_by_label("SENCO's name").fill("Mr Patel")
    page.get_by_label("SENCO's email address").fill("senco@school.example.org")
    page.get_by_label("SENCO's phone number").fill("01632 960000")
    page.get_by_label("SENCO's phone number").press("Tab")  # a box's change is told as it is left
    page.locator("#id_earlier_schools-1").check()
    page.locator("#id_part_time-1").check()
    page.locator("#id_excluded-1").check()
    _after_conditions_update(page)
    expect(notice).to_be_hidden()

    page.locator("#id_excluded-0").check()  # Yes: the exclusions table opens
    page.locator("#id_exclusions-0-date-day").fill("4")
    page.locator("#id_exclusions-0-date-month").fill("3")
    page.locator("#id_exclusions-0-date-year").fill("2025")
    page.locator("#id_exclusions-0-days").fill("2")
    page.locator("#id_exclusions-0-reason").fill("Fixed term")
    page.locator("#id_exclusions-0-reason").press("Tab")
    _after_conditions_update(page)
    expect(notice).to_be_hidden()
    page.locator("#id_excluded-1").check()  # No: it closes, holding what was typed
    expect(notice).to_be_visible()
    expect(notice.locator("[data-advice-clearing-list]")).to_have_text("“Exclusions”")

    page.get_by_role("button", name="Save and continue").click()
    banner = page.locator("#advice-clearing")
    expect(banner).to_be_visible()
    expect(banner.locator("li")).to_have_text(["Exclusions"])
