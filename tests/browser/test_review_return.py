"""A co-ordinator returns advice without saying what is needed, in a real Chromium: the page comes back opened on its
error summary, focused, with "Error: " in its title, the error beside the field and what was typed kept."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_dropdown_paste import signed_in
from tests.factories.advice_forms import AdviceRequestFactory, ChildRecordFactory, step_data, submission_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_refused_return_opens_on_its_focused_error_summary(
    live_server, home_page, client, page, caseworker, small_form, axe_violations
):
    """It came back scrolled to the top of the same page, focus on <body>, the title unchanged, and "There is a
    problem" about 2,600 px down beside the return form."""
    advice_request = AdviceRequestFactory(form_version=small_form, child=ChildRecordFactory(coordinator=caseworker))
    submission_make(advice_request, step_data())
    page.set_viewport_size({"width": 1280, "height": 700})
    signed_in(page, client, live_server, caseworker)
    page.goto(live_server.url + reverse("review_queue:review", args=[advice_request.pk]))

    page.get_by_role("link", name="Return it with what is needed").click()
    page.get_by_role("textbox", name="What is needed").fill("   ")
    page.get_by_role("button", name="Return", exact=True).click()

    marker = f"{small_form.title} – request {advice_request.pk}"
    expect(page).to_have_title(f"Error: Review advice: {marker} - SEND Professional Portal staff admin")
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    assert page.evaluate("window.scrollY") < 300
    # Its link takes the co-ordinator to the field, where the error sits beside it with what was typed.
    summary.get_by_role("link", name="Enter what is needed before you return the advice").click()
    expect(page.get_by_role("textbox", name="What is needed")).to_be_focused()
    expect(page.locator("#return-advice")).to_contain_text("Enter what is needed before you return the advice")
    expect(page.get_by_role("textbox", name="What is needed")).to_have_value("   ")
    violations = axe_violations(page)
    assert violations == [], axe_violations.describe(violations)


def test_the_sections_ticked_for_a_return_stay_ticked_when_it_is_refused_and_are_kept_with_it(
    live_server, home_page, client, page, caseworker, small_form, axe_violations
):
    advice_request = AdviceRequestFactory(form_version=small_form, child=ChildRecordFactory(coordinator=caseworker))
    submission_make(advice_request, step_data())
    signed_in(page, client, live_server, caseworker)
    page.goto(live_server.url + reverse("review_queue:review", args=[advice_request.pk]))

    page.get_by_role("link", name="Return it with what is needed").click()
    sections = page.get_by_role("group", name="Sections that need changing (optional)")
    expect(sections).to_have_accessible_description(re.compile("^The team account's task list marks the sections"))
    sections.get_by_role("checkbox", name="Diagnosis").check()
    page.get_by_role("button", name="Return", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_focused()
    expect(page.get_by_role("checkbox", name="Diagnosis")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Outcomes")).not_to_be_checked()
    violations = axe_violations(page)
    assert violations == [], axe_violations.describe(violations)

    page.get_by_role("textbox", name="What is needed").fill("Say who made the diagnosis, and when.")
    page.get_by_role("button", name="Return", exact=True).click()
    expect(page.get_by_text("Returned to")).to_be_visible()
    # Back on the queue, the message takes the focus so that a screen reader reads it out (Wagtail's list of
    # messages is a status region on the page from the start, not announced).
    expect(page.locator(".messages li", has_text="Returned to")).to_be_focused()
    assert advice_request.submissions.get().returned.sections == ["health"]
