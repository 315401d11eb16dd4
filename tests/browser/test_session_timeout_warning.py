"""The session time-out warning says the time actually left: "1 minute and 59 seconds", never a rounded-up
"2 minutes". The page's clock is Playwright's, fast-forwarded, so the test waits for nothing."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.test_accounts import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _dashboard_idle_until_the_warning(page, live_server, professional, password, settings, warning):
    """The dashboard on Playwright's clock, left idle (of 600 seconds) until the warning opens; its countdown."""
    settings.PORTAL_SESSION_IDLE_SECONDS = 600
    settings.PORTAL_SESSION_WARNING_SECONDS = warning
    _sign_in(page, live_server.url, professional, password)
    page.clock.install()
    # The page's clock moves only as the test moves it: running on as well, it took the page out a second early on a
    # busy machine, between two of the test's looks at the countdown.
    page.clock.pause_at(time.time() + 1)
    page.goto(live_server.url + "/portal/")
    page.clock.run_for((600 - warning) * 1000)
    expect(page.locator("#portal-timeout")).to_be_visible()
    return page.locator("#portal-timeout [data-countdown]")


def test_the_time_out_warning_says_the_exact_time_left(live_server, home_page, page, professional, password, settings):
    countdown = _dashboard_idle_until_the_warning(page, live_server, professional, password, settings, 120)
    assert countdown.inner_text() == "2 minutes"
    page.clock.run_for(1_000)
    assert countdown.inner_text() == "1 minute and 59 seconds"
    page.clock.run_for(60_000)
    assert countdown.inner_text() == "59 seconds"
    page.clock.run_for(14_000)
    assert countdown.inner_text() == "45 seconds"
    assert page.locator("#portal-timeout [data-countdown-live]").inner_text() == "We will sign you out in 1 minute."


def test_each_figure_announced_is_the_one_shown_and_the_page_signs_out_a_second_after_the_server(
    live_server, home_page, page, professional, password, settings
):
    """The count ran one second over the warning, so the server's time would have run out before the page signed out:
    it opened on "31 seconds", announced that, and showed "30 seconds" a second later, so every figure announced was
    one more than the round figure on the screen. It now counts to the server's time, and the page still signs out
    one second after that; in that last second it says it is signing out, not "in 0 seconds"."""
    # The warning opens with 30 seconds of the server's 600 left.
    _dashboard_idle_until_the_warning(page, live_server, professional, password, settings, 30)
    live = page.locator("#portal-timeout [data-countdown-live]")
    sentence = page.locator("#portal-timeout-text p[aria-hidden='true']:visible")
    announced = []
    for _second in range(31):
        shown, said = sentence.inner_text(), live.inner_text()
        if not announced or said != announced[-1][1]:
            announced.append((shown, said))
        page.clock.run_for(1_000)
    assert announced == [
        ("For your security, we will sign you out in 30 seconds.", "We will sign you out in 30 seconds."),
        ("For your security, we will sign you out in 10 seconds.", "We will sign you out in 10 seconds."),
        ("For your security, we are signing you out now.", "We are signing you out now."),
    ]
    page.wait_for_url(re.compile(r"/portal/signed-out/"))  # 601 seconds, as before: the server's time has run out
