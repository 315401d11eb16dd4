"""A content editor adds a table to a help page in a real Chromium, under the admin's Content Security Policy: types
its cells in Wagtail's table editor, is asked for the caption it forgot, previews and publishes it; the public page
shows a GOV.UK table with header cells and has no axe violations. A table pasted into a Text block keeps its cells
apart."""

import pytest
from playwright.sync_api import expect

from tests.browser.editor import chooser_shown, sign_in_to_editor, slid_open
from tests.factories.cms import HelpPageFactory, published
from tests.pdfs import pdftotext, structure_types

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _add_block(page, live_server, help_page, name):
    page.goto(f"{live_server.url}/admin/pages/{help_page.pk}/edit/")
    page.locator('[data-contentpath="body"] button.c-sf-add-button').first.click()
    chooser_shown(page)
    page.get_by_role("option", name=name, exact=True).click()
    slid_open(page, page.locator('[data-contentpath="body"] [data-streamfield-child]').first)


def _type_cells(ed, rows):
    for row, cells in enumerate(rows):
        for col, text in enumerate(cells):
            ed.locator(".htCore tbody tr").nth(row).locator("td").nth(col).click()
            ed.keyboard.type(text)
            ed.keyboard.press("Enter")  # ends the cell's edit, as Handsontable's own help says


def test_an_editor_adds_a_table_to_a_help_page_and_publishes_it(live_server, home_page, page, client, axe_violations):
    help_page = published(HelpPageFactory(parent=home_page, title="A guide for SENCOs", slug="sencos", body=[]))
    sign_in_to_editor(page, client, live_server)
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )

    _add_block(page, live_server, help_page, "Table")
    page.get_by_label("Table headers").select_option("both")
    expect(page.locator(".htCore").first).to_be_visible()
    _type_cells(page, [["Step", "Weeks"], ["Decision to assess", "6"], ["Final plan", "20"]])
    page.locator("footer .dropdown-toggle, [data-w-dropdown-target='toggle']").last.click()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text("Enter a table caption")).to_be_visible(timeout=15000)

    page.get_by_label("Table caption").fill("Statutory timescales")
    page.get_by_label("Table caption").press("Tab")  # the editor takes the caption when the box loses focus
    page.locator('[data-side-panel-toggle="preview"]').click()
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.locator("caption")).to_have_text("Statutory timescales", timeout=15000)
    page.locator("footer .dropdown-toggle, [data-w-dropdown-target='toggle']").last.click()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text("has been published")).to_be_visible(timeout=15000)
    page.context.clear_cookies()
    assert refused == []

    page.goto(live_server.url + "/sencos/")
    table = page.locator("main table.govuk-table")
    expect(table.locator("caption.govuk-table__caption")).to_have_text("Statutory timescales")
    expect(table.locator('thead th[scope="col"]')).to_have_text(["Step", "Weeks"])
    expect(table.locator('tbody th[scope="row"]')).to_have_text(["Decision to assess", "Final plan"])
    expect(table.locator("tbody td")).to_have_text(["6", "20"])
    violations = axe_violations(page)
    assert violations == [], axe_violations.describe(violations)

    # A help page is printed from the browser (FAQs and visual guides have a PDF of their own): the table prints,
    # its header cells tagged as such.
    printed = page.pdf(tagged=True)
    types = structure_types(printed)
    assert types.count("TH") == 4 and types.count("TD") == 2
    text = pdftotext(printed)
    assert all(words in text for words in ("Statutory timescales", "Decision to assess", "Final plan", "20"))


PASTED = (
    "<table><tr><th>Step</th><th>Weeks</th></tr><tr><td>Decision to assess</td><td>6</td></tr>"
    "<tr><td>Final plan</td><td>20</td></tr></table>"
)


def test_a_table_pasted_into_a_text_block_keeps_its_cells_apart(live_server, home_page, page, client):
    help_page = published(HelpPageFactory(parent=home_page, title="A guide for SENCOs", slug="sencos", body=[]))
    sign_in_to_editor(page, client, live_server)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)

    _add_block(page, live_server, help_page, "Text")
    text = page.locator('[data-contentpath="body"] [role="textbox"]').first
    text.click()
    page.evaluate(
        """html => navigator.clipboard.write([new ClipboardItem({
            "text/html": new Blob([html], {type: "text/html"}),
            "text/plain": new Blob(["Step\\tWeeks"], {type: "text/plain"}),
        })])""",
        PASTED,
    )
    page.keyboard.press("Control+V")

    expect(text.locator("[data-block]")).to_have_text(["Step – Weeks", "Decision to assess – 6", "Final plan – 20"])
