"""Wagtail's pages that upload several documents or images draw their file input with no label, under the button
that labels it on screen; cms/static/cms/admin/upload-label.js names it by that button. These fail when upstream's
markup changes: adapt the script to it, or remove it if upstream now names the input
(tests/browser/test_upload_label.py shows the name in Chromium)."""

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db

PAGES = ["/admin/documents/multiple/add/", "/admin/images/multiple/add/"]


@pytest.mark.parametrize("path", PAGES)
def test_upstreams_upload_input_is_still_unnamed_under_its_button(verified_admin_client, path):
    page = BeautifulSoup(verified_admin_client.get(path).content, "html.parser")

    # What the script looks for: the input straight in .replace-file-input, beside the button whose words name it.
    [upload] = page.select(".replace-file-input > input#fileupload[type=file]")
    button = upload.parent.find("button", recursive=False)
    assert " ".join(button.get_text().split()) == "Or choose from your computer"
    assert "type" not in button.attrs  # a submit button, which the script makes a plain one that opens the picker
    # Still unnamed upstream: no label for it, none around it, no name of its own.
    assert not page.select("label[for=fileupload]") and upload.find_parent("label") is None
    assert not {"aria-label", "aria-labelledby", "title"} & set(upload.attrs)
