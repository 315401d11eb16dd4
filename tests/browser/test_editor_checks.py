"""Wagtail's preview and its accessibility checker in a real Chromium: the side-panel preview shows the page
(its response may be framed by the admin), and the checker reports real issues; staff see the userbar on live
pages."""

import pytest
import wagtail_factories
from playwright.sync_api import expect

from tests.browser.editor import sign_in_to_editor
from tests.factories.cms import HelpPageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page_with_issues(home_page):
    image = wagtail_factories.ImageFactory(title="A screenshot")
    help_page = HelpPageFactory(
        parent=home_page,
        title="Signing in",
        slug="signing-in",
        body=[
            ("image", {"image": image, "alt_text": "IMG_0042.png", "caption": ""}),
            ("heading", "Before you start"),
            ("text", "<h4>Forgotten your password?</h4><p>Choose the link on the sign-in page.</p>"),
        ],
    )
    help_page.save_revision().publish()
    return help_page


def test_the_side_panel_preview_shows_the_page_and_the_checker_flags_real_issues(live_server, home_page, client, page):
    help_page = _page_with_issues(home_page)
    sign_in_to_editor(page, client, live_server)
    page.goto(f"{live_server.url}/admin/pages/{help_page.pk}/edit/")
    page.locator('[data-side-panel-toggle="preview"]').click()
    frame = page.frame_locator("#w-preview-iframe")
    expect(frame.get_by_role("heading", level=1, name="Signing in")).to_be_visible(timeout=15000)

    page.locator('[data-side-panel-toggle="checks"]').click()
    checks = page.locator('[data-side-panel="checks"]')
    expect(checks.locator("[data-content-checker-count]")).to_have_text("1", timeout=15000)
    rows = checks.locator("[data-content-checker-row]").all_inner_texts()
    assert any("Image alt text has inappropriate pattern" in row for row in rows), rows
    # The editor's h4 under the page's "Before you start" (an h2) is drawn as an h3 (cms.rich_text.headings_under):
    # the page the checker reads has no skipped heading level any more.
    assert not any("Incorrect heading hierarchy" in row for row in rows), rows

    csp_errors = []
    page.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(live_server.url + help_page.url)
    page.locator("wagtail-userbar").get_by_role("button", name="View Wagtail quick actions").click()
    expect(page.locator("wagtail-userbar").get_by_role("menuitem", name="Edit this page")).to_be_visible()
    assert csp_errors == []
    page.goto("about:blank")  # stop the preview's refreshes before the test database is emptied


def test_the_checker_counts_link_text_that_does_not_say_where_it_goes(live_server, home_page, client, page):
    """Wagtail's own rules said "Issues found 0" for a draft whose link said "click here" (cms.wagtail_hooks'
    GuidanceContentCheckerItem adds the rule; cms/static/cms/userbar/link-text-check.js evaluates it)."""
    help_page = HelpPageFactory(
        parent=home_page,
        title="School transport",
        slug="school-transport",
        body=[
            ("text", '<p>To apply, <a href="https://example.org/apply">Click here</a>.</p>'),
            ("text", '<p>Read <a href="https://example.org/policy">the school transport policy</a>.</p>'),
        ],
    )
    help_page.save_revision().publish()
    sign_in_to_editor(page, client, live_server)
    page.goto(f"{live_server.url}/admin/pages/{help_page.pk}/edit/")
    page.locator('[data-side-panel-toggle="checks"]').click()
    checks = page.locator('[data-side-panel="checks"]')

    expect(checks.locator("[data-content-checker-count]")).to_have_text("1", timeout=15000)
    rows = checks.locator("[data-content-checker-row]").all_inner_texts()
    assert len(rows) == 1 and "Link text should say where the link goes, not 'click here'" in rows[0], rows
    page.goto("about:blank")  # stop the preview's refreshes before the test database is emptied
