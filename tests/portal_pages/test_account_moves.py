"""A team account moved to another organisation on its edit page: refused, beside Organisation and in the words of
an invitation, when that organisation's address endings do not take its address; audited (ids only) when made."""

import pytest
from bs4 import BeautifulSoup

from cms.models import AuditEntry
from portal_pages.events import AccountEvent
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
