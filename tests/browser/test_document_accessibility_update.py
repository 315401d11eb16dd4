"""In Wagtail's multiple uploader, a PDF's warning of what it lacks for screen readers outlives "Update" on its row:
Wagtail removes the row once it is saved, warning and all, and the warning is then shown among the admin's messages,
naming the document by the title just saved (cms/static/cms/admin/document-accessibility-update.js)."""

import pytest
from playwright.sync_api import expect

from cms.document_accessibility import ADVICE, WARNING
from tests.browser.editor import serve_empty_script, sign_in_to_editor
from tests.conftest import seed_migrated_rows
from tests.factories.advice_forms import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _upload_and_update(page, live_server):
    page.goto(live_server.url + "/admin/documents/multiple/add/")
    page.set_input_files(
        "#fileupload", files=[{"name": "leaflet.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    row = page.locator("#upload-list > li")
    expect(row.locator("form")).to_contain_text(f"{WARNING}: ", timeout=30000)
    row.get_by_label("Title").fill("Annual reviews 2025")
    row.get_by_role("button", name="Update").click()
    expect(row).to_have_count(0, timeout=30000)  # saved, and the row gone with its warning


def test_the_warning_is_a_message_once_the_updated_row_goes(live_server, client, page):
    seed_migrated_rows()  # an earlier browser test's flush took the root collection the upload page needs
    sign_in_to_editor(page, client, live_server)

    _upload_and_update(page, live_server)

    messages = page.locator(".messages")
    expect(messages).to_contain_text("'Annual reviews 2025' may not be accessible: it has no tags")
    expect(messages).to_contain_text(ADVICE)


def test_without_our_script_the_warning_goes_with_the_row(live_server, client, page):
    """Upstream as it is: when this fails, Wagtail keeps the warning after Update itself, and the script can go."""
    seed_migrated_rows()
    sign_in_to_editor(page, client, live_server)
    page.route("**/cms/admin/document-accessibility-update*.js", serve_empty_script)

    _upload_and_update(page, live_server)

    page.wait_for_timeout(500)
    expect(page.locator(".messages")).not_to_contain_text(WARNING)
