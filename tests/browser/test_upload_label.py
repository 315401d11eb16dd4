"""The file input of Wagtail's pages that upload several documents or images has a name in Chromium, the words of the
button it lies over, and axe finds no unlabelled field there (cms/static/cms/admin/upload-label.js; without it axe
reported "Form elements must have labels" for #fileupload)."""

import pytest

from tests.browser.editor import sign_in_to_editor
from tests.conftest import seed_migrated_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("path", ["/admin/documents/multiple/add/", "/admin/images/multiple/add/"])
def test_the_upload_input_is_named_by_its_buttons_words(live_server, client, page, axe_violations, path):
    seed_migrated_rows()  # an earlier browser test's flush took the root collection the upload pages need
    sign_in_to_editor(page, client, live_server)
    page.goto(live_server.url + path)

    # Deferred, the admin's scripts have run once the page has loaded: the input (a button to Chromium) and the button
    # it lies over now have one name.
    assert page.get_by_role("button", name="Or choose from your computer", exact=True).count() == 2
    violations = axe_violations(page, rules=["label"])
    assert violations == [], axe_violations.describe(violations)


@pytest.mark.parametrize("path", ["/admin/documents/multiple/add/", "/admin/images/multiple/add/"])
@pytest.mark.parametrize("key", ["Enter", "Space"])
def test_the_upload_button_opens_the_file_picker_from_the_keyboard_and_sends_nothing(
    live_server, client, page, path, key
):
    """The button had no type: Enter or Space on it sent the form with no file, to a bare "Must upload a file"."""
    seed_migrated_rows()
    sign_in_to_editor(page, client, live_server)
    page.goto(live_server.url + path)
    sent = []
    page.on("request", lambda request: sent.append(request.url) if request.method == "POST" else None)
    # Listening from the start: Playwright takes over the browser's file picker only once something listens for it,
    # and a picker opened before that is the browser's own, which the test never sees.
    page.on("filechooser", lambda chooser: None)
    button = page.locator(".replace-file-input > button")
    button.focus()

    with page.expect_file_chooser() as chooser:
        page.keyboard.press(key)

    assert chooser.value.is_multiple()
    page.wait_for_timeout(500)  # a submission would have been sent by now; nothing is waited for on success
    assert sent == [] and page.url == live_server.url + path
    # One stop for the keyboard: the next Tab leaves the upload, not onto the unseen input beneath the button.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") != "fileupload"
