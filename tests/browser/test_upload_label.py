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
