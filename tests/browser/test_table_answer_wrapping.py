"""A table answer in "Check your answers" keeps its words whole at 1366 px and at 200% zoom of it (683 px of CSS): the
answer column's "overflow-wrap: anywhere" broke them letter by letter ("Septe/mber", "Sc/ho/ol"). A table wider than
its column scrolls in its own focusable region, never the page; where the column is narrow for the reader's text (200%
zoom, or the browser's text at 200 %) it stacks, each cell under its column's name; a string too long for any line
still breaks."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from advice_forms.models import AdviceRequest
from tests.browser.test_reflow import LARGE_TEXT
from tests.factories.accounts import verified_login
from tests.factories.advice_forms import ChildRecordFactory, advice_request, column, definition, question, section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COLUMNS = ["School", "Year group", "From", "To", "Attendance", "Reason for leaving", "Support received"]
ROWS = [
    ["Kestrelford Primary School", "Reception", "September 2021", "July 2023", "Ninety-four percent", "Moved house"],
    ["Marchwood Church of England School", "Year 2", "September 2023", "December 2025", "Eighty-seven", "Transfer"],
]

# The words (a hyphen may end a line) of the table's cells drawn on more than one line: broken mid-word.
WORDS_BROKEN = """() => [...document.querySelectorAll('.advice-table-answer :is(th, td)')].flatMap(cell => {
    const broken = [];
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode;
        for (const match of node.data.matchAll(/[^\\s-]+/g)) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
            if (tops.size > 1) broken.push(match[0]);
        }
    }
    return broken;
})"""


def _table_request(professional):
    columns = [column(label, key=f"c{i}", required=False) for i, label in enumerate(COLUMNS)]
    version = definition(
        [section("Schools attended", [question("table", "Schools attended", key="schools", columns=columns)], key="s")]
    )
    ar = advice_request(professional, version=version, child=ChildRecordFactory())
    rows = [{f"c{i}": text for i, text in enumerate([*cells, "Weekly literacy group"])} for cells in ROWS]
    rows.append({"c0": "x" * 300, **{f"c{i}": "" for i in range(1, len(COLUMNS))}})
    AdviceRequest.objects.filter(pk=ar.pk).update(answers={"s": {"schools": rows}}, completed_sections=["s"])
    return ar


def _open_check_answers(page, client, live_server, professional, ar):
    verified_login(client, professional)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(live_server.url + reverse("portal:request_check_answers", kwargs={"pk": ar.pk}))
    page.locator(".advice-table-answer").wait_for()


def test_a_table_answer_keeps_its_words_whole_and_scrolls_in_its_own_region(
    live_server, home_page, new_page, client, professional, axe_violations
):
    ar = _table_request(professional)
    page = new_page(viewport={"width": 1366, "height": 900}, device_scale_factor=1)
    _open_check_answers(page, client, live_server, professional, ar)

    assert page.evaluate(WORDS_BROKEN) == []
    region = page.get_by_role("region", name="Schools attended")
    assert region.get_attribute("tabindex") == "0"
    scroll = region.evaluate("el => ({scroll: el.scrollWidth, client: el.clientWidth})")
    assert scroll["scroll"] > scroll["client"], "the wide table scrolls inside its region"
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px"
    violations = axe_violations(page)
    assert not violations, axe_violations.describe(violations)


# Each row of the table, and whether it is drawn as a block (stacked) or as a table's row.
ROWS_DRAWN_AS = "() => [...document.querySelectorAll('.advice-table-answer tr')].map(r => getComputedStyle(r).display)"


@pytest.mark.parametrize(
    ("width", "text"),
    [(1280, LARGE_TEXT), (683, "")],
    ids=["1280px with text at 200 percent", "200 percent zoom of 1366px"],
)
def test_a_table_answer_stacks_in_a_column_narrow_for_its_text_and_nothing_scrolls_sideways(
    live_server, home_page, new_page, client, professional, width, text, axe_violations
):
    """At 1280 px with the browser's text at 200 % the table kept its columns (its stacking followed the window's
    width) and scrolled sideways in its region, 6,854 px of it in 460. It stacks: each row a block, each cell under
    its column's name, and neither the region nor the page scrolls sideways."""
    ar = _table_request(professional)
    # The text size is a setting of the reader's, which the page's Content Security Policy would refuse as a style.
    page = new_page(viewport={"width": width, "height": 900}, device_scale_factor=1, bypass_csp=True)
    _open_check_answers(page, client, live_server, professional, ar)
    if text:
        page.add_style_tag(content=text)

    assert set(page.evaluate(ROWS_DRAWN_AS)) == {"block"}
    region = page.get_by_role("region", name="Schools attended")
    scroll = region.evaluate("el => ({scroll: el.scrollWidth, client: el.clientWidth})")
    assert scroll["scroll"] <= scroll["client"], f"the table scrolls sideways in its region: {scroll}"
    expect(region).not_to_have_attribute("tabindex", re.compile(".*"))  # nothing to scroll: not a tab stop
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px"
    first = page.locator(".advice-table-answer td").first
    assert first.evaluate("td => getComputedStyle(td, '::before').content") == f'"{COLUMNS[0]}"'
    assert [word for word in page.evaluate(WORDS_BROKEN) if set(word) != {"x"}] == []
    violations = axe_violations(page)
    assert not violations, axe_violations.describe(violations)


def test_a_table_answer_with_nothing_to_scroll_is_not_a_tab_stop(live_server, home_page, page, client, professional):
    """The region of a table that fits its column was still a tab stop: a stop that does nothing for keyboard users."""
    columns = [column("School", key="school", required=False), column("Year group", key="year", required=False)]
    version = definition([section("Schools", [question("table", "Schools", key="schools", columns=columns)], key="s")])
    ar = advice_request(professional, version=version, child=ChildRecordFactory())
    rows = [{"school": "Oak Primary", "year": "Year 2"}]
    AdviceRequest.objects.filter(pk=ar.pk).update(answers={"s": {"schools": rows}}, completed_sections=["s"])

    _open_check_answers(page, client, live_server, professional, ar)

    region = page.get_by_role("region", name="Schools")
    scroll = region.evaluate("el => ({scroll: el.scrollWidth, client: el.clientWidth})")
    assert scroll["scroll"] <= scroll["client"], "the table fits its column"
    expect(region).not_to_have_attribute("tabindex", re.compile(".*"))


# A4's width less Chrome's default margins of 1 cm, at 96 CSS px to the inch: 190 mm.
A4_PRINTABLE_WIDTH = 718


def test_a_printed_table_answer_is_shown_whole_with_no_scroll_bar_or_focus_outline(
    live_server, home_page, new_page, client, professional
):
    """Printed, the region kept "overflow-x: auto": the columns past its width were cut off the paper; and, shown
    whole at its width on screen, the table still ran off the page's right edge. It wraps within the page."""
    ar = _table_request(professional)
    page = new_page(viewport={"width": A4_PRINTABLE_WIDTH, "height": 900}, device_scale_factor=1)
    _open_check_answers(page, client, live_server, professional, ar)
    region = page.get_by_role("region", name="Schools attended")
    region.focus()
    page.emulate_media(media="print")
    style = region.evaluate("el => { const s = getComputedStyle(el); return [s.overflowX, s.outlineStyle]; }")
    assert style == ["visible", "none"]
    edges = page.evaluate(
        """() => ({table: document.querySelector('.advice-table-answer').getBoundingClientRect().right,
                   page: document.documentElement.clientWidth})"""
    )
    assert edges["table"] <= edges["page"], f"the table runs {edges['table'] - edges['page']} px off the paper"


def test_printed_check_answers_leave_out_the_change_links_and_give_the_answers_their_width(
    live_server, home_page, new_page, client, professional
):
    """On paper GOV.UK's print styles write each link's address after it: the "Change" links' column took 207 of the
    list's 552 px of A4, and the 7-column table answer wrapped hard in what was left. Printed, the column is gone and
    the answers reach the list's right edge, the table still within the page."""
    ar = _table_request(professional)
    page = new_page(viewport={"width": A4_PRINTABLE_WIDTH, "height": 900}, device_scale_factor=1)
    _open_check_answers(page, client, live_server, professional, ar)
    page.emulate_media(media="print")
    actions = page.locator(".govuk-summary-list__actions")
    assert actions.count() == 1
    assert actions.evaluate_all("els => els.map(el => getComputedStyle(el).display)") == ["none"]
    edges = page.evaluate(
        """() => {
            const right = selector => document.querySelector(selector).getBoundingClientRect().right;
            return {list: right('.govuk-summary-list'), value: right('.govuk-summary-list__value'),
                    table: right('.advice-table-answer'), page: document.documentElement.clientWidth};
        }"""
    )
    assert edges["value"] == edges["list"], f"the answer column stops {edges['list'] - edges['value']} px short"
    assert edges["table"] <= edges["page"], f"the table runs {edges['table'] - edges['page']} px off the paper"
