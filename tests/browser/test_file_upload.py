"""One file control wherever a professional uploads: the documents page and a file question on a step both show
GOV.UK Frontend's file upload component ("Choose file" button and drop zone) with JavaScript, the browser's own input
without it, with no axe violation, and a refused file is said beside the field with what was typed kept."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_advice_wizard import sign_in
from tests.factories.advice_forms import (
    AdviceRequestFactory,
    ChildRecordFactory,
    advice_request,
    definition,
    document_types,
    question,
    section,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOT_A_PDF = {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"just words, not a PDF"}


@pytest.fixture
def upload_pages(live_server, professional, home_page):
    """The documents page and a step asking for a file beside a text question, as (label, address) pairs."""
    document_types()
    documents = advice_request(professional, child=ChildRecordFactory(first_name="Ariadne", last_name="Quill"))
    questions = [question("file", "Support plan", key="plan"), question("short_text", "Notes", key="notes")]
    stepped = AdviceRequestFactory(
        account=professional, form_version=definition([section("Evidence", questions, key="evidence")])
    )
    return [
        ("Upload a file", f"{live_server.url}/portal/requests/{documents.pk}/documents/"),
        ("Support plan", f"{live_server.url}/portal/requests/{stepped.pk}/steps/evidence/"),
    ]


def _assert_no_violations(page, axe_violations):
    violations = axe_violations(page)
    assert violations == [], axe_violations.describe(violations)


def _assert_the_component(page, label):
    """GOV.UK Frontend's button, named by the field's label and holding its own visible text (WCAG 2.5.3)."""
    button = page.locator("main button.govuk-file-upload-button")
    expect(button).to_have_count(1)
    visible = button.inner_text()
    name = re.search(r'button "([^"]+)"', page.locator("main .govuk-file-upload-wrapper").aria_snapshot()).group(1)
    assert name.startswith(label), name
    for words in ("No file chosen", "Choose file", "or drop file"):
        assert words in visible and words in name, (visible, name)


def test_the_documents_page_and_a_file_question_show_the_same_file_upload_component(
    live_server, page, professional, upload_pages, axe_violations
):
    sign_in(page, live_server.url, professional)
    for label, address in upload_pages:
        page.goto(address)
        _assert_the_component(page, label)
        _assert_no_violations(page, axe_violations)

    # A refused file on the step: said beside the field, the component again, and the note typed beside it kept.
    page.get_by_label("Notes").fill("Plan to follow")
    page.locator("input[type=file][name=plan]").set_input_files(NOT_A_PDF)
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("#id_plan-error")).to_contain_text("notes.txt")
    expect(page.get_by_label("Notes")).to_have_value("Plan to follow")
    _assert_the_component(page, "Support plan")
    expect(page.locator("input[type=file][name=plan]")).to_have_class(re.compile("govuk-file-upload--error"))
    _assert_no_violations(page, axe_violations)

    # The error summary's link takes the keyboard to the component's button.
    page.locator(".govuk-error-summary").get_by_role("link").first.click()
    expect(page.locator("main button.govuk-file-upload-button")).to_be_focused()


def test_without_javascript_both_pages_keep_the_browsers_own_file_input(
    live_server, page_without_javascript, professional, upload_pages
):
    page = page_without_javascript
    sign_in(page, live_server.url, professional)
    for label, address in upload_pages:
        page.goto(address)
        expect(page.locator("main button.govuk-file-upload-button")).to_have_count(0)
        expect(page.get_by_label(label)).to_be_visible()
        expect(page.get_by_label(label)).to_have_attribute("type", "file")

    page.get_by_label("Notes").fill("Plan to follow")
    page.get_by_label("Support plan").set_input_files(NOT_A_PDF)
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("#id_plan-error")).to_contain_text("notes.txt")
    expect(page.get_by_label("Notes")).to_have_value("Plan to follow")
    expect(page.get_by_label("Support plan")).to_have_attribute("aria-describedby", "id_plan-hint id_plan-error")
