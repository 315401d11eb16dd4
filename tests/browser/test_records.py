"""Around the form in a real Chromium: upload a PDF, see it listed, add an outcome, see it under its Type."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from playwright.sync_api import expect

from advice_forms.models import AccessRequest, ProfessionalContact
from advice_forms.services.documents import document_upload
from tests.browser.test_accounts import _sign_in
from tests.browser.test_advice_wizard import sign_in
from tests.browser.test_dropdown_paste import signed_in
from tests.factories import advice_forms as factories
from tests.factories.accounts import ProfessionalFactory
from tests.factories.advice_forms import ChildRecordFactory, advice_request, document_types, need_type, pdf_bytes, team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_violations(page, axe_violations):
    violations = axe_violations(page)
    assert violations == [], axe_violations.describe(violations)


def test_upload_a_pdf_and_add_an_outcome(live_server, home_page, page, professional, password, axe_violations):
    document_types()
    team("SLT", "Speech and Language Therapy")
    need_type("Comms", "Communication and interaction")
    ar = advice_request(professional, child=ChildRecordFactory(first_name="Ariadne", last_name="Quill"))
    csp_errors = []
    page.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    _sign_in(page, live_server.url, professional, password)

    page.goto(f"{live_server.url}/portal/requests/{ar.pk}/documents/")
    _no_violations(page, axe_violations)
    with page.expect_navigation():
        page.get_by_role("button", name="Upload the document").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    _no_violations(page, axe_violations)
    page.get_by_label("Title").fill("Speech therapy report")
    page.get_by_label("Type of document").select_option(label="Professional report")
    # GOV.UK's file upload component labels its "Choose file" button; the file goes to the input behind it.
    expect(page.get_by_role("button", name="Upload a file")).to_be_visible()
    page.locator("input[type=file][name=file]").set_input_files(
        {"name": "report.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Upload the document").click()
    assert "has been uploaded" in page.locator(".govuk-notification-banner").inner_text(), page.content()[:3000]
    expect(page.get_by_role("cell", name="Speech therapy report report.pdf (PDF")).to_be_visible()
    expect(page.get_by_role("link", name="Download Speech therapy report")).to_be_visible()
    _no_violations(page, axe_violations)

    page.goto(f"{live_server.url}/portal/requests/{ar.pk}/outcomes/")
    _no_violations(page, axe_violations)
    page.get_by_role("link", name="Add an outcome").click()
    _no_violations(page, axe_violations)
    page.get_by_label("Type", exact=True).select_option(label="Communication and interaction")
    page.get_by_label("Team", exact=True).select_option(label="Speech and Language Therapy")
    page.get_by_label("Outcome", exact=True).fill("Ariadne will ask for help with a picture card.")
    page.get_by_role("button", name="Add the outcome").click()
    page.wait_for_url(f"**/portal/requests/{ar.pk}/outcomes/")
    heading = page.get_by_role("heading", name="Communication and interaction", level=2)
    expect(heading).to_be_visible()
    card = page.locator(".govuk-summary-card", has_text="Ariadne will ask for help with a picture card.")
    assert "Speech and Language Therapy" in card.inner_text()
    _no_violations(page, axe_violations)
    assert csp_errors == []


def test_the_professionals_table_fits_a_laptop_zoomed_to_200_percent(live_server, home_page, new_page, professional):
    """1366px at 200%: a long email address wrapped nowhere, and the Change links sat off-screen (WCAG 1.4.10)."""
    ar = advice_request(professional, child=ChildRecordFactory())
    ProfessionalContact.objects.create(
        advice_request=ar,
        child=ar.child,
        added_by=professional,
        name="Dr Samantha Rivers-Montgomery",
        role="Consultant community paediatrician",
        team=team("HEALTH", "Health"),
        organisation="Kestrelford Community Children's Health Services",
        email="samantha.rivers-montgomery@kestrelford-community-health.nhs.example.org",
        phone="01632 960 200",
    )
    page = new_page(viewport={"width": 683, "height": 384})
    sign_in(page, live_server.url, professional)

    page.goto(f"{live_server.url}/portal/requests/{ar.pk}/contacts/")

    assert page.evaluate("document.documentElement.scrollWidth") <= 683
    change = page.get_by_role("link", name="Change Dr Samantha Rivers-Montgomery").bounding_box()
    assert change["x"] >= 0 and change["x"] + change["width"] <= 683


def test_which_language_is_asked_only_once_an_interpreter_is_needed(
    live_server, home_page, page, professional, password, axe_violations
):
    """'Which language?' stood on the page before the interpreter question was answered, inviting an answer the form
    then threw away. It is now GOV.UK's conditional reveal under "Yes"."""
    ar = advice_request(professional, child=ChildRecordFactory(first_name="Ariadne", last_name="Quill"))
    _sign_in(page, live_server.url, professional, password)
    page.goto(f"{live_server.url}/portal/requests/{ar.pk}/contribution/")
    language = page.get_by_label("Which language?")
    expect(language).to_be_hidden()
    page.get_by_role("radio", name="Yes").check()
    expect(language).to_be_visible()
    _no_violations(page, axe_violations)
    page.get_by_role("radio", name="No").check()
    expect(language).to_be_hidden()

    page.get_by_role("radio", name="Yes").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save the contribution").click()
    # The server's check names the revealed field, which is shown again, beside its error.
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the language they need an interpreter for")
    expect(language).to_be_visible()
    page.get_by_role("link", name="Enter the language they need an interpreter for").click()
    expect(language).to_be_focused()
    _no_violations(page, axe_violations)


def test_a_long_document_title_and_file_name_wrap_in_the_caseworkers_lists(
    live_server, home_page, new_page, client, professional, caseworker
):
    """A title or file name without spaces ("b" * 300) made the table about 2,200px wide at 1280px: the Download,
    "Who may download" and Delete buttons sat off to the right. They wrap in their cell; the buttons' words do not."""
    ar = advice_request(professional, child=ChildRecordFactory())
    document_types()
    uploaded = SimpleUploadedFile("b" * 300 + ".pdf", pdf_bytes(), content_type="application/pdf")
    document = document_upload(
        advice_request=ar, account=professional, uploaded=uploaded, title="a" * 200, document_type="report"
    )
    AccessRequest.objects.create(document=document, account=professional, advice_request=ar)
    page = new_page(viewport={"width": 1280, "height": 800})
    signed_in(page, client, live_server, caseworker)

    page.goto(live_server.url + reverse("casework_documents", args=[ar.child.pk]))
    buttons = []
    for name in ("Download", "Who may download", "Delete"):
        button = page.get_by_role("link", name=f"{name} {document.name_in_list}", exact=True).bounding_box()
        assert button["x"] + button["width"] <= 1280, name
        assert button["height"] < 40, name  # its words on one line
        buttons.append(button)
    # Each line of buttons starts at the cell's edge: Wagtail's space before a following button stood Download 1rem
    # left of the others when they wrapped under it.
    starts = [
        b["x"]
        for before, b in zip([None, *buttons[:-1]], buttons, strict=True)
        if before is None or b["y"] > before["y"]
    ]
    assert len(starts) > 1 and max(starts) - min(starts) < 1, buttons
    assert _widest(page) <= 1280
    for where in ("casework_document_availability", "casework_document_delete"):
        page.goto(live_server.url + reverse(where, args=[ar.child.pk, document.pk]))
        assert _widest(page) <= 1280, where
    page.goto(live_server.url + reverse("casework_access_requests"))
    assert page.get_by_text("a" * 200, exact=True).is_visible()
    assert _widest(page) <= 1280


def _widest(page):
    """The right edge of the furthest right thing in the page's main content, in px."""
    return page.evaluate(
        "Math.max(...[...document.querySelectorAll('main *')].map(e => e.getBoundingClientRect().right))"
    )


def test_a_long_file_name_and_long_words_wrap_on_the_review_page(
    live_server, home_page, new_page, client, professional, caseworker
):
    """A file name of 255 characters without spaces, or a word as long in a text answer or a table cell, wraps in the
    review page's answer column at 1280px (with "break-word" the answers ran to about 2,650px)."""
    version = factories.definition(
        [
            factories.section(
                "Evidence",
                [
                    factories.question("file", "Latest report", key="report"),
                    factories.question("short_text", "Setting", key="setting"),
                    factories.question("table", "Schools", key="schools", columns=[factories.column("Name", key="n")]),
                ],
                key="evidence",
            )
        ]
    )
    ar = advice_request(professional, version=version, child=ChildRecordFactory())
    uploaded = SimpleUploadedFile("b" * 251 + ".pdf", pdf_bytes(), content_type="application/pdf")
    document = document_upload(
        advice_request=ar, account=professional, uploaded=uploaded, title="Latest report", document_type=""
    )
    answers = {
        "evidence": {
            "report": {"document": document.pk, "name": document.original_filename, "size": document.size},
            "setting": "c" * 255,
            "schools": [{"n": "d" * 255}],
        }
    }
    factories.submission_make(ar, answers)
    page = new_page(viewport={"width": 1280, "height": 800})
    signed_in(page, client, live_server, caseworker)

    page.goto(live_server.url + reverse("review_queue:review", args=[ar.pk]))

    assert len(document.original_filename) == 255
    expect(page.get_by_text(document.original_filename, exact=False)).to_be_visible()
    # Wagtail's content area scrolls on its own, so the document's width stays 1280 either way: what is drawn must.
    assert _widest(page) <= 1280


def test_unticking_every_account_saves_that_only_the_uploader_may_download(
    live_server, home_page, page, client, professional, caseworker
):
    """The browser's own post of a form with every box unticked carries no account: it is saved as that answer."""
    ar = advice_request(professional, child=ChildRecordFactory())
    other = ProfessionalFactory(display_name="Kestrelford EP Service")
    advice_request(other, child=ar.child)
    document_types()
    uploaded = SimpleUploadedFile("report.pdf", pdf_bytes(), content_type="application/pdf")
    document = document_upload(
        advice_request=ar, account=professional, uploaded=uploaded, title="Report", document_type="report"
    )
    document.available_to.set([other])
    signed_in(page, client, live_server, caseworker)

    page.goto(live_server.url + reverse("casework_document_availability", args=[ar.child.pk, document.pk]))
    page.get_by_label("Kestrelford EP Service").uncheck()
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Who may download “Report” has been saved.")).to_be_visible()
    assert list(document.available_to.all()) == []


def test_the_share_forms_selects_fit_their_column_at_200_percent_zoom(
    live_server, home_page, new_page, client, professional, caseworker
):
    """At 640 px (a 1280 px laptop zoomed to 200%) the team account select was 722 px wide in a 600 px column, and
    the page would not scroll sideways to the end of its longest option (WCAG 1.4.10)."""
    factories.definition([factories.section("About", [factories.question("short_text", "Name", key="n")])])
    ProfessionalFactory(
        organisation=professional.organisation,
        display_name="Oakfield Primary School and Nursery special educational needs co-ordinator office",
    )
    page = new_page(viewport={"width": 640, "height": 800}, device_scale_factor=1)
    signed_in(page, client, live_server, caseworker)

    page.goto(live_server.url + reverse("child_records:share", args=[ChildRecordFactory().pk]))

    overhanging = page.evaluate(
        """() => [...document.querySelectorAll('main select')].map(select => ({
            name: select.name,
            over: select.getBoundingClientRect().right - select.closest('form').getBoundingClientRect().right,
        })).filter(select => select.over > 0)"""
    )
    assert page.locator("main select[name=account]").count() == 1
    assert overhanging == []


def test_the_child_records_title_is_not_cut_by_the_search_in_the_header(
    live_server, home_page, new_page, client, caseworker
):
    """At 1280 px the search's one-line hint made the search as wide as itself, and "Child records" was cut to "Child
    re" beside the "Add child record" button: the hint wraps under the box instead."""
    ChildRecordFactory()
    page = new_page(viewport={"width": 1280, "height": 800}, device_scale_factor=1)
    signed_in(page, client, live_server, caseworker)
    page.goto(live_server.url + reverse("child_records:index"))

    title = page.locator("nav[aria-label=Breadcrumb] li:not([hidden])").last
    expect(title).to_have_text("Child records")
    cut = title.evaluate(
        """title => [title, ...title.querySelectorAll('*'), title.closest('[data-w-breadcrumbs]')]
            .some(box => box.scrollWidth > box.clientWidth + 1)"""
    )
    assert not cut
