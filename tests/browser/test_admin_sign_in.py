"""The admin's sign-in and code pages in a real Chromium: an accessibility walk found the code page's buttons before
the skip link and the code box in the tab order (tabindex 3 and 4), and focus back on the email address or code box
after a refused sign-in or code, with no error summary to land on."""

import pytest
from playwright.sync_api import expect

from cms.forms import EMAIL_REQUIRED, SIGN_IN_PASSWORD_REQUIRED
from tests.conftest import seed_migrated_rows
from tests.factories.accounts import PASSWORD, SuperuserFactory, TOTPDeviceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _passes_axe(page, axe_violations):
    violations = axe_violations(page)
    assert violations == [], axe_violations.describe(violations)


def _refused_and_opens_on_the_error_summary(page, axe_violations):
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("There is a problem")
    assert page.title().startswith("Error: Sign in - ")
    _passes_axe(page, axe_violations)


def test_a_wrong_password_and_then_a_wrong_code_put_focus_on_the_error_summary(live_server, page, axe_violations):
    seed_migrated_rows()
    user = SuperuserFactory()
    TOTPDeviceFactory(user=user)

    page.goto(live_server.url + "/admin/login/")
    expect(page.get_by_label("Email address")).to_be_focused()
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill("not-the-password")
    _refused_and_opens_on_the_error_summary(page, axe_violations)

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/2fa/auth**")
    expect(page.get_by_label("Code from your authenticator app")).to_be_focused()
    _passes_axe(page, axe_violations)  # tabindex: no button is put first in the tab order

    page.get_by_label("Code from your authenticator app").fill("000000")
    _refused_and_opens_on_the_error_summary(page, axe_violations)


def test_an_empty_sign_in_shows_the_message_beside_each_box_above_it(live_server, page, axe_violations):
    """Wagtail's CSS hid the message beside each box of its sign-in page: a sighted user saw the summary and a red
    border, and only a screen reader had the message with the box. The summary's two links, in small text one under
    the other, were too small and too close together to tap (axe target-size, WCAG 2.2 2.5.8)."""
    seed_migrated_rows()
    page.goto(live_server.url + "/admin/login/")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()

    for box_id, words in (("id_username", EMAIL_REQUIRED), ("id_password", SIGN_IN_PASSWORD_REQUIRED)):
        message = page.locator(f"#{box_id}-error .error-message")
        expect(message).to_be_visible()
        expect(message).to_have_text(f"Error: {words}")
        shown, box = message.bounding_box(), page.locator(f"#{box_id}").bounding_box()
        assert shown["width"] > 0 and shown["height"] > 0
        assert shown["y"] + shown["height"] <= box["y"], "the message is above its box"
    assert axe_violations(page, ["target-size"]) == [], "the error summary's links are targets of 24 by 24 pixels"
    _passes_axe(page, axe_violations)
