"""A listing's download says it is being prepared and is asked for once (cms/static/cms/admin/download-once.js): the
audit log's took 17 to 19 seconds at a large council with nothing on the page to say so, and a double click wrote it
twice."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cms.services import audit_record
from portal_pages.events import AccountEvent
from tests.browser.editor import serve_empty_script, sign_in_to_editor
from tests.factories.accounts import UserFactory
from tests.waiting import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _double_clicked_download(page, client, live_server):
    """The audit log's "Download as CSV" pressed twice at once; the requests for it sent."""
    account = UserFactory()
    audit_record(action=AccountEvent.SIGNED_IN, actor=account, target=account)
    sign_in_to_editor(page, client, live_server)
    page.goto(live_server.url + reverse("audit_log:index"))
    page.wait_for_load_state("load")
    sent = []
    page.on("request", lambda request: sent.append(request.url) if "export=csv" in request.url else None)
    page.get_by_role("button", name="Actions").click()  # the header's menu, where the downloads are
    link = page.locator("a[data-portal-download]", has_text="Download as CSV")
    expect(link).to_have_count(1)
    link.evaluate("link => { link.click(); link.click(); }")
    # Both clicks are made in one go, so a second request (upstream's) leaves at once after the first.
    wait_for(lambda: sent, seconds=15, page=page)
    page.wait_for_timeout(500)
    return sent


def test_a_double_clicked_download_is_asked_for_once_and_says_it_is_being_prepared(live_server, client, page):
    sent = _double_clicked_download(page, client, live_server)

    assert len(sent) == 1
    status = page.locator("[role=status].portal-download-status")
    expect(status).to_have_text("Preparing your download…")
    expect(status).to_have_attribute("aria-live", "polite")


def test_without_the_script_a_double_click_asks_twice(live_server, client, page):
    """The test above fails without the script."""
    page.route("**/cms/admin/download-once*.js", serve_empty_script)

    assert len(_double_clicked_download(page, client, live_server)) == 2


def test_the_status_line_shows_no_box_until_it_has_words_and_the_other_download_still_answers(
    live_server, client, page
):
    """Review: an empty help-info line was a blank blue box above every listing with downloads, and one busy
    20 seconds for both downloads made "Download as Excel" do nothing after "Download as CSV"."""
    sent = _double_clicked_download(page, client, live_server)
    status = page.locator("[role=status].portal-download-status")
    expect(status).to_have_class("portal-download-status help-block help-info")
    page.on("request", lambda request: sent.append(request.url) if "export=xlsx" in request.url else None)
    page.get_by_role("button", name="Actions").click()
    page.locator("a[data-portal-download]", has_text="Download as Excel").evaluate("link => link.click()")
    wait_for(lambda: len(sent) > 1, seconds=15, page=page)

    assert [url.split("export=")[1][:4] for url in sent] == ["csv", "xlsx"]

    page.goto(live_server.url + reverse("audit_log:index"))
    page.wait_for_load_state("load")
    empty = page.locator("[role=status].portal-download-status")
    expect(empty).to_have_count(1)
    expect(empty).to_have_class("portal-download-status")  # no help-info box while it says nothing
