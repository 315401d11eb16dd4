"""An organisation's address endings are kept as registration and invitations match them (lower case, a domain's
shape, no scheme or spaces, each once), and its URN as the DfE gives it (6 digits); a wrong one is refused beside its
field, with the rest of what was typed kept."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from portal_pages.models import AccountState, JoinRequest, Organisation, User
from tests.factories.accounts import OrganisationFactory

pytestmark = pytest.mark.django_db


def _post(client, organisation, **changes):
    data = {
        "name": organisation.name,
        "kind": organisation.kind,
        "email_domains": organisation.email_domains,
        "is_active": "on",
        "urn": "",
        "address": "",
    }
    return client.post(f"/admin/organisation/edit/{organisation.pk}/", {**data, **changes})


def _field_text(response, name):
    wrapper = BeautifulSoup(response.content, "html.parser").select_one(f"[data-field-wrapper]:has(#id_{name})")
    return " ".join(wrapper.get_text().split())


def test_endings_are_kept_lower_case_without_at_signs_or_duplicates(administrator_client, organisation):
    response = _post(
        administrator_client, organisation, email_domains="Oakfield-Primary.Example.org\n@oakfield-primary.example.org"
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.email_domains == "oakfield-primary.example.org"


@pytest.mark.parametrize("typed", ["https://bad domain", "oakfield primary.example.org", "localhost", "bad_.org"])
def test_an_ending_that_is_not_a_domain_is_refused_beside_the_field(administrator_client, organisation, typed):
    response = _post(administrator_client, organisation, email_domains=f"oakfield.example.org\n{typed}")
    assert response.status_code == 200
    assert f"“{typed.lower()}” is not one" in _field_text(response, "email_domains")
    assert typed in response.content.decode()  # what was typed is kept
    organisation.refresh_from_db()
    assert organisation.email_domains == "oakfield-primary.example.org"


@pytest.mark.parametrize("urn, saved", [("12345", False), ("1234567", False), ("123456", True)])
def test_a_urn_is_6_digits(administrator_client, organisation, urn, saved):
    response = _post(administrator_client, organisation, urn=urn)
    assert (response.status_code == 302) == saved
    if not saved:
        assert "Enter the URN as its 6 digits" in _field_text(response, "urn")
    assert (Organisation.objects.get(pk=organisation.pk).urn == int(urn)) == saved


def test_endings_stored_twice_before_are_listed_once_in_an_invitations_refusal(administrator_client, organisation):
    Organisation.objects.filter(pk=organisation.pk).update(
        email_domains="oakfield-primary.example.org\nOAKFIELD-PRIMARY.example.org"
    )
    response = administrator_client.post(
        "/admin/team_accounts/new/",
        {"organisation": organisation.pk, "email": "senco@elsewhere.example.org", "display_name": "SENCO"},
    )
    page = " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())
    assert "The address must end with @oakfield-primary.example.org. If" in page


def _main_words(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").select_one("main").get_text().split())


def test_the_admin_calls_them_email_address_endings_wherever_it_names_them(administrator_client, organisation):
    """The form said "Email domains" while its errors and an invitation's refusal said "address endings": one set of
    words for the portal administrator, on the form, beside it, on an invitation and on the requests to join."""
    account = User.objects.create(
        email="office@heronsgate.example.org", account_state=AccountState.AWAITING_APPROVAL, is_active=False
    )
    join = JoinRequest.objects.create(
        account=account,
        organisation=organisation,
        organisation_name=organisation.name,
        kind=organisation.kind,
        email_domain="heronsgate.example.org",
    )
    form = BeautifulSoup(
        administrator_client.get(f"/admin/organisation/edit/{organisation.pk}/").content, "html.parser"
    )
    refused = _post(administrator_client, organisation, email_domains="https://oakfield.example.org")
    bare = OrganisationFactory(name="Bare Services", email_domains="")
    invited = administrator_client.post(
        "/admin/team_accounts/new/", {"organisation": bare.pk, "email": "a@bare.example.org", "display_name": "A"}
    )

    assert " ".join(form.select_one("label[for=id_email_domains]").get_text().split()) == "Email address endings"
    assert form.select_one("#id_email_domains-helptext").get_text(strip=True) == (
        "Put each on its own line. For example, oakfield-primary.example.org"
    )
    assert _field_text(refused, "email_domains").startswith("Email address endings Enter each email address ending")
    assert "Bare Services has no email address endings yet. Add its email address ending" in _main_words(invited)
    listed = _main_words(administrator_client.get(reverse("portal_join_requests")))
    decide = _main_words(administrator_client.get(reverse("portal_join_request_decide", args=[join.pk])))
    assert "(listed, no email address ending yet)" in listed
    assert "(email address ending heronsgate.example.org)" in decide
    for page in (_main_words(refused), _main_words(invited), listed, decide):
        assert "domain" not in page.lower()
