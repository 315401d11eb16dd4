"""A portal button whose form sends an email, makes, changes or removes something, or signs in, is disabled for a
moment after its first click (GOV.UK Frontend's button with ``data-prevent-double-click``), so a double click sends one
request, not two: a second would repeat what the first did (a second email, a second upload filed), or be refused (a
sign-in code already used, a row already deleted).

Every button of a wizard step posts the whole step, a chosen file included: a double click on any of them, "Add
another" and "Remove" too, filed the file twice (the first copy withdrawn at once). Without a file, "Add another" and
"Remove" posted twice still add or remove one row (both posts carry the same rows), and ignoring the second click
keeps it so."""

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from filer.models import File

from advice_forms.models import Document, FormKind, Outcome, ProfessionalContact
from advice_forms.services.documents import document_upload
from portal_pages.models import AccountState
from portal_pages.tokens import account_token_make
from tests.advice_forms.portal.test_wizard_conditions import post_step
from tests.advice_forms.test_conditions import conditions_sections
from tests.advice_forms.test_table_question import GOOD, rows_data, table_question
from tests.factories.accounts import ProfessionalFactory, StaffUserFactory, TOTPDeviceFactory
from tests.factories.advice_forms import (
    AdviceRequestFactory,
    ChildRecordFactory,
    advice_request,
    definition,
    document_types,
    need_type,
    pdf_bytes,
    question,
    section,
    team,
)
from tests.govuk import button_named, ignores_a_second_click
from tests.otp import sign_in_with_password

pytestmark = pytest.mark.django_db


def _token_page(path, purpose, state):
    def page(professional, organisation):
        account = professional
        if state != AccountState.ACTIVE:
            account = ProfessionalFactory(organisation=organisation, account_state=state)
        return f"/portal/{path}/{account_token_make(user=account, purpose=purpose)}/"

    return page


def _request_page(suffix):
    def page(professional, organisation):
        return f"/portal/requests/{advice_request(professional).pk}/{suffix}"

    return page


def _service_document_page(own_page):
    """The documents list, or the document's own page, with a document the SEND service filed and has not made
    available to the account: it offers "Request access"."""

    def page(professional, organisation):
        ar = advice_request(professional)
        document = Document.objects.create(
            child=ar.child,
            title="Assessment report",
            document_type="report",
            file=File.objects.create(original_filename="report.pdf"),
            uploaded_by=StaffUserFactory(),
        )
        return (
            f"/portal/requests/{ar.pk}/documents/{document.pk}/" if own_page else f"/portal/requests/{ar.pk}/documents/"
        )

    return page


def _own_outcome(ar):
    return Outcome.objects.create(
        child=ar.child, advice_request=ar, author=ar.account, team=team(), need_type=need_type(), outcome="Asks"
    )


def _own_contact(ar):
    return ProfessionalContact.objects.create(
        advice_request=ar, child=ar.child, added_by=ar.account, name="Dr Rivers", role="Paediatrician", team=team()
    )


def _own_outcome_delete_page(professional, organisation):
    ar = advice_request(professional)
    return f"/portal/requests/{ar.pk}/outcomes/{_own_outcome(ar).pk}/delete/"


def _own_contact_page(professional, organisation):
    ar = advice_request(professional)
    return f"/portal/requests/{ar.pk}/contacts/{_own_contact(ar).pk}/"


def _own_document_withdraw_page(professional, organisation):
    ar = advice_request(professional)
    uploaded = SimpleUploadedFile("plan.pdf", pdf_bytes(), content_type="application/pdf")
    document = document_upload(
        advice_request=ar, account=professional, uploaded=uploaded, title="Plan", document_type=""
    )
    return f"/portal/requests/{ar.pk}/documents/{document.pk}/withdraw/"


def _second_device_remove_page(professional, organisation):
    device = TOTPDeviceFactory(user=professional, name="Sam's phone")
    return f"/portal/two-factor/devices/{device.pk}/remove/"


GUARDED = [
    # (the page, signed in?, the button's words)
    (lambda *_: "/portal/register/", False, "Register"),
    (lambda *_: "/portal/password-reset/", False, "Send the link"),
    (lambda *_: "/portal/register/new-link/", False, "Send a new link"),
    (_token_page("verify", "verify", AccountState.PENDING_VERIFICATION), False, "Confirm"),
    (_token_page("invitation", "invite", AccountState.INVITED), False, "Continue"),
    (_token_page("password-reset", "reset", AccountState.ACTIVE), False, "Change the password"),
    (lambda *_: "/portal/two-factor/add/", True, "Add the device"),
    (lambda *_: "/portal/two-factor/backup-codes/", True, "Create 10 new backup codes"),
    (_request_page("documents/"), True, "Upload the document"),
    (_service_document_page(own_page=False), True, "Request access to Assessment report"),
    (_service_document_page(own_page=True), True, "Request access"),
    (_request_page("contacts/new/"), True, "Add the professional"),
    (_request_page("outcomes/new/"), True, "Add the outcome"),
    (_request_page("report-a-change/"), True, "Send to the EHC co-ordinator"),
    # The server's own guard is the submit's idempotency key (test_double_submit.py): a second post gives back the
    # first submission. The button spares that second request.
    (_request_page("check-answers/"), True, "Accept and submit"),
    # A second failed password counted towards the lock-out; a second code post found the first's session gone and
    # went back to the password page.
    (lambda *_: "/portal/sign-in/", False, "Continue"),
    (lambda *_: "/portal/sign-in/code/", "password", "Sign in"),
    # A second post found the row gone: "Page not found".
    (_second_device_remove_page, True, "Remove the device"),
    (_own_outcome_delete_page, True, "Delete the outcome"),
    (_own_document_withdraw_page, True, "Withdraw the document"),
    (_own_contact_page, True, "Remove them: no longer involved"),
    # Audited twice; the first save of two at once could both create the one contribution row.
    (_request_page("contribution/"), True, "Save the contribution"),
]


@pytest.mark.parametrize(
    ("page", "signed_in", "words"), GUARDED, ids=[f"{n}-{words}" for n, (_p, _s, words) in enumerate(GUARDED)]
)
def test_a_button_that_sends_or_makes_something_ignores_a_second_click(
    request, client, professional, organisation, home_page, page, signed_in, words
):
    document_types()
    if signed_in == "password":
        sign_in_with_password(client, professional.email)
    elif signed_in:
        client = request.getfixturevalue("verified_client")
    response = client.get(page(professional, organisation))

    assert response.status_code == 200
    assert ignores_a_second_click(button_named(response.content.decode(), words))


def _step_buttons(response):
    """Every submit button of the step's form, by its words, with whether it ignores a second click."""
    assert response.status_code == 200
    form = BeautifulSoup(response.content, "html.parser").select_one("form#advice-step-form")
    return [(b.get_text(" ", strip=True), ignores_a_second_click(b)) for b in form.select("button[type=submit]")]


def test_every_button_of_a_wizard_step_ignores_a_second_click(verified_client, professional):
    """The save buttons, Enter's hidden one, a table's "Add another" and "Remove", "Remove this file", and a
    record-backed question's buttons, which save the step before they open the page around the form."""
    fields = [
        question("child_details", "About the child", key="child"),
        question("record_contribution", "Parent's contribution", key="contribution", required=False),
        question("record_outcomes", "Outcomes sought", key="outcomes", required=False),
        question("record_contacts", "Professionals involved", key="contacts", required=False),
        table_question(min_rows=1, required=False),
        question("file", "Latest school report", key="report", required=False),
    ]
    version = definition([section("Everything", fields, key="everything")], kind=FormKind.ERSA)
    ar = AdviceRequestFactory(account=professional, form_version=version, child=ChildRecordFactory())
    _own_outcome(ar)
    _own_contact(ar)
    step = reverse("portal:request_step", kwargs={"pk": ar.pk, "step": "everything"})
    report = SimpleUploadedFile("report.pdf", pdf_bytes(), content_type="application/pdf")
    saved = verified_client.post(step, {**rows_data(*GOOD), "report": report, "action": "later"})
    assert saved.status_code == 302

    assert _step_buttons(verified_client.get(step)) == [
        ("Save and continue", True),  # Enter's, out of sight
        ("Report a change to the child's details", True),
        ("Record the contribution", True),
        ("Change outcome 1 under Communication and interaction", True),
        ("Delete outcome 1 under Communication and interaction", True),
        ("Add an outcome", True),
        ("Change Dr Rivers", True),
        ("Add a professional", True),
        ("Remove school 1", True),
        ("Remove school 2", True),
        ("Add another school", True),
        ("Remove this file (report.pdf)", True),
        ("Save and continue", True),
        ("Save and come back later", True),
        ("Save and go back", True),
    ]


def test_the_buttons_asking_to_remove_answers_a_change_hides_ignore_a_second_click(verified_client, professional):
    ar = AdviceRequestFactory(
        account=professional, form_version=definition(conditions_sections()), child=ChildRecordFactory()
    )
    ar.answers = {"about": {"support": "yes", "support_details": "Weekly speech therapy", "areas": ["cl"]}}
    ar.save()
    data = {"support": "no", "support_details": "Weekly speech therapy", "areas": ["cl"], "action": "continue"}

    buttons = _step_buttons(post_step(verified_client, ar, "about", data))

    assert ("Yes, remove them", True) in buttons and ("Keep my answers", True) in buttons
    assert all(guarded for _words, guarded in buttons), buttons
