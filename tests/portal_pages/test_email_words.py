"""An email that a signed-out person can cause goes to an address that person chose, so it carries nothing that
person typed: it names no account ("your account"), and a display name made to read like a warning ("URGENT: ...
call ...") never reaches another person's inbox in the council's words."""

import pytest
from django.core import mail

from portal_pages.models import AccountState, User
from tests.portal_pages.conftest import link_in_last_email

# Each request commits when it ends, as on a server, and sends what it put in the outbox (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("requests_commit")

PHISH = "URGENT: your account is locked. Call 0800 000 000 or visit https://evil.example/unlock"


def _assert_names_no_account(email, subject):
    assert email.subject == subject
    for words in (PHISH, "URGENT", "0800 000 000", "evil.example"):
        assert words not in email.subject and words not in email.body


def test_registering_someone_elses_address_sends_them_none_of_the_words_typed(client, organisation):
    response = client.post(
        "/portal/register/",
        {
            "organisation": "Oakfield Primary School",
            "email": "senco@oakfield-primary.example.org",
            "display_name": PHISH,
            "password": "kettle marmalade lighthouse",
        },
    )
    assert response.url == "/portal/register/check-your-email/"
    assert User.objects.get().display_name == PHISH  # kept for the account, not put in the email
    [email] = mail.outbox
    _assert_names_no_account(email, "Confirm your email address")
    assert "Someone registered an account on the" in email.body


def test_the_page_the_confirmation_link_opens_shows_none_of_the_words_typed(client, organisation):
    """The page named the account by its display name ("for the account “URGENT: ... call ...”"), in the council's
    page, to whoever opened the link: the owner of the address, who may not be the registrant."""
    client.post(
        "/portal/register/",
        {
            "organisation": "Oakfield Primary School",
            "email": "senco@oakfield-primary.example.org",
            "display_name": PHISH,
            "password": "kettle marmalade lighthouse",
        },
    )

    page = client.get(link_in_last_email("/portal/verify/")).content.decode()

    assert "Confirm your email address" in page
    assert "senco@oakfield-primary.example.org" in page and "your account" in page
    for words in ("URGENT", "0800 000 000", "evil.example"):
        assert words not in page


# A reset asked for by anyone signed out: each state of the account answers with an email of its own.
RESET_EMAILS = {
    AccountState.ACTIVE: "Reset your password",
    AccountState.DORMANT: "Your SEND portal account needs to be reactivated",
    AccountState.PENDING_VERIFICATION: "Confirm your email address",
    AccountState.INVITED: "You have been invited to the SEND portal",
}


@pytest.mark.parametrize("state", RESET_EMAILS)
def test_a_password_reset_asked_for_by_anyone_names_no_account(client, professional, state):
    User.objects.filter(pk=professional.pk).update(account_state=state, display_name=PHISH)

    response = client.post("/portal/password-reset/", {"email": professional.email})

    assert response.url == "/portal/password-reset/check-your-email/"
    [email] = mail.outbox
    _assert_names_no_account(email, RESET_EMAILS[state])
    assert "your account" in email.body or "an account" in email.body
