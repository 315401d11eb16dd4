"""Headings in rich text take GOV.UK's sizes, not the browser's: an h2 as govuk-heading-m, an h3 or lower as
govuk-heading-s, on a phone and a laptop, wherever cms.rich_text.headings_under has renumbered them (a help page's
Text block; a wizard step's section guidance and its guidance blocks, with and without a heading of their own)."""

import pytest
from wagtail.rich_text import RichText

from tests.browser.test_advice_wizard import step_opened
from tests.browser.test_site_pages import FOCUSED_STYLE_JS, LINK_STYLE_JS
from tests.factories.advice_forms import DESIGNERS_HEADINGS, definition, question, section
from tests.factories.cms import HelpPageFactory, published

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOOKS = ["fontSize", "lineHeight", "fontWeight", "marginTop", "marginBottom"]

# The look of each rich-text heading matched by `selector` (by its text), and of a GOV.UK heading of each size placed
# in the same page's <main>.
STYLES = """([selector, looks]) => {
    const look = element => Object.fromEntries(looks.map(name => [name, getComputedStyle(element)[name]]));
    const sizes = {};
    for (const size of ["m", "s"]) {
        const reference = document.createElement("p");
        reference.className = `govuk-heading-${size}`;
        reference.textContent = "Reference";
        document.querySelector("main").prepend(reference);
        sizes[size] = look(reference);
        reference.remove();
    }
    const headings = [...document.querySelectorAll(selector)].map(h => [h.tagName, h.textContent.trim(), look(h)]);
    return {sizes, headings};
}"""

HEADINGS = ":is(.portal-rich-text, .advice-section-guidance, .govuk-inset-text) :is(h2, h3, h4, h5, h6)"


def headings_and_sizes(page, width):
    page.set_viewport_size({"width": width, "height": 800})
    return page.evaluate(STYLES, [HEADINGS, LOOKS])


def assert_govuk_sizes(page, expected):
    """``expected``: (tag, text, "m" or "s") of each rich-text heading on the page, in order."""
    for width in (320, 1280):  # GOV.UK's type scale is smaller on a phone
        found = headings_and_sizes(page, width)
        assert found["sizes"]["m"]["fontSize"] != found["sizes"]["s"]["fontSize"]
        assert [(tag, text) for tag, text, _ in found["headings"]] == [(tag, text) for tag, text, _ in expected]
        for (tag, text, look), (_, _, size) in zip(found["headings"], expected, strict=True):
            assert look == found["sizes"][size], f"{tag} {text!r} at {width}px is not govuk-heading-{size}"


def views_step_opened(live_server, page, professional, title, guidance_blocks, *, guidance):
    """The professional's request opened at a "views" step: ``guidance_blocks`` above one question, under the section's
    ``guidance``."""
    views = section(
        title,
        [*guidance_blocks, question("short_text", "Whose views did you ask?", key="whose")],
        key="views",
        guidance=guidance,
    )
    step_opened(page, live_server.url, professional, definition([views]), "views")


def test_a_help_pages_rich_text_headings_take_govuk_heading_sizes(live_server, page, home_page):
    text = RichText("<h3>Before you ask</h3><p>Read this.</p><h4>Deadlines</h4><p>Six weeks.</p>")
    help_page = published(HelpPageFactory(parent=home_page, title="Asking for advice", body=[("text", text)]))
    page.goto(live_server.url + help_page.url)
    assert_govuk_sizes(page, [("H2", "Before you ask", "m"), ("H3", "Deadlines", "s")])


def test_a_wizard_steps_guidance_headings_take_govuk_heading_sizes(live_server, page, professional, home_page):
    views_step_opened(
        live_server,
        page,
        professional,
        "Section 5: views",
        [
            question("guidance", "", body=DESIGNERS_HEADINGS),
            question("guidance", "", heading="Before you start", body=DESIGNERS_HEADINGS),
        ],
        guidance="<h3>About this section</h3><p>Ask the child first.</p><h4>Young people</h4><p>Over 16.</p>",
    )
    assert_govuk_sizes(
        page,
        [
            ("H2", "About this section", "m"),
            ("H3", "Young people", "s"),
            ("H2", "Who to ask", "m"),
            ("H3", "If there is none", "s"),
            # The block's own heading keeps its govuk-heading-s; the designer's headings go on below it.
            ("H2", "Before you start", "s"),
            ("H3", "Who to ask", "s"),
            ("H4", "If there is none", "s"),
        ],
    )


def test_a_link_in_a_wizard_steps_guidance_looks_and_focuses_as_a_govuk_link(
    live_server, page, professional, home_page
):
    """A form designer's links, in a section's guidance and in a guidance block, take GOV.UK's link colour and yellow
    focus (they were the browser's own blue, with no focus style), as the phase banner's GOV.UK link does."""
    views_step_opened(
        live_server,
        page,
        professional,
        "Views",
        [question("guidance", "", body='<p>Read <a href="/help/">the block guide</a>.</p>')],
        guidance='<p>Read <a href="/help/">the section guide</a>.</p>',
    )
    govuk_link = page.locator(".govuk-phase-banner a.govuk-link")

    for name in ("the section guide", "the block guide"):
        link = page.get_by_role("main").get_by_role("link", name=name)
        assert link.evaluate(LINK_STYLE_JS) == govuk_link.evaluate(LINK_STYLE_JS), name
        assert link.evaluate(FOCUSED_STYLE_JS) == govuk_link.evaluate(FOCUSED_STYLE_JS), name
        assert link.evaluate(FOCUSED_STYLE_JS)[1] == "rgb(255, 221, 0)"  # GOV.UK's focus yellow
