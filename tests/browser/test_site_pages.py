import pytest

from tests.browser.conftest import axe_run

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_renders_with_no_axe_violations(live_server, home_page, page, axe_violations):
    response = page.goto(live_server.url + "/")

    assert response.status == 200
    assert page.locator("h1").inner_text() == home_page.title
    assert "Testshire County Council" in page.locator("header").inner_text()
    # GOV.UK Frontend's JavaScript ran under the CSP: the body is marked as supported.
    assert "govuk-frontend-supported" in page.locator("body").get_attribute("class")
    # ... and initAll() ran from cms/init.js (no inline script, no nonce): the components are initialised.
    page.wait_for_selector(".govuk-skip-link[data-govuk-skip-link-init]", state="attached")
    violations = axe_violations(page)
    assert violations == [], axe_violations.describe(violations)


def test_404_page_renders_with_no_axe_violations(live_server, home_page, page, axe_violations):
    csp_errors = []
    page.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)

    response = page.goto(live_server.url + "/this-page-does-not-exist/")

    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    violations = axe_violations(page)
    assert violations == [], axe_violations.describe(violations)
    assert csp_errors == []


def test_everything_above_the_main_content_is_in_a_landmark(live_server, home_page, page):
    """axe's "region" rule (a best practice, so outside the WCAG run above): the phase banner sat outside every
    landmark, and screen reader users moving by landmarks missed it and its feedback link."""
    page.goto(live_server.url + "/")

    violations = axe_run(page, "rule", ["region"])

    assert [node["target"] for violation in violations for node in violation["nodes"]] == []
    assert page.get_by_role("banner").locator(".govuk-phase-banner").count() == 1


# A link's colour and underline; once focused, its colour and background.
LINK_STYLE_JS = "a => { const style = getComputedStyle(a); return [style.color, style.textDecorationLine]; }"
FOCUSED_STYLE_JS = "a => { a.focus(); const style = getComputedStyle(a); return [style.color, style.backgroundColor]; }"


def test_a_link_in_the_home_pages_introduction_looks_and_focuses_as_a_govuk_link(live_server, home_page, page):
    """The introduction is an editor's rich text: its links take GOV.UK's link colour and yellow focus, as every
    other rich text on the public pages does, not the browser's own blue with no focus style. The phase banner's
    feedback link is a GOV.UK link (govuk-link) of the same GOV.UK Frontend build."""
    home_page.intro = "<p>Read <a href=\"/help/\">how parents' and carers' views are included</a>.</p>"
    home_page.save_revision().publish()
    page.goto(live_server.url + "/")
    link = page.get_by_role("main").get_by_role("link", name="how parents' and carers' views are included")
    govuk_link = page.locator(".govuk-phase-banner a.govuk-link")

    assert link.evaluate(LINK_STYLE_JS) == govuk_link.evaluate(LINK_STYLE_JS)
    assert link.evaluate(LINK_STYLE_JS)[0] != "rgb(0, 0, 238)"  # the browser's own link blue
    assert link.evaluate(FOCUSED_STYLE_JS) == govuk_link.evaluate(FOCUSED_STYLE_JS)
    assert link.evaluate(FOCUSED_STYLE_JS)[1] == "rgb(255, 221, 0)"  # GOV.UK's focus yellow, #ffdd00
