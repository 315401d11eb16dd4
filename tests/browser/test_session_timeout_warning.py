"""The session time-out warning says the time actually left: "2 minutes and 1 second", never a rounded-up
"3 minutes". The page's clock is Playwright's, fast-forwarded, so the test waits for nothing."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_accounts import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_time_out_warning_says_the_exact_time_left(live_server, home_page, page, professional, password, settings):
    settings.PORTAL_SESSION_IDLE_SECONDS = 600
    settings.PORTAL_SESSION_WARNING_SECONDS = 120
    _sign_in(page, live_server.url, professional, password)
    page.clock.install()
    page.goto(live_server.url + "/portal/")
    countdown = page.locator("#portal-timeout [data-countdown]")

    page.clock.run_for(480_000)  # eight minutes idle: the warning opens

    expect(page.locator("#portal-timeout")).to_be_visible()
    assert countdown.inner_text() == "2 minutes and 1 second"
    page.clock.run_for(61_000)
    assert countdown.inner_text() == "1 minute"
    page.clock.run_for(15_000)
    assert countdown.inner_text() == "45 seconds"
    assert (
        page.locator("#portal-timeout [data-countdown-live]").inner_text()
        == "We will sign you out in 1 minute and 1 second."
    )
