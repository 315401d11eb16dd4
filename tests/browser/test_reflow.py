"""Reflow (WCAG 1.4.10): at 200% zoom of a 1280 px window (640 px of CSS) and at 320 px, the portal's pages scroll
one way only, and every link and button of the header is inside the page's width, where a click lands on it."""

import pytest
import wagtail_factories
from django.urls import reverse
from playwright.sync_api import expect

from cms.models import PortalSettings
from faq.demo_content import HELP_PAGES
from tests.browser.test_accounts import _sign_in
from tests.browser.test_advice_wizard import sign_in
from tests.factories.advice_forms import AdviceRequestFactory, small_form_version
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
    live_server, home_page, new_page, professional, password, width
):
    """A council's wordmark is often wide (600 x 60 here, drawn 400 px wide at the header's 40 px height): it
    pushed every page 105 px sideways at 320 px."""
    PortalSettings.objects.update(logo=wagtail_factories.ImageFactory(file__width=600, file__height=60))
    guidance = published(HelpPageFactory(parent=home_page, title="Requesting advice", slug="requesting-advice"))
    page = new_page(viewport={"width": width, "height": 400}, device_scale_factor=1)
    for path in ["/", guidance.url, "/portal/sign-in/"]:
        page.goto(live_server.url + path)
        _assert_reflows(page, path)
    _sign_in(page, live_server.url, professional, password)
    _assert_reflows(page, "the dashboard")
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():
        menu.click()
        _assert_reflows(page, "the dashboard with the menu open")


# WCAG 1.4.12's text spacing, as the bookmarklet people use to check it sets it.
TEXT_SPACING = """* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }"""

# The demo guide for SENCOs' table of timescales (faq/demo_content.py).
TIMESCALES = next(
    value for slug, *_, body in HELP_PAGES if slug == "a-guide-for-sencos" for kind, value in body if kind == "table"
)


def test_a_help_page_table_scrolls_in_its_own_region_not_the_page_at_320px_with_wider_text_spacing(
    live_server, home_page, new_page
):
    """The demo guide's table of timescales, with text spacing at 320 px, pushed the whole page 7 px sideways."""
    guide = published(
        HelpPageFactory(parent=home_page, title="A guide for SENCOs", slug="sencos", body=[("table", TIMESCALES)])
    )
    # The spacing is a style sheet of the tester's, which the page's Content Security Policy would refuse.
    page = new_page(viewport={"width": 320, "height": 640}, device_scale_factor=1, bypass_csp=True)
    page.goto(live_server.url + guide.url)
    page.add_style_tag(content=TEXT_SPACING)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    region = page.get_by_role("region", name=TIMESCALES["table_caption"])
    assert page.evaluate("(region) => region.scrollWidth > region.clientWidth", region.element_handle())
    expect(region).to_have_attribute("tabindex", "0")  # it scrolls, so the keyboard can reach it


# The browser's text size at 200 % (a phone's or a desktop's font setting): the root font size every rem follows.
LARGE_TEXT = "html { font-size: 200% !important; }"


def _sideways_overflow(page):
    """How far the page scrolls sideways; the elements whose right edge passes the window's (outside a table's own
    scrolling region); and, to say why, those whose text runs out of them."""
    return page.evaluate(
        """() => {
            const name = el => el.tagName.toLowerCase() + '.' + [...el.classList].join('.');
            const drawn = [...document.querySelectorAll('body *')]
                .filter(el => el.getClientRects().length && !el.closest('[data-scroll-region]'));
            return [
                document.documentElement.scrollWidth - window.innerWidth,
                drawn.filter(el => el.getBoundingClientRect().right > window.innerWidth + 1).map(name).slice(0, 5),
                drawn.filter(el => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible')
                    .map(el => name(el) + ': ' + el.innerText.slice(0, 40)).slice(0, 5),
            ];
        }"""
    )


@pytest.mark.parametrize("width", [360, 320])
def test_long_words_in_headings_tables_and_drop_downs_stay_inside_the_page_with_text_at_200_percent(
    live_server, home_page, new_page, width
):
    """At 360 px with the browser's text at 200 %, "Professional", "assessment" and "professionals" in headings ran
    past the right edge and the page scrolled sideways; at 320 px so did the SENCO guide's table and the Register
    page's drop-down list (WCAG 1.4.10)."""
    guidance = published(
        HelpPageFactory(
            parent=home_page, title="Professional advice for professionals during an assessment", slug="advice"
        )
    )
    guide = published(
        HelpPageFactory(parent=home_page, title="A guide for SENCOs", slug="sencos", body=[("table", TIMESCALES)])
    )
    # The text size is a setting of the reader's, which the page's Content Security Policy would refuse as a style.
    page = new_page(viewport={"width": width, "height": 640}, device_scale_factor=1, bypass_csp=True)
    for path in ["/", guidance.url, guide.url, "/portal/register/", "/search/?q=professionals"]:
        page.goto(live_server.url + path)
        page.add_style_tag(content=LARGE_TEXT)
        overflow, past_the_edge, text_out = _sideways_overflow(page)
        assert overflow <= 0, f"{path} scrolls sideways by {overflow} px: {past_the_edge} {text_out}"
        assert past_the_edge == [], f"{path}: {past_the_edge} run past the window's right edge"
    page.goto(live_server.url + guide.url)
    page.add_style_tag(content=LARGE_TEXT)
    region = page.get_by_role("region", name=TIMESCALES["table_caption"])
    assert page.evaluate("(region) => region.scrollWidth > region.clientWidth", region.element_handle())


@pytest.mark.parametrize("width", [320, 360])
def test_the_header_search_box_has_a_visible_label_and_a_wrapped_button_starts_at_the_margin(
    live_server, home_page, new_page, width
):
    """On a phone the header's search box was a white box with no visible label, and the "Search guidance" button,
    wrapped under it, sat 5 px right of the page's margin (its left margin stayed when it wrapped)."""
    page = new_page(viewport={"width": width, "height": 640}, device_scale_factor=1)
    page.goto(live_server.url + "/")
    label = page.locator("header label[for=header-search]")
    box = page.locator("#header-search")
    button = page.get_by_role("button", name="Search guidance")

    expect(label).to_have_text("Search the guidance")
    label_box, input_box, button_box = label.bounding_box(), box.bounding_box(), button.bounding_box()
    assert label_box["width"] > 100 and label_box["height"] > 10  # drawn, not visually hidden
    assert label_box["y"] + label_box["height"] <= input_box["y"]  # above the box, as GOV.UK places a label
    assert (
        page.evaluate("(label) => getComputedStyle(label).color", label.element_handle()) == "rgb(255, 255, 255)"
    )  # white on the header's colour
    assert button_box["y"] >= input_box["y"] + input_box["height"]  # wrapped under the box at this width
    assert button_box["x"] == input_box["x"] == label_box["x"]


COLUMN_SHARE = """() => {
    const column = document.querySelector('main .govuk-grid-column-two-thirds');
    return column.getBoundingClientRect().width / column.parentElement.getBoundingClientRect().width;
}"""


def test_check_answers_takes_the_pages_whole_width_with_text_at_200_percent(
    live_server, home_page, new_page, professional
):
    """At 1280 px with the browser's text at 200 % check answers kept GOV.UK's two-thirds column (its breakpoint is a
    width of the window), and each answer had a sliver of it beside its question: with large text the column takes
    the whole width; with text at its usual size it stays two-thirds."""
    advice_request = AdviceRequestFactory(account=professional, form_version=small_form_version())
    page = new_page(viewport={"width": 1280, "height": 800}, device_scale_factor=1, bypass_csp=True)
    sign_in(page, live_server.url, professional)
    page.goto(live_server.url + reverse("portal:request_check_answers", kwargs={"pk": advice_request.pk}))

    assert page.evaluate(COLUMN_SHARE) == pytest.approx(2 / 3, abs=0.01)
    page.add_style_tag(content=LARGE_TEXT)
    assert page.evaluate(COLUMN_SHARE) == pytest.approx(1, abs=0.01)
    overflow, past_the_edge, _ = _sideways_overflow(page)
    assert overflow <= 0 and past_the_edge == []
