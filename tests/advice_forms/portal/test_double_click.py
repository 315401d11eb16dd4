"""A portal button whose form sends an email or makes something is disabled for a moment after its first click
(GOV.UK Frontend's button with ``data-prevent-double-click``), so a double click sends one request, not two."""

import pytest
from bs4 import BeautifulSoup
from filer.models import File

from advice_forms.models import Document
from portal_pages.models import AccountState
from portal_pages.tokens import account_token_make
from tests.factories.accounts import ProfessionalFactory, StaffUserFactory
from tests.factories.advice_forms import advice_request, document_types

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
]


@pytest.mark.parametrize(
    ("page", "signed_in", "words"), GUARDED, ids=[f"{n}-{words}" for n, (_p, _s, words) in enumerate(GUARDED)]
)
def test_a_button_that_sends_or_makes_something_ignores_a_second_click(
    request, client, professional, organisation, home_page, page, signed_in, words
):
    document_types()
    if signed_in:
        client = request.getfixturevalue("verified_client")
    response = client.get(page(professional, organisation))

    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    [button] = [button for button in html.select("main button") if button.get_text(" ", strip=True) == words]
    assert button.get("data-module") == "govuk-button"
    assert button.get("data-prevent-double-click") == "true"
