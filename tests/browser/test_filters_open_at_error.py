"""A listing's filters open at a filter in error (cms/static/cms/admin/filters-open-at-error.js): the audit log with a
mistyped date under When shows the When filter and its error, where upstream drew the filters closed and the error
out of sight."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.editor import serve_empty_script, sign_in_to_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _audit_log_with_a_mistyped_date(page, client, live_server):
    sign_in_to_editor(page, client, live_server)
    page.goto(live_server.url + reverse("audit_log:index") + "?created_at_from=notadate")
    page.wait_for_load_state("load")


def test_a_mistyped_date_opens_the_filters_at_when_with_its_error(live_server, client, page):
    _audit_log_with_a_mistyped_date(page, client, live_server)

    when = page.locator("#drilldown-id_created_at")
    expect(when).to_be_visible()
    expect(when.get_by_text("Enter a real start date, like 15/12/2026")).to_be_visible()
    expect(when.get_by_label("From", exact=True)).to_have_value("notadate")


def test_without_the_script_the_filters_stay_closed(live_server, client, page):
    """The test above fails without the script: upstream's page keeps the error out of sight."""
    page.route("**/cms/admin/filters-open-at-error*.js", serve_empty_script)
    _audit_log_with_a_mistyped_date(page, client, live_server)

    page.wait_for_timeout(500)
    expect(page.locator("#drilldown-id_created_at")).to_be_hidden()
