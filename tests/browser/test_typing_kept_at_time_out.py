"""With JavaScript off (no autosave, no warning dialog), a step saved after the idle limit: signed out, then after
signing in again the step holds what was typed, unsaved, until it is saved."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from portal_pages.access import SESSION_LAST_ACTIVITY
from tests.browser.test_advice_wizard import sign_in
from tests.factories.accounts import PASSWORD
from tests.factories.advice_forms import AdviceRequestFactory
from tests.otp import current_code
from tests.sessions import stored_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TYPED = "Weekly speech therapy since September; uses short phrases to ask for help."


def _idle_past_the_limit(page):
    """Back-date the browser's session as if nothing had been done for one second longer than the idle limit."""
    key = next(c["value"] for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    session = stored_session(key)
    session[SESSION_LAST_ACTIVITY] -= settings.PORTAL_SESSION_IDLE_SECONDS + 1
    session.save()


def test_a_step_saved_after_the_time_out_comes_back_after_signing_in_again(
    live_server, page_without_javascript, professional, small_form, home_page
):
    page = page_without_javascript
    advice_request = AdviceRequestFactory(account=professional, form_version=small_form)
    step = f"{live_server.url}/portal/requests/{advice_request.pk}/steps/about/"
    sign_in(page, live_server.url, professional)
    page.goto(step)
    page.get_by_label("What is your involvement with the child?").fill(TYPED)
    _idle_past_the_limit(page)
    page.get_by_role("button", name="Save and continue").click()

    page.wait_for_url("**/portal/signed-out/**")
    expect(page.locator("main")).to_contain_text("You have been signed out")
    advice_request.refresh_from_db()
    assert TYPED not in str(advice_request.answers) and TYPED not in str(advice_request.raw_steps)

    page.get_by_role("button", name="Sign in again").click()
    page.get_by_label("Email address").fill(professional.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/portal/sign-in/code/**")
    page.get_by_label("Code from your authenticator app, or a backup code").fill(
        current_code(professional.totpdevice_set.get(), offset=1)  # the first sign-in used this step's code
    )
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(step)
    expect(page.locator("#advice-kept-typing")).to_contain_text("You were signed out before this was saved")
    expect(page.get_by_label("What is your involvement with the child?")).to_have_value(TYPED)

    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("#advice-kept-typing")).to_have_count(0)
    advice_request.refresh_from_db()
    assert TYPED in str(advice_request.answers) + str(advice_request.raw_steps)  # saved, as the SENCO chose
