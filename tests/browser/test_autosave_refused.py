"""An autosave the server refuses for what it held (a 400: not a copy saved elsewhere, not a closed request), or one
that never reached the server (the connection dropped), is tried again, and until one is saved, leaving the page asks
first: a link away would lose the change."""

import json

import pytest
from playwright.sync_api import expect

from tests.browser.test_advice_wizard import advice_request, sign_in  # noqa: F401
from tests.browser.test_saved_elsewhere import asks_before_leaving

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFUSED = {"saved": False, "message": "Your latest changes are not saved yet."}


def _refused(route):
    route.fulfill(status=400, content_type="application/json", body=json.dumps(REFUSED))


def _lost(route):
    route.abort("internetdisconnected")


@pytest.mark.parametrize("refuse", [_refused, _lost], ids=["refused", "connection-lost"])
def test_leaving_after_a_refused_autosave_asks_first_until_a_save_succeeds(
    live_server,
    page,
    professional,
    home_page,
    settings,
    advice_request,  # noqa: F811
    refuse,
):
    settings.PORTAL_AUTOSAVE_SECONDS = 1
    sign_in(page, live_server.url, professional)
    page.goto(f"{live_server.url}/portal/requests/{advice_request.pk}/steps/about/")
    page.route("**/autosave/", refuse)
    involvement = page.get_by_label("What is your involvement with the child?")
    status = page.locator("[data-autosave-status]")

    with page.expect_request(lambda request: request.url.endswith("/autosave/")):
        involvement.fill("Typed while the server refuses")
    expect(status).to_contain_text("Your latest changes are not saved yet.")
    asks_before_leaving(page)

    page.unroute("**/autosave/", refuse)
    with page.expect_response(lambda response: response.url.endswith("/autosave/")) as autosave:
        involvement.press_sequentially(" and then saved")
    assert autosave.value.status == 200
    expect(status).to_contain_text("Saved at")
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    with page.expect_event("close"):
        page.close(run_before_unload=True)
    assert asked == []
