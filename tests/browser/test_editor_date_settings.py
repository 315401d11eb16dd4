"""The date settings of a form definition's editor (a date question's and a date column's earliest and latest date
allowed) in a real Chromium: the browser's own date box, which builds nothing as the editor opens. Wagtail's date
picker built a calendar of about 250 elements for each, 18,000 of a 250-question definition's 81,000
(docs/performance.md). A date typed in the box is saved as the same date."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from advice_forms.models import FormDefinition
from tests.browser.editor import block_holding, open_block, sign_in_to_editor
from tests.factories.advice_forms import column, definition, question, section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_date_settings_are_the_browsers_own_date_boxes_and_a_date_typed_is_saved(
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
    expect(earliest).to_have_attribute("type", "date")
    expect(earliest).to_have_value("2010-01-01")
    expect(page.locator("#sections-0-value-fields-1-value-columns-1-value-latest")).to_have_attribute("type", "date")
    assert page.locator(".xdsoft_datetimepicker").count() == 0  # no calendar built for any of the four

    open_block(block_holding(page, "#sections-0-value-fields-0-value-label"))
    page.locator("#sections-0-value-fields-0-value-latest").fill("2030-12-31")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_contain_text("updated", timeout=30000)
    saved = FormDefinition.objects.get(pk=draft.pk).get_latest_revision_as_object().sections[0].value["fields"][0]
    assert (saved.value["earliest"], saved.value["latest"]) == (datetime.date(2010, 1, 1), datetime.date(2030, 12, 31))
