"""The date settings of a form definition's editor (a date question's and a date column's earliest and latest date
allowed) in a real Chromium: plain text boxes, typed as every date of the admin is (cms.form_fields.typed_date), which
build nothing as the editor opens. Wagtail's date picker built a calendar of about 250 elements for each, 18,000 of a
250-question definition's 81,000 (docs/performance.md); the browser's own date box sent nothing for 31/02/2027, so
the setting was saved empty. A date typed day first is saved as that date; one that is not a date is refused beside
its box after Save, and nothing is saved."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from advice_forms.models import FormDefinition
from tests.browser.editor import block_holding, open_block, sign_in_to_editor
from tests.factories.advice_forms import column, definition, question, section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _saved_question(draft):
    return FormDefinition.objects.get(pk=draft.pk).get_latest_revision_as_object().sections[0].value["fields"][0]


def test_the_date_settings_are_typed_boxes_a_date_typed_is_saved_and_one_that_is_not_a_date_is_refused_beside_it(
    live_server, home_page, client, page
):
    joined = question("date", "Date the child joined", key="joined", earliest="2010-01-01")
    columns = [column("School", key="name"), column("From", "date", key="from")]
    earlier = question("table", "Earlier schools", key="earlier", item_name="school", columns=columns)
    draft = definition([section("School", [joined, earlier], key="school")], title="Dates", publish=False)
    sign_in_to_editor(page, client, live_server)
    page.goto(live_server.url + reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[draft.pk]))
    open_block(block_holding(page, "#sections-0-value-title"))

    earliest = page.locator("#sections-0-value-fields-0-value-earliest")
    expect(earliest).to_have_attribute("type", "text")
    expect(earliest).to_have_value("1/1/2010")
    expect(page.locator("#sections-0-value-fields-1-value-columns-1-value-latest")).to_have_attribute("type", "text")
    assert page.locator(".xdsoft_datetimepicker").count() == 0  # no calendar built for any of the four

    open_block(block_holding(page, "#sections-0-value-fields-0-value-label"))
    latest = page.locator("#sections-0-value-fields-0-value-latest")
    latest.fill("31/12/2030")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_contain_text("updated", timeout=30000)
    saved = _saved_question(draft)
    assert (saved.value["earliest"], saved.value["latest"]) == (datetime.date(2010, 1, 1), datetime.date(2030, 12, 31))

    open_block(block_holding(page, "#sections-0-value-title"))  # the page drawn again after the save
    open_block(block_holding(page, "#sections-0-value-fields-0-value-label"))
    expect(latest).to_have_value("31/12/2030")
    latest.fill("31/02/2027")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_contain_text("could not be saved due to errors", timeout=30000)
    beside = page.locator("[data-contentpath=latest]", has=latest).locator(".error-message")
    expect(beside).to_have_text("Enter a real date, like 14/6/2027")
    expect(beside).to_be_visible()  # Wagtail opens the section and the question holding it
    expect(latest).to_have_value("31/02/2027")  # what was typed, to put right
    assert _saved_question(draft).value["latest"] == datetime.date(2030, 12, 31)
