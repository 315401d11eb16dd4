"""A team account moved to another organisation on its edit page: refused, beside Organisation and in the words of
an invitation, when that organisation's address endings do not take its address; audited (ids only) when made."""

import pytest
from bs4 import BeautifulSoup

from cms.models import AuditEntry
from portal_pages.events import AccountEvent
from tests.cms.test_admin_sign_in_errors import described_by_ids_missing
from tests.factories.accounts import OrganisationFactory, ProfessionalFactory

pytestmark = pytest.mark.django_db


def _edit(client, account, organisation):
    data = {"display_name": account.display_name, "organisation": organisation.pk, "is_active": "on"}
    return client.post(f"/admin/team_accounts/edit/{account.pk}/", data)


@pytest.fixture
def wrenfield_account(db):
    wrenfield = OrganisationFactory(name="Wrenfield Junior School", email_domains="wrenfield-junior.example.org")
    return ProfessionalFactory(organisation=wrenfield, email="office@wrenfield-junior.example.org")


def _moves(account):
    return list(AuditEntry.objects.filter(target_id=str(account.pk), action=AccountEvent.ORGANISATION_CHANGED))


def test_a_move_to_an_organisation_whose_endings_do_not_take_the_address_is_refused_beside_organisation(
    administrator_client, wrenfield_account, organisation
):
    wrenfield = wrenfield_account.organisation

    response = _edit(administrator_client, wrenfield_account, organisation)

    assert response.status_code == 200
    wrenfield_account.refresh_from_db()
    assert wrenfield_account.organisation == wrenfield and _moves(wrenfield_account) == []
    field = BeautifulSoup(response.content, "html.parser").select_one("[data-field-wrapper]:has(#id_organisation)")
    assert (
        "The address must end with @oakfield-primary.example.org. If this organisation also uses another email "
        "address ending, add it to the organisation first (Accounts, then Organisations, then Oakfield Primary School)"
    ) in " ".join(field.get_text().split())


def test_a_refused_save_has_an_error_title_a_summary_that_takes_focus_and_the_message_beside_the_field(
    administrator_client, wrenfield_account, organisation
):
    """The edit page kept Wagtail's pattern: no "Error: " in its title and a banner saying only that the team account
    could not be saved. It follows the GOV.UK pattern of the admin's sign-in pages."""
    url = f"/admin/team_accounts/edit/{wrenfield_account.pk}/"
    shown = BeautifulSoup(administrator_client.get(url).content, "html.parser")
    page = BeautifulSoup(_edit(administrator_client, wrenfield_account, organisation).content, "html.parser")

    words = (
        "The address must end with @oakfield-primary.example.org. If this organisation also uses another email "
        "address ending, add it to the organisation first (Accounts, then Organisations, then Oakfield Primary School)"
    )
    assert page.title.get_text().startswith(f"Error: Edit team account: {wrenfield_account.email} - ")
    summary = page.select_one('[role="alert"]')
    assert " ".join(summary.h2.get_text().split()) == "There is a problem"
    assert [(a["href"], " ".join(a.get_text().split())) for a in summary.select("a")] == [("#id_organisation", words)]
    assert page.select("[autofocus]") == [summary] and summary["tabindex"] == "-1"
    assert summary.find_next("form", id="w-editor-form") is not None  # above the form
    beside = page.select_one("[data-field-wrapper]:has(#id_organisation) .error-message")
    assert " ".join(beside.get_text().split()) == f"Error: {words}"  # "Error: " visually hidden
    assert "could not be saved" not in page.get_text()
    # The box names its hint and its error, each on the page.
    assert page.select_one("#id_organisation")["aria-describedby"].split() == [
        "id_organisation-helptext",
        "id_organisation-error",
    ]
    assert described_by_ids_missing(page) == [] and described_by_ids_missing(shown) == []
    # As first shown: no error in the title, no summary.
    assert not shown.title.get_text().startswith("Error") and shown.select('[role="alert"]') == []


def test_the_invitation_form_refuses_with_the_same_words(administrator_client, organisation):
    response = administrator_client.post(
        "/admin/team_accounts/new/",
        {"organisation": organisation.pk, "email": "senco@elsewhere.example.org", "display_name": "SENCO"},
    )
    page = " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())
    assert "The address must end with @oakfield-primary.example.org. If this organisation also uses another" in page


def test_a_move_to_an_organisation_with_no_endings_is_refused(administrator_client, wrenfield_account):
    bare = OrganisationFactory(name="Bare Services", email_domains="")
    response = _edit(administrator_client, wrenfield_account, bare)
    assert response.status_code == 200
    assert "Bare Services has no email address endings yet" in response.content.decode()
    assert _moves(wrenfield_account) == []


def test_a_move_that_the_endings_take_is_saved_and_audited_with_ids_only(
    administrator_client, administrator, professional
):
    wrenfield = professional.organisation
    other = OrganisationFactory(name="Oakfield Junior School", email_domains="oakfield-primary.example.org")

    response = _edit(administrator_client, professional, other)

    assert response.status_code == 302
    professional.refresh_from_db()
    assert professional.organisation == other
    (entry,) = _moves(professional)
    assert entry.actor == administrator
    assert entry.data == {"from_organisation": wrenfield.pk, "to_organisation": other.pk}
    assert "Oakfield" not in str(entry.data) and entry.reason == ""
    listed = administrator_client.get("/admin/audit_log/", {"action": AccountEvent.ORGANISATION_CHANGED.value})
    assert professional.email in listed.content.decode()


def test_an_edit_that_keeps_the_organisation_is_not_audited_as_a_move(administrator_client):
    account = ProfessionalFactory()
    response = _edit(administrator_client, account, account.organisation)
    assert response.status_code == 302 and _moves(account) == []
