import pytest
import time_machine
from bs4 import BeautifulSoup
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.utils import timezone

from cms.models import AuditEntry
from portal_pages.models import AccountState, User
from tests.factories.accounts import OrganisationFactory
from tests.portal_pages.conftest import link_in_last_email

# Each request commits when it ends, as on a server, and sends what it put in the outbox (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("requests_commit")

GOOD = {
    "organisation": "Oakfield Primary School",
    "email": "senco@oakfield-primary.example.org",
    "display_name": "Oakfield Primary SENCO",
    "password": "kettle marmalade lighthouse",
}


def _register(client, **changes):
    return client.post("/portal/register/", {**GOOD, **changes})


def test_the_form_shows_hints_and_lists_active_organisations(client, organisation):
    OrganisationFactory(name="Closed School", is_active=False)
    html = client.get("/portal/register/").content.decode()
    assert "Oakfield Primary School" in html and "Closed School" not in html
    assert "Oakfield Primary SENCO" in html and 'autocomplete="new-password"' in html


def test_a_personal_address_is_refused_with_the_reason(client, organisation):
    response = _register(client, email="jo.bloggs@gmail.com")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("Use your team&#x27;s work email address, not a personal one") == 2  # summary and field
    assert not User.objects.exists() and not mail.outbox


def test_an_address_off_the_organisations_domains_is_refused(client, organisation):
    response = _register(client, email="senco@other-school.example.org")
    assert "Enter an email address that ends with @oakfield-primary.example.org" in response.content.decode()
    assert not User.objects.exists()


def test_an_unknown_organisation_and_a_weak_password_are_refused(client, organisation):
    response = _register(client, organisation="Nowhere Academy", password="password1234")
    html = response.content.decode()
    assert "Select what kind of organisation it is, or choose your organisation from the list" in html
    assert "Enter the address of your school, setting or service" in html
    assert "This password is too common" in html
    assert not User.objects.exists()


def test_each_field_with_an_error_takes_the_govuk_error_class_of_its_kind_and_the_summary_links_to_it(
    client, organisation
):
    response = _register(client, organisation="Nowhere Academy", password="password1234")
    page = BeautifulSoup(response.content, "html.parser")
    assert "govuk-select--error" in page.select_one("select#id_organisation_kind")["class"]
    assert "govuk-textarea--error" in page.select_one("textarea#id_organisation_address")["class"]
    assert "govuk-input--error" in page.select_one("input#id_password")["class"]
    assert "govuk-input--error" not in page.select_one("input#id_email")["class"]  # no error there
    links = [a["href"] for a in page.select(".govuk-error-summary a")]
    assert links == ["#id_organisation_kind", "#id_organisation_address", "#id_password"]
    assert all(page.select_one(href) is not None for href in links)


def test_an_address_in_the_wrong_format_is_told_in_the_words_of_every_email_field(client, organisation):
    """Sign-in, registration and password reset said '… in the right format, like senco@school.example.org', where
    the forms' questions and contacts say GOV.UK's words."""
    message = "Enter an email address in the correct format, like name@example.com"
    pages = [
        _register(client, email="senco.oakfield"),
        client.post("/portal/sign-in/", {"username": "senco.oakfield", "password": "kettle marmalade lighthouse"}),
        client.post("/portal/password-reset/", {"email": "senco.oakfield"}),
    ]
    for page in pages:
        assert page.content.decode().count(message) == 2, page.request["PATH_INFO"]
    assert not User.objects.exists() and not mail.outbox


def test_registering_an_existing_address_looks_the_same_and_emails_the_owner(client, professional):
    response = _register(client)
    assert response.status_code == 302 and response.url == "/portal/register/check-your-email/"
    assert User.objects.count() == 1
    assert mail.outbox[-1].to == [professional.email]
    assert "already has an account" in mail.outbox[-1].body
    professional.refresh_from_db()
    assert professional.display_name != "" and professional.check_password("a-long-test-password")


def test_registering_a_known_address_hashes_the_password_as_a_new_one_does(client, organisation, monkeypatch):
    """A known address answered without hashing (0.11 s against 0.45 s for a new one): the time told who has an
    account. Both now hash once; counted, not timed."""
    calls = []
    upstream = MD5PasswordHasher.encode
    monkeypatch.setattr(MD5PasswordHasher, "encode", lambda self, *args: calls.append(1) or upstream(self, *args))
    assert _register(client).url == "/portal/register/check-your-email/"
    assert User.objects.count() == 1 and len(calls) == 1
    calls.clear()
    assert _register(client, display_name="Someone else").url == "/portal/register/check-your-email/"
    assert User.objects.count() == 1 and len(calls) == 1


def test_the_confirmation_link_expires_after_24_hours_and_a_new_one_can_be_asked_for(client, organisation):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _register(client)
        old_link = link_in_last_email("/portal/verify/")
        traveller.shift(24 * 3600 + 1)
        assert client.get(old_link).status_code == 400
        assert "ask for a new" in client.get(old_link).content.decode().lower()

        response = client.post("/portal/register/new-link/", {"email": GOOD["email"]})
        assert response.url == "/portal/register/check-your-email/"
        new_link = link_in_last_email("/portal/verify/")
        assert client.post(new_link).status_code == 302
    user = User.objects.get()
    assert user.account_state == AccountState.ACTIVE
    assert AuditEntry.objects.filter(action="account.verified", target_id=str(user.pk)).exists()


def test_asking_for_a_link_for_an_unknown_address_looks_the_same(client, organisation):
    response = client.post("/portal/register/new-link/", {"email": "nobody@oakfield-primary.example.org"})
    assert response.url == "/portal/register/check-your-email/"
    assert not mail.outbox


def test_registration_is_rate_limited_per_address(client, organisation, settings):
    settings.PORTAL_ACCOUNT_REQUESTS_PER_HOUR = 2
    for _ in range(2):
        assert _register(client).status_code == 302
    response = _register(client)
    assert response.status_code == 200
    assert "You have asked too many times. Wait an hour" in response.content.decode()


def test_the_verification_email_holds_no_password(client, organisation):
    _register(client)
    assert GOOD["password"] not in mail.outbox[-1].body
    assert "24 hours" in mail.outbox[-1].body


def _beside(response, name):
    error = BeautifulSoup(response.content, "html.parser").select_one(f"#{name}-error")
    return error.get_text(" ", strip=True).removeprefix("Error:").strip() if error else None


def test_a_name_too_long_is_told_in_govuk_words_beside_the_field(client, organisation):
    """Django said "Ensure this value has at most 150 characters (it has 300)." (cms.forms.GovukErrorsMixin)."""
    response = _register(client, display_name="a" * 300)
    assert _beside(response, "display_name") == "Account name must be 150 characters or fewer"
    assert "Ensure this value" not in response.content.decode()
    assert not User.objects.exists()


def test_a_null_character_is_told_in_govuk_words_beside_each_field(client, organisation):
    """Django said "Null characters are not allowed."; each field names itself by its label, or by the words its
    form gives where the label is an instruction."""
    response = _register(client, display_name="Oakfield\x00SENCO", password="kettle\x00marmalade lighthouse")
    assert _beside(response, "display_name") == "Account name must not contain hidden characters"
    assert _beside(response, "password") == "Your password must not contain hidden characters"
    assert "Null characters" not in response.content.decode()
    assert not User.objects.exists()


def test_the_other_portal_forms_say_the_same_words(client, organisation):
    sign_in = client.post("/portal/sign-in/", {"username": "a\x00@oakfield-primary.example.org", "password": "x"})
    assert "Email address must not contain hidden characters" in _beside(sign_in, "username")
    reset = client.post("/portal/password-reset/", {"email": "a" * 330 + "@example.org"})
    assert "Email address must be 320 characters or fewer" in _beside(reset, "email")
