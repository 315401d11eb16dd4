"""Enter in a one-line text box of a wizard step, as a keyboard user presses it: the browser submits the form with its
first submit button (HTML's implicit submission). That was a table row's "Remove" or the child's details' "Report a
change", so the row just typed vanished, or another page opened; Enter now does what "Save and continue" does."""

import pytest
from django.apps import apps
from playwright.sync_api import expect

from advice_forms.casework_setup import terms_seed
from advice_forms.models import AdviceRequest, FormKind
from tests.browser.test_advice_wizard import sign_in
from tests.factories import advice_forms as factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def advice_request(professional, home_page):
    terms_seed(apps)
    attainment = factories.question(
        "table",
        "Attainment by subject",
        key="attainment_table",
        item_name="subject",
        columns=[factories.column("Subject or area", key="subject"), factories.column("Working at now", key="now")],
    )
    version = factories.definition(
        [
            factories.section(
                "About the child",
                [
                    factories.question("child_details", "The child's details", key="child"),
                    factories.question("short_text", "The name they like to be called", key="known_as", required=False),
                ],
                key="about",
            ),
            factories.section(
                "Attendance and attainment",
                [attainment, factories.question("number", "Reading age, in years", key="reading_age", required=False)],
                key="attendance_attainment",
            ),
            factories.section(
                "Health and care", [factories.question("short_text", "Who sees them", key="who")], key="health"
            ),
        ],
        title="Request for an EHC needs assessment",
        kind=FormKind.ERSA,
    )
    child = factories.ChildRecordFactory(first_name="Robin", last_name="Marchwood")
    return factories.AdviceRequestFactory(account=professional, form_version=version, child=child)


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_enter_in_a_step_with_a_table_keeps_the_row_and_goes_on(
    live_server, new_page, professional, advice_request, javascript
):
    page = new_page(java_script_enabled=javascript)
    sign_in(page, live_server.url, professional)
    page.goto(f"{live_server.url}/portal/requests/{advice_request.pk}/steps/attendance_attainment/")
    page.get_by_label("Subject or area").fill("Maths")
    page.get_by_label("Working at now").fill("Year 6")
    page.get_by_label("Reading age, in years (optional)").fill("9")
    page.get_by_label("Reading age, in years (optional)").press("Enter")

    page.wait_for_url(f"**/portal/requests/{advice_request.pk}/steps/health/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Health and care")
    answers = AdviceRequest.objects.get(pk=advice_request.pk).answers["attendance_attainment"]
    assert answers["attainment_table"] == [{"subject": "Maths", "now": "Year 6"}]


def test_enter_in_about_the_child_saves_and_goes_on_instead_of_reporting_a_change(
    live_server, page, professional, advice_request
):
    sign_in(page, live_server.url, professional)
    page.goto(f"{live_server.url}/portal/requests/{advice_request.pk}/steps/about/")
    page.get_by_label("The name they like to be called (optional)").fill("Rob")
    page.get_by_label("The name they like to be called (optional)").press("Enter")

    page.wait_for_url(f"**/portal/requests/{advice_request.pk}/steps/attendance_attainment/")
    assert AdviceRequest.objects.get(pk=advice_request.pk).answers["about"]["known_as"] == "Rob"
