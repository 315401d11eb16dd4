"""Reports → Emails not sent in a real Chromium: axe finds no WCAG 2.2 A/AA failure on the list (a waiting email with
its last error and its Try again now button, a given-up one saying why it cannot be tried), nor after Try again now,
with its banner."""

import pytest

from cms.models import EmailNotification
from tests.browser.editor import sign_in_to_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_emails_not_sent_report_passes_axe_before_and_after_try_again_now(
    live_server, client, page, axe_violations
):
    sign_in_to_editor(page, client, live_server)
    EmailNotification.objects.create(
        key="given-up", to="old@school.example.org", subject="Reset your password", body="", state="given_up"
    )
    EmailNotification.objects.create(
        key="waiting", to="senco@school.example.org", subject="Confirm your email address", body="Sign in."
    )
    page.goto(live_server.url + "/admin/reports/emails-not-sent/")

    violations = axe_violations(page)
    assert violations == [], axe_violations.describe(violations)

    page.get_by_role("button", name="Try again now").click()
    page.wait_for_load_state()
    assert "is queued to be sent now" in page.locator(".messages").inner_text()
    violations = axe_violations(page)
    assert violations == [], axe_violations.describe(violations)
