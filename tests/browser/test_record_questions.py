"""Record-backed questions in a real Chromium: the child's details read-only, an outcome added from the step through
the outcome page and back, what was typed in the step kept on the way, axe on the step."""

import pytest
from django.apps import apps
from playwright.sync_api import expect

from advice_forms.casework_setup import terms_seed
from advice_forms.models import FormKind, NeedType, Outcome, Team
from tests.browser.test_advice_wizard import assert_accessible, sign_in
from tests.factories.advice_forms import AdviceRequestFactory, ChildRecordFactory, definition, question, section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def advice_request(professional, home_page):
    terms_seed(apps)
    version = definition(
        [
            section(
                "The child and their outcomes",
                [
                    question("child_details", "About the child", key="child"),
                    question("short_text", "What are their strengths?", key="strengths"),
                    question("record_outcomes", "Outcomes sought", key="outcomes"),
                ],
                key="about",
            )
        ],
        title="Record-backed advice",
        kind=FormKind.ERSA,
    )
    child = ChildRecordFactory(first_name="Robin", last_name="Marchwood", address="3 Kite Lane")
    return AdviceRequestFactory(account=professional, form_version=version, child=child)


def test_an_outcome_added_from_the_step_comes_back_to_it(
    live_server, page, professional, advice_request, axe_violations
):
    sign_in(page, live_server.url, professional)
    page.goto(f"{live_server.url}/portal/requests/{advice_request.pk}/steps/about/")
    details = page.locator("#id_child")
    assert "Robin Marchwood" in details.inner_text() and "3 Kite Lane" in details.inner_text()
    assert details.locator("input, textarea, select").count() == 0
    assert_accessible(page, axe_violations)

    page.get_by_label("What are their strengths?").fill("Draws detailed maps")
    page.get_by_role("button", name="Add an outcome").click()
    page.wait_for_url("**/outcomes/new/?step=about")
    page.get_by_label("Type").select_option(str(NeedType.objects.get(code="Comms").pk))
    page.get_by_label("Team").select_option(str(Team.objects.get(code="SLT").pk))
    page.get_by_label("Outcome", exact=True).fill("Robin will ask for help with a visual card")
    page.get_by_role("button", name="Add the outcome").click()

    page.wait_for_url(f"**/portal/requests/{advice_request.pk}/steps/about/")
    assert page.get_by_label("What are their strengths?").input_value() == "Draws detailed maps"
    assert "Robin will ask for help with a visual card" in page.locator("#id_outcomes").inner_text()
    assert Outcome.objects.get().outcome == "Robin will ask for help with a visual card"
    assert_accessible(page, axe_violations)


def test_saving_the_step_with_no_outcome_shows_the_error_beside_the_question(
    live_server, page, professional, advice_request, axe_violations
):
    sign_in(page, live_server.url, professional)
    page.goto(f"{live_server.url}/portal/requests/{advice_request.pk}/steps/about/")
    page.get_by_label("What are their strengths?").fill("Draws detailed maps")
    page.get_by_role("button", name="Save and continue").click()

    page.wait_for_url(f"**/portal/requests/{advice_request.pk}/steps/about/")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert page.locator(".govuk-error-summary").inner_text().endswith("Add at least one outcome")
    assert " ".join(page.locator("#id_outcomes-error").text_content().split()) == "Error: Add at least one outcome"
    assert page.get_by_label("What are their strengths?").input_value() == "Draws detailed maps"
    assert_accessible(page, axe_violations)
