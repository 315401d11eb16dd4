"""Acceptance for #15, walked in Chromium with axe on every page: organisations imported from GIAS; a service that
is not listed asks to join, confirms its address, waits, and a portal administrator approves it; a school's SENCO
adds a document after submitting (listed as added after submission), and hears when the advice is accepted.

Narrower than the whole walk in the issue: filling the wizard, preview and return are walked in
test_advice_wizard.py and tests/advice_forms/portal/test_wizard.py; this walk covers the pages #15 adds."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from advice_forms.services.requests import submission_accept
from portal_pages.demo import GIAS_DEMO_FILE
from portal_pages.models import AccountState, Organisation, User
from tests.browser.test_accounts import _sign_in
from tests.factories.accounts import staff_in_group
from tests.factories.advice_forms import (
    AdviceRequestFactory,
    ChildRecordFactory,
    document_types,
    pdf_bytes,
    submission_make,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_violations(page, axe_violations):
    violations = axe_violations(page)
    assert violations == [], f"{page.url}\n{axe_violations.describe(violations)}"


def staff_session(page, client, live_server, user):
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = user.totpdevice_set.get().persistent_id
    session.save()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}]
    )


def test_a_service_asks_to_join_and_is_approved(live_server, home_page, page, browser, client, axe_violations):
    call_command("import_organisations", str(GIAS_DEMO_FILE), "--la", "999")
    assert Organisation.objects.filter(urn__isnull=False).count() == 6

    page.goto(live_server.url + "/portal/register/")
    no_violations(page, axe_violations)
    page.get_by_label("Your school, setting or service").fill("Kestrelford Speech and Language Service")
    page.get_by_text("My school, setting or service is not in the list").click()
    page.get_by_label("If it is not in the list: what kind of organisation is it?").select_option("speech_and_language")
    page.get_by_label("If it is not in the list: its address").fill("Riverside Clinic, Kestrelford KF9 9ZZ")
    page.get_by_label("Your team's work email address").fill("slt@kestrelford-slt.example.org")
    page.get_by_label("Account name").fill("Kestrelford SLT team")
    page.get_by_label("Create a password").fill("kettle marmalade lighthouse")
    page.get_by_role("button", name="Register").click()
    page.wait_for_url("**/portal/register/check-your-email/")
    assert "a portal administrator checks it" in page.content()
    no_violations(page, axe_violations)

    link = re.search(r"https?://[^\s]+(/portal/verify/[^\s]+)", mail.outbox[-1].body).group(1)
    page.goto(live_server.url + link)
    no_violations(page, axe_violations)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="Your account is awaiting approval").wait_for()
    no_violations(page, axe_violations)
    account = User.objects.get(email="slt@kestrelford-slt.example.org")
    assert account.account_state == AccountState.AWAITING_APPROVAL

    admin_page = browser.new_context().new_page()
    staff_session(admin_page, client, live_server, staff_in_group("Portal administrator"))
    admin_page.goto(live_server.url + "/admin/accounts/requests-to-join/")
    no_violations(admin_page, axe_violations)
    admin_page.get_by_role("link", name="Decide on Kestrelford Speech and Language Service").click()
    no_violations(admin_page, axe_violations)
    admin_page.get_by_label("Approve").check()
    admin_page.get_by_role("button", name="Save the decision").click()
    admin_page.wait_for_url("**/admin/accounts/requests-to-join/")
    assert "No one is waiting" in admin_page.content()
    account.refresh_from_db()
    assert account.account_state == AccountState.ACTIVE
    assert account.organisation.domains == ["kestrelford-slt.example.org"]
    assert "approved" in mail.outbox[-1].subject


def test_a_school_adds_a_document_after_submitting_and_hears_of_acceptance(
    live_server, home_page, page, professional, password, axe_violations, small_form, tmp_path
):
    document_types()
    child = ChildRecordFactory(first_name="Robin", last_name="Marchwood")
    advice_request = AdviceRequestFactory(account=professional, form_version=small_form, child=child)
    submission_make(advice_request, {"about": {"involvement": "Weekly sessions"}})
    _sign_in(page, live_server.url, professional, password)

    base = f"{live_server.url}/portal/requests/{advice_request.pk}/"
    page.goto(base)
    assert "Robin" not in page.title() and "The EHC co-ordinator is reviewing it" in page.content()
    no_violations(page, axe_violations)

    report = tmp_path / "report.pdf"
    report.write_bytes(pdf_bytes())
    page.goto(base + "documents/")
    assert "You can still add supporting documents until" in page.content()
    no_violations(page, axe_violations)
    page.get_by_label("Title").fill("Therapy report after submitting")
    page.get_by_label("Type of document").select_option("report")
    page.locator("input[type=file][name=file]").set_input_files(str(report))
    page.get_by_role("button", name="Upload the document").click()
    page.get_by_text("Added after submission", exact=True).wait_for()
    no_violations(page, axe_violations)

    caseworker = staff_in_group("SEND caseworker")
    submission_accept(advice_request=advice_request, actor=caseworker)
    assert "new message" in mail.outbox[-1].subject and "Robin" not in mail.outbox[-1].body
    page.goto(live_server.url + "/portal/inbox/")
    no_violations(page, axe_violations)
    page.get_by_role("link", name=f"Accepted: {small_form.title}").click()
    assert "has accepted your" in page.content() and "/portal/requests/" not in page.locator("main").inner_text()
    no_violations(page, axe_violations)
    page.get_by_role("link", name="Go to the request").click()
    page.get_by_text("The SEND service has accepted your advice").wait_for()
    no_violations(page, axe_violations)
    page.goto(base + "submissions/1/")
    assert "There is nothing more you need to do" in page.content()
    no_violations(page, axe_violations)
