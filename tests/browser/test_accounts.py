"""Signing in to the portal in a real Chromium, and the session time-out warning (DWP pattern)."""

import time
import urllib.request

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from cms.models import AuditEntry
from portal_pages.access import SESSION_LAST_ACTIVITY
from portal_pages.events import AccountEvent
from tests.browser.editor import sign_in_to_editor
from tests.factories.advice_forms import ChildRecordFactory
from tests.factories.cms import HelpPageFactory, published
from tests.otp import current_code
from tests.sessions import browser_session, idle_past_the_limit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def short_sessions(settings):
    """An idle time short enough to wait out: the dialog opens a second after a page has loaded, and the page signs
    out six seconds after (the server's five, and the one second the script adds). The four seconds of countdown
    hold what a test does with the dialog open, an axe check among it, with room for a loaded machine."""
    settings.PORTAL_SESSION_IDLE_SECONDS = 5
    settings.PORTAL_SESSION_WARNING_SECONDS = 4
    return settings


def _last_activity(page):
    """When the server last saw the browser do something (the idle clock of its session)."""
    return browser_session(page)[SESSION_LAST_ACTIVITY]


def _sign_in(page, base_url, user, password, axe_violations=None):
    page.goto(base_url + "/portal/")
    assert "/portal/sign-in/" in page.url
    if axe_violations:
        violations = axe_violations(page)
        assert violations == [], axe_violations.describe(violations)
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/portal/sign-in/code/**")
    if axe_violations:
        violations = axe_violations(page)
        assert violations == [], axe_violations.describe(violations)
    page.get_by_label("Code from your authenticator app, or a backup code").fill(
        current_code(user.totpdevice_set.get())
    )
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base_url + "/portal/")


def test_sign_in_pages_have_no_axe_violations_and_no_csp_errors(
    live_server, home_page, page, professional, password, axe_violations
):
    csp_errors = []
    page.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    _sign_in(page, live_server.url, professional, password, axe_violations)
    assert page.locator("h1").inner_text() == "Your dashboard"
    assert str(professional) in page.locator(".govuk-caption-l").first.inner_text()
    violations = axe_violations(page)
    assert violations == [], axe_violations.describe(violations)
    assert csp_errors == []


def test_the_warning_dialog_appears_stay_signed_in_keeps_the_session(
    live_server, home_page, page, professional, password, axe_violations, short_sessions
):
    _sign_in(page, live_server.url, professional, password)
    dialog = page.locator("#portal-timeout")

    dialog.wait_for(state="visible", timeout=6000)
    # Focus moved into the dialog, and the countdown is announced politely.
    assert page.evaluate("document.getElementById('portal-timeout').contains(document.activeElement)")
    assert dialog.locator("[aria-live=polite]").inner_text().startswith("We will sign you out in")
    violations = axe_violations(page)
    assert violations == [], axe_violations.describe(violations)

    signed_in_at = _last_activity(page)
    clicked_at = time.time()
    with page.expect_response("**/portal/keep-alive/") as keep_alive:
        dialog.get_by_role("button", name="Stay signed in").click()
    assert keep_alive.value.status == 200
    expect(dialog).to_be_hidden()  # the script closes it once the keep-alive has answered
    # The server's idle clock starts again from the click, not from the sign-in.
    assert _last_activity(page) >= clicked_at > signed_in_at

    # Past the deadline the sign-in set (and before the one the click set), the session is alive.
    page.wait_for_timeout(max(0, signed_in_at + short_sessions.PORTAL_SESSION_IDLE_SECONDS + 0.5 - time.time()) * 1000)
    response = page.request.get(live_server.url + "/portal/", max_redirects=0)
    assert response.status == 200


def test_escape_keeps_the_session_and_doing_nothing_signs_out(
    live_server, home_page, page, professional, password, short_sessions
):
    _sign_in(page, live_server.url, professional, password)
    dialog = page.locator("#portal-timeout")
    dialog.wait_for(state="visible", timeout=6000)
    with page.expect_response("**/portal/keep-alive/"):
        page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()  # the script closes it once the keep-alive has answered

    dialog.wait_for(state="visible", timeout=6000)
    page.wait_for_url("**/portal/signed-out/?reason=timeout", timeout=15000)
    assert "You have been signed out" in page.locator("h1").inner_text()
    assert "protect children" in page.content()


def test_when_the_countdown_ends_the_browser_signs_out_even_if_the_server_heard_from_it_meanwhile(
    live_server, home_page, page, professional, password, short_sessions
):
    """A field's autosave goes out as the dialog takes the focus from the field, so the server's idle clock starts
    again: the countdown's end must still sign out, as the dialog said, and say why."""
    _sign_in(page, live_server.url, professional, password)
    dialog = page.locator("#portal-timeout")
    dialog.wait_for(state="visible", timeout=6000)
    assert page.request.get(live_server.url + "/portal/", max_redirects=0).status == 200  # the server hears from it

    page.wait_for_url("**/portal/signed-out/?reason=timeout", timeout=15000)

    assert "You have been signed out" in page.locator("h1").inner_text()
    assert page.request.get(live_server.url + "/portal/", max_redirects=0).status == 302
    entry = AuditEntry.objects.filter(actor=professional).latest("pk")
    assert (entry.action, entry.data) == (AccountEvent.TIMED_OUT, {"why": "idle"})


def test_stay_signed_in_after_the_session_has_ended_goes_to_the_sign_in_rather_than_seem_to_work(
    live_server, home_page, page, professional, password, short_sessions
):
    """The keep-alive of a session already ended is sent on to the signed-out page, which the browser follows: the
    answer was a page, not an error, so the dialog closed and the countdown began again on a page that could no longer
    save anything."""
    _sign_in(page, live_server.url, professional, password)
    dialog = page.locator("#portal-timeout")
    dialog.wait_for(state="visible", timeout=6000)
    idle_past_the_limit(page)  # ended elsewhere: another tab's countdown, the session's last hour

    dialog.get_by_role("button", name="Stay signed in").click()

    page.wait_for_url("**/portal/sign-in/**", timeout=5000)


def test_stay_signed_in_with_no_connection_goes_on_counting_down(
    live_server, home_page, page, professional, password, short_sessions
):
    """A keep-alive that could not be sent closed the dialog and stopped the countdown: the page stayed, a child's
    details on an unattended screen, long after the server had ended the session."""
    _sign_in(page, live_server.url, professional, password)
    dialog = page.locator("#portal-timeout")
    dialog.wait_for(state="visible", timeout=6000)
    page.context.set_offline(True)

    dialog.get_by_role("button", name="Stay signed in").click()

    expect(dialog).to_be_visible()
    page.context.set_offline(False)
    page.wait_for_url("**/portal/signed-out/?reason=timeout", timeout=10000)


def test_a_tab_left_open_does_not_sign_out_the_session_another_tab_is_using(
    live_server, home_page, page, professional, password, countdown_after_four_seconds
):
    """Each tab counted down on its own: a tab left open in the background signed the whole session out while
    another was in use, and what was typed there afterwards went with it. Every tab now counts from the last time
    the server heard from any of them."""
    dashboard = live_server.url + "/portal/"
    _sign_in(page, live_server.url, professional, password)
    in_use = page.context.new_page()
    in_use.goto(dashboard)
    left = page.locator("#portal-timeout")
    left.wait_for(state="visible", timeout=8000)

    in_use.reload()  # someone is at the other tab: the left tab's warning no longer holds
    expect(left).to_be_hidden()
    for _ in range(4):  # past the left tab's own countdown (9 s), had it counted alone
        in_use.wait_for_timeout(2500)
        in_use.reload()
        assert in_use.url == dashboard

    assert page.url == dashboard
    expect(left).to_be_hidden()


def test_staff_get_the_same_dialog_in_the_admin_within_its_content_security_policy(
    live_server, home_page, page, short_sessions, client, superuser
):
    """Signed in as the code step leaves a session (a code can be used once), then the admin in Chromium."""
    client.force_login(superuser)
    session = client.session
    session["otp_device_id"] = superuser.totpdevice_set.get().persistent_id
    session.save()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}]
    )
    csp_errors = []
    page.on("console", lambda msg: csp_errors.append(msg.text) if "script-src" in msg.text else None)

    page.goto(live_server.url + "/admin/")
    dialog = page.locator("#portal-timeout")
    dialog.wait_for(state="visible", timeout=6000)
    assert page.evaluate("document.getElementById('portal-timeout').contains(document.activeElement)")
    with page.expect_response("**/admin/keep-alive/") as keep_alive:
        dialog.get_by_role("button", name="Stay signed in").click()
    assert keep_alive.value.status == 200
    expect(dialog).to_be_hidden()  # the script closes it once the keep-alive has answered

    dialog.wait_for(state="visible", timeout=6000)
    page.wait_for_url("**/admin/login/**", timeout=15000)
    assert "You were signed out because you had not done anything" in page.content()
    assert csp_errors == []


def test_the_time_outs_sign_out_leaves_an_admin_edit_page_with_unsaved_changes_without_asking(
    live_server, home_page, page, countdown_after_four_seconds, client
):
    """Wagtail asks before an edit page with unsaved changes is left; when the countdown ended, the page signing
    itself out met that question and stayed, a child's details on an unattended screen, until someone answered."""
    child = ChildRecordFactory()
    sign_in_to_editor(page, client, live_server)
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.goto(live_server.url + reverse("child_records:edit", args=[child.pk]))
    page.get_by_label("First name").fill("Robyn")  # not saved
    page.locator("[data-controller~='w-unsaved'][data-w-unsaved-has-edits-value='true']").wait_for(state="attached")

    page.wait_for_url("**/admin/login/**", timeout=20000)
    assert asked == []


def follow_a_link_to(page, url):
    """Navigate as a link does (page.goto is a typed address, which Chromium may check with the server first)."""
    with page.expect_navigation():
        page.evaluate("url => { window.location.href = url; }", url)


def test_a_guidance_page_seen_before_signing_in_offers_sign_out_after(
    live_server, home_page, page, professional, password
):
    """Chromium keeps a copy of a guidance page (sent ``max-age=0, no-cache`` with an ETag, and ``Vary: Cookie``) and
    may show it again, on Back or when it asks whether the page changed: signing in must not leave the signed-out copy
    showing, with no way to sign out (cms.cache.BrowserRevalidationMiddleware)."""
    guidance = published(HelpPageFactory(parent=home_page, title="Getting started", slug="getting-started"))
    url = live_server.url + guidance.url
    with urllib.request.urlopen(url) as someone_else:  # noqa: S310 - the test's own server
        assert someone_else.headers["X-Wagtail-Cache"] == "miss"
    assert page.goto(url).headers["x-wagtail-cache"] == "hit"  # the copy this browser keeps came from the page cache
    expect(page.locator(".govuk-service-navigation")).to_contain_text("Sign in")

    _sign_in(page, live_server.url, professional, password)
    follow_a_link_to(page, url)

    expect(page.locator(".govuk-service-navigation")).to_contain_text("Sign out")
    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("h1")).not_to_have_text("Sign out")
    follow_a_link_to(page, url)
    expect(page.locator(".govuk-service-navigation")).to_contain_text("Sign in")


def test_after_a_wrong_code_the_error_summary_takes_focus_and_its_link_moves_focus_to_the_box(
    live_server, home_page, page, professional, password
):
    """GOV.UK's practice: no autofocus when the code page opens; after an error, focus on the error summary, whose
    link puts focus in the box."""
    page.goto(live_server.url + "/portal/sign-in/")
    page.get_by_label("Email address").fill(professional.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/portal/sign-in/code/**")
    assert page.evaluate("document.activeElement === document.body")
    box = page.get_by_label("Code from your authenticator app, or a backup code")

    code = current_code(professional.totpdevice_set.get())
    box.fill("".join(str((int(digit) + 5) % 10) for digit in code))  # every digit wrong
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="The code is not right").click()
    expect(box).to_be_focused()
