"""Reflow (WCAG 1.4.10): at 200% zoom of a 1280 px window (640 px of CSS) and at 320 px, the portal's pages scroll
one way only, and every link and button of the header is inside the page's width, where a click lands on it."""

import pytest
import wagtail_factories

from cms.models import PortalSettings
from tests.browser.test_accounts import _sign_in
from tests.factories.cms import HelpPageFactory, published

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each header link or button that is drawn, scrolled into view: whether it lies inside the page's width, and whether
# a click at the middle of each of its lines (a wrapped link has two) reaches it rather than a neighbour over it.
HEADER_CONTROLS = """() => [...document.querySelectorAll('header[role=banner] a, header[role=banner] button')]
    .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
    .map(el => {
        el.scrollIntoView({block: 'center', inline: 'nearest'});
        const box = el.getBoundingClientRect();
        const reached = [...el.getClientRects()].every(line => {
            const hit = document.elementFromPoint(line.left + line.width / 2, line.top + line.height / 2);
            return !!hit && (hit === el || el.contains(hit));
        });
        return {
            name: (el.innerText || el.getAttribute('aria-label') || '').trim(),
            inside: box.left >= 0 && box.right <= document.documentElement.clientWidth,
            reached: reached,
        };
    })"""


def _assert_reflows(page, where):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{where} scrolls sideways by {overflow} px"
    controls = page.evaluate(HEADER_CONTROLS)
    assert controls, where
    out_of_reach = [c for c in controls if not (c["inside"] and c["reached"])]
    assert out_of_reach == [], f"{where}: header links or buttons off the page or covered"


@pytest.mark.parametrize("width", [640, 320])
def test_the_portal_reflows_with_every_header_link_in_reach(
    live_server, home_page, browser, professional, password, width
):
    """A council's wordmark is often wide (600 x 60 here, drawn 400 px wide at the header's 40 px height): it
    pushed every page 105 px sideways at 320 px."""
    PortalSettings.objects.update(logo=wagtail_factories.ImageFactory(file__width=600, file__height=60))
    guidance = published(HelpPageFactory(parent=home_page, title="Requesting advice", slug="requesting-advice"))
    context = browser.new_context(viewport={"width": width, "height": 400}, device_scale_factor=1)
    page = context.new_page()
    try:
        for path in ["/", guidance.url, "/portal/sign-in/"]:
            page.goto(live_server.url + path)
            _assert_reflows(page, path)
        _sign_in(page, live_server.url, professional, password)
        _assert_reflows(page, "the dashboard")
        menu = page.get_by_role("button", name="Menu")
        if menu.is_visible():
            menu.click()
            _assert_reflows(page, "the dashboard with the menu open")
    finally:
        context.close()
