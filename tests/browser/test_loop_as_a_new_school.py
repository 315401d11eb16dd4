"""The advice loop as a new school meets it, walked whole in one Chromium, with axe on every page it visits.

The council imports its schools from GIAS. A speech and language service that is not listed asks to join, confirms its
address and waits; a portal administrator approves it, and gives an imported school its email address ending. That
school's SENCO registers at its address (no approval), confirms it from the email, signs in and sets up an authenticator
(the code computed from the key the page shows). A caseworker shares a form with the school in the admin. The SENCO
fills part of it, opens the preview PDF (the typed text is in it), completes and submits it; the caseworker returns
it with a reason; the SENCO reads the reason, changes an answer and submits again, then adds a supporting document
("Added after submission"); the caseworker accepts it, confirming on the page that says what accepting does, and the
SENCO reads so in the portal's inbox and an email that names no child.

Staff contexts start signed in (a session with a verified authenticator, as the admin's tests make one), and the child
record is made with a factory: neither is what this walk is about, and both have tests of their own. The form is the
small four-step test form, not the 122-question ERSA. Every page visited is checked by axe, for console errors and,
in the portal, for a title that names no child.
"""

import base64
import io
import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django_otp.oath import totp
from playwright.sync_api import expect
from pypdf import PdfReader

from portal_pages.demo import GIAS_DEMO_FILE
from portal_pages.models import AccountState, Organisation, User
from tests.factories.accounts import staff_in_group, verified_login
from tests.factories.advice_forms import ChildRecordFactory, document_types, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCHOOL = "Kestrelford Brook Primary School"  # row 990001 of the GIAS fixture
SCHOOL_DOMAIN = "kestrelford-brook.example.org"
SENCO_EMAIL = f"senco@{SCHOOL_DOMAIN}"
SENCO_PASSWORD = "heron teapot lantern meadow"  # noqa: S105 - typed into the register page by the walk
CHILD_NAMES = ("Robin", "Marchwood")
TYPED_BEFORE_PREVIEW = "Joins a weekly language group and asks for help with new words."


# Wait for short transitions and animations to end (Wagtail's messages fade in over half a second): axe measures
# contrast as the page is, and a message half faded in is not what anyone reads. Longer ones are decoration, like the
# 25-second ping of the admin's "what's new" badge, which would make every admin page cost 25 seconds.
SETTLED = """() => Promise.all(document.getAnimations()
  .filter((animation) => animation.effect.getComputedTiming().endTime <= 2000)
  .map((animation) => animation.finished))"""


class Walk:
    """Checks each page the walk visits with axe, naming the page in a failure, and remembers the pages."""

    def __init__(self, axe_violations):
        self.axe_violations = axe_violations
        self.visited = []
        self.console = {}

    def watch(self, page):
        """Record the page's console errors (a script the CSP blocked, a failed request): a button may do nothing."""
        self.console[page] = errors = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        return page

    def check(self, page, name):
        self.visited.append(name)
        errors, self.console[page][:] = list(self.console[page]), []
        assert errors == [], f"console errors on '{name}' ({page.url}): {errors}"
        if "/portal/" in page.url:  # titles go to browser history on shared school computers
            assert not any(word in page.title() for word in CHILD_NAMES), f"'{name}' has the child in its title"
        page.evaluate(SETTLED)
        violations = self.axe_violations(page)
        assert violations == [], f"axe on '{name}' ({page.url}):\n{self.axe_violations.describe(violations)}"


def staff_page(new_page, live_server, user):
    """A page of a browser context signed in to the admin as ``user`` (password and authenticator code already
    passed)."""
    client = verified_login(Client(), user)
    page = new_page()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.session.session_key, "url": live_server.url}]
    )
    return page


def emailed_link(to, path):
    message = next(m for m in reversed(mail.outbox) if m.to == [to])
    return re.search(rf"https?://[^\s]+({path}[^\s]+)", message.body).group(1)


def code_from_key(secret):
    """What an authenticator app shows for the key typed into it (RFC 6238, 30 s, 6 digits)."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, step=30, t0=0, digits=6, drift=0):06d}"


def pdf_text(response):
    assert response.status == 200 and response.headers["content-type"] == "application/pdf", response.status
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.body())).pages)


def test_a_new_school_walks_the_loop_from_import_to_acceptance(
    live_server, role_groups, new_page, page, axe_violations, small_form, tmp_path
):
    walk = Walk(axe_violations)
    base = live_server.url

    # The council imports its schools and settings from GIAS (local authority 999).
    call_command("import_organisations", str(GIAS_DEMO_FILE), "--la", "999", stdout=io.StringIO())
    assert Organisation.objects.filter(urn__isnull=False).count() == 6

    # A service that is not listed asks to join.
    walk.watch(page)
    service = walk.watch(new_page())
    service.goto(base + "/portal/register/")
    walk.check(service, "Register")
    service.get_by_label("Your school, setting or service").fill("Kestrelford Speech and Language Service")
    service.get_by_text("My school, setting or service is not in the list").click()
    service.get_by_label("If it is not in the list: what kind of organisation is it?").select_option(
        "speech_and_language"
    )
    service.get_by_label("If it is not in the list: its address").fill("Riverside Clinic, Kestrelford KF9 9ZZ")
    service.get_by_label("Your team's work email address").fill("slt@kestrelford-slt.example.org")
    service.get_by_label("Account name").fill("Kestrelford SLT team")
    service.get_by_label("Create a password").fill("kettle marmalade lighthouse")
    service.get_by_role("button", name="Register").click()
    service.wait_for_url("**/portal/register/check-your-email/")
    assert "a portal administrator checks it" in service.content()
    walk.check(service, "Check your email (a request to join)")
    service.goto(base + emailed_link("slt@kestrelford-slt.example.org", "/portal/verify/"))
    walk.check(service, "Confirm your email address")
    service.get_by_role("button", name="Confirm").click()
    service.get_by_role("heading", name="Your account is awaiting approval").wait_for()
    walk.check(service, "Your account is awaiting approval")
    assert User.objects.get(email="slt@kestrelford-slt.example.org").account_state == AccountState.AWAITING_APPROVAL
    service.context.close()

    # A portal administrator approves it, then gives the imported school its email address ending.
    admin = walk.watch(staff_page(new_page, live_server, staff_in_group("Portal administrator")))
    admin.goto(base + "/admin/accounts/requests-to-join/")
    walk.check(admin, "Admin: requests to join")
    admin.get_by_role("link", name="Decide on Kestrelford Speech and Language Service").click()
    walk.check(admin, "Admin: decide on a request to join")
    admin.get_by_label("Approve").check()
    admin.get_by_role("button", name="Save the decision").click()
    admin.wait_for_url(re.compile(r"/admin/accounts/requests-to-join/\?p=1"))  # back at its page of the list
    assert "No one is waiting" in admin.content()
    walk.check(admin, "Admin: requests to join, none waiting")
    assert User.objects.get(email="slt@kestrelford-slt.example.org").account_state == AccountState.ACTIVE
    assert "approved" in mail.outbox[-1].subject

    admin.goto(base + f"/admin/organisation/edit/{Organisation.objects.get(name=SCHOOL).pk}/")
    walk.check(admin, "Admin: edit an organisation")
    admin.get_by_label("Email address endings").fill(SCHOOL_DOMAIN)
    admin.get_by_role("button", name="Save").click()
    admin.locator(".messages .success").wait_for()
    assert Organisation.objects.get(name=SCHOOL).domains == [SCHOOL_DOMAIN]
    walk.check(admin, "Admin: organisations, after saving")
    admin.context.close()

    # The school's SENCO registers at the school's address: listed, so no approval.
    page.goto(base + "/portal/register/")
    walk.check(page, "Register (the school)")
    page.get_by_label("Your school, setting or service").fill(SCHOOL)
    page.get_by_label("Your team's work email address").fill(SENCO_EMAIL)
    page.get_by_label("Account name").fill("Kestrelford Brook SENCO")
    page.get_by_label("Create a password").fill(SENCO_PASSWORD)
    page.get_by_role("button", name="Register").click()
    page.wait_for_url("**/portal/register/check-your-email/")
    assert "a portal administrator checks it" not in page.content()
    walk.check(page, "Check your email")
    page.goto(base + emailed_link(SENCO_EMAIL, "/portal/verify/"))
    walk.check(page, "Confirm your email address (the school)")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/portal/sign-in/**")
    assert "Your email address is confirmed" in page.content()
    walk.check(page, "Sign in (after confirming)")
    page.get_by_label("Email address").fill(SENCO_EMAIL)
    page.get_by_label("Password").fill(SENCO_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/portal/two-factor/set-up/**")
    walk.check(page, "Set up your authenticator app")
    page.get_by_text("I cannot scan the QR code").click()
    secret = page.locator("#secret-key").inner_text().replace(" ", "")
    page.get_by_label("Name this device").fill("SENCO office phone")
    page.get_by_label("Code shown in the app").fill(code_from_key(secret))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/portal/two-factor/backup-codes/")
    walk.check(page, "Backup codes")
    page.get_by_role("link", name="Go to your dashboard").click()
    page.wait_for_url(base + "/portal/")
    assert "Requests that the SEND service shares with your team will appear here." in page.content()
    walk.check(page, "Dashboard (nothing shared yet)")

    # A caseworker shares the small form with the school, through the admin's casework screens.
    caseworker = staff_in_group("SEND caseworker", first_name="Casey", last_name="Worker")
    # The child record is made here, not through its admin form: recording a child is not what this walk is about.
    child = ChildRecordFactory(
        first_name="Robin",
        last_name="Marchwood",
        unique_pupil_number="A123456789012",
        school=Organisation.objects.get(name=SCHOOL),
        coordinator=caseworker,
    )
    staff = walk.watch(staff_page(new_page, live_server, caseworker))
    staff.goto(base + "/admin/child_records/")
    walk.check(staff, "Admin: child records")
    staff.get_by_role("link", name="Share a form about Robin Marchwood").click()
    walk.check(staff, "Admin: share a form")
    staff.get_by_role("combobox", name=re.compile("^Form")).select_option(label=str(small_form))
    staff.get_by_role("combobox", name=re.compile("^Team account")).select_option(
        label=f"Kestrelford Brook SENCO ({SENCO_EMAIL})"
    )
    staff.get_by_label("Message to the team account").fill("Please send your advice by the due date.")
    staff.get_by_role("button", name="Share the form").click()
    staff.get_by_text(f"{small_form.title} has been shared with Kestrelford Brook SENCO").wait_for()
    walk.check(staff, "Admin: child record after sharing")
    advice_request = child.advice_requests.get()
    share_email = next(m for m in reversed(mail.outbox) if m.to == [SENCO_EMAIL])
    assert_no_child_data(share_email, child)

    # The SENCO finds it, fills part of the first section and previews.
    page.goto(base + "/portal/")
    walk.check(page, "Dashboard (one request)")
    page.get_by_role("link", name=f"New request: {small_form.title}").click()
    expect(page.locator("main")).to_contain_text("Please send your advice by the due date.")
    walk.check(page, "Message: new request")
    page.get_by_role("link", name="Go to the request").click()
    request_url = f"{base}/portal/requests/{advice_request.pk}/"
    page.wait_for_url(request_url)
    assert "Robin" not in page.title()
    walk.check(page, "Request: task list")
    page.get_by_role("link", name="About your involvement").click()
    walk.check(page, "Step: about your involvement")
    page.get_by_label("What is your involvement with the child?").fill(TYPED_BEFORE_PREVIEW)
    page.get_by_role("button", name="Save and come back later").click()
    page.wait_for_url(request_url)
    walk.check(page, "Request: task list (one section in progress)")
    preview = page.get_by_role("button", name="Preview as PDF").get_attribute("href")
    text = pdf_text(page.request.get(base + preview))
    assert TYPED_BEFORE_PREVIEW in text and "PREVIEW" in text

    # Completes it, checks the answers and submits.
    page.get_by_role("link", name="About your involvement").click()
    page.wait_for_url("**/steps/about/")
    assert page.locator(".govuk-error-summary").count() == 0  # no errors before saving again
    walk.check(page, "Step: about your involvement (part filled)")
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/steps/health/")
    walk.check(page, "Step: diagnosis")
    page.get_by_label("Who made the diagnosis?").fill("Community paediatrician")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/steps/outcomes/")
    walk.check(page, "Step: outcomes")
    page.locator("#id_outcomes-0-team").select_option("SLT")
    page.locator("#id_outcomes-0-type").select_option("Comms")
    page.locator("#id_outcomes-0-outcome").fill("Asks for help using short sentences")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/steps/other/")
    walk.check(page, "Step: anything else")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/check-answers/")
    assert TYPED_BEFORE_PREVIEW in page.content()
    walk.check(page, "Check your answers")
    page.get_by_role("button", name="Accept and submit").click()
    page.wait_for_url("**/submissions/1/")
    reference = advice_request.submissions.get(number=1).reference
    assert reference in page.locator(".govuk-panel--confirmation").inner_text()
    walk.check(page, "Confirmation (first submission)")

    # The caseworker returns it with what is needed.
    staff.goto(base + "/admin/review_queue/")
    walk.check(staff, "Admin: review queue")
    staff.get_by_role("link", name="Robin Marchwood").click()
    walk.check(staff, "Admin: review advice")
    staff.get_by_role("textbox", name=re.compile("^What is needed")).fill(
        "Please say how often the language group meets."
    )
    staff.get_by_role("button", name="Return", exact=True).click()
    staff.get_by_text("Returned to Kestrelford Brook SENCO").wait_for()
    walk.check(staff, "Admin: review queue after returning")

    # The SENCO reads the reason, changes an answer and submits again.
    page.goto(base + "/portal/inbox/")
    walk.check(page, "Inbox (returned)")
    page.get_by_role("link", name=re.compile("^Returned")).click()
    walk.check(page, "Message: returned")
    page.get_by_role("link", name="Go to the request").click()
    page.wait_for_url(request_url)
    assert "Please say how often the language group meets." in page.locator(".govuk-notification-banner").inner_text()
    walk.check(page, "Request: returned, with the reason")
    page.get_by_role("link", name="Anything else").click()
    walk.check(page, "Step: anything else (after a return)")
    page.get_by_label("Is there anything else we should know?").fill("The group meets every Tuesday morning.")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/check-answers/")
    assert "every Tuesday morning" in page.content()
    walk.check(page, "Check your answers (after a return)")
    page.get_by_role("button", name="Accept and submit").click()
    page.wait_for_url("**/submissions/2/")
    walk.check(page, "Confirmation (second submission)")

    # A supporting document after submission: listed as added after it.
    document_types()
    report = tmp_path / "therapy-report.pdf"
    report.write_bytes(pdf_bytes())
    page.goto(request_url + "documents/")
    assert "You can still add supporting documents until" in page.content()
    walk.check(page, "Documents")
    page.get_by_label("Title").fill("Therapy report after submitting")
    page.get_by_label("Type of document").select_option("report")
    page.locator("input[type=file][name=file]").set_input_files(str(report))
    page.get_by_role("button", name="Upload the document").click()
    page.get_by_text("Added after submission", exact=True).wait_for()
    walk.check(page, "Documents (one added after submission)")
    coordinator_email = next(m for m in reversed(mail.outbox) if m.to == [caseworker.email])
    assert_no_child_data(coordinator_email, child)

    # The caseworker accepts it.
    staff.goto(base + "/admin/review_queue/")
    walk.check(staff, "Admin: review queue (resubmitted)")
    staff.get_by_role("link", name="Robin Marchwood").click()
    walk.check(staff, "Admin: review advice (second submission)")
    staff.get_by_role("button", name="Accept", exact=True).click()
    # A page of its own says what accepting does before anything is accepted; its button accepts.
    expect(staff.locator("main")).to_contain_text("you cannot undo it")
    walk.check(staff, "Admin: accept this advice")
    staff.get_by_role("button", name="Accept this advice").click()
    staff.get_by_text("Accepted: ").wait_for()
    walk.check(staff, "Admin: review queue after accepting")
    staff.context.close()

    # The SENCO hears of it by email (naming no child) and in the portal.
    accepted_email = mail.outbox[-1]
    assert accepted_email.to == [SENCO_EMAIL] and "has been accepted: you have a new message" in accepted_email.subject
    assert re.search(r"https?://\S+/portal/\n", accepted_email.body)  # to the signed-in portal, which says what
    assert_no_child_data(accepted_email, child)
    page.goto(base + "/portal/inbox/")
    walk.check(page, "Inbox (accepted)")
    page.get_by_role("link", name=f"Accepted: {small_form.title}").click()
    expect(page.locator("main")).to_contain_text("has accepted your")  # waits for the message the link opens
    assert "/portal/requests/" not in page.locator("main").inner_text()
    walk.check(page, "Message: accepted")
    page.get_by_role("link", name="Go to the request").click()
    page.get_by_text("The SEND service has accepted your advice").wait_for()
    history = page.locator("main").inner_text()
    assert all(submission.reference in history for submission in advice_request.submissions.all())
    walk.check(page, "Request: accepted")
    page.goto(request_url + "submissions/2/")
    assert "There is nothing more you need to do" in page.content()
    walk.check(page, "Confirmation (after acceptance)")
    page.goto(request_url + "documents/")
    assert "documents can no longer be added" in page.content() and page.locator("input[type=file]").count() == 0
    page.get_by_text("Added after submission", exact=True).wait_for()
    walk.check(page, "Documents (after acceptance)")
    print("Pages visited:", "; ".join(walk.visited))


def assert_no_child_data(message, child):
    text = f"{message.subject}\n{message.body}\n" + "".join(str(body) for body, _ in message.alternatives)
    for detail in (child.first_name, child.last_name, child.unique_pupil_number, "4 May 2017", "2017-05-04"):
        assert detail not in text, f"the email {message.subject!r} holds a child's detail"
