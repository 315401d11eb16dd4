"""A council staff account added in Settings -> Users is invited: the superuser types no password for it (Wagtail's
add form asked for one, which the administrator then knew); the person is emailed a link, chooses their own password
and sets up an authenticator at their first sign-in to the staff admin."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from cms.models import AuditEntry
from portal_pages.events import AccountEvent
from portal_pages.models import AccountState, User
from tests.factories.accounts import UserFactory, staff_in_group, verified_login
from tests.portal_pages.conftest import link_in_last_email

# Each request commits when it ends, as on a server, and sends what it put in the outbox (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("requests_commit")

ADD = reverse("wagtailusers_users:add")
NEW = {"email": "Sam.Staff@council.example.org", "first_name": "Sam", "last_name": "Staff"}


def test_the_add_page_asks_for_no_password(verified_admin_client):
    form = verified_admin_client.get(ADD).context["form"]

    assert "password1" not in form.fields and "password2" not in form.fields
    assert 'type="password"' not in verified_admin_client.get(ADD).content.decode()


def test_a_staff_account_added_is_invited_chooses_its_password_and_sets_up_its_authenticator(
    client, verified_admin_client, superuser
):
    caseworkers = Group.objects.get(name="SEND caseworker")

    response = verified_admin_client.post(ADD, {**NEW, "groups": [caseworkers.pk]})

    assert response.status_code == 302, response.content.decode()[:3000]
    account = User.objects.get(email="sam.staff@council.example.org")
    assert account.account_state == AccountState.INVITED and not account.is_active
    assert account.is_staff  # the doors and the portal's gate tell staff by it
    assert not account.has_usable_password()
    assert list(account.groups.all()) == [caseworkers]
    assert AuditEntry.objects.get(action=AccountEvent.INVITED, target_id=str(account.pk)).actor == superuser
    shown = " ".join(
        m.message for m in verified_admin_client.get(reverse("wagtailusers_users:index")).context["messages"]
    )
    assert "sam.staff@council.example.org has been invited" in shown
    email = mail.outbox[-1]
    assert email.to == [account.email] and email.subject == "You have been invited to the SEND portal"
    assert "made you a staff account" in email.body and "your team" not in email.body

    link = link_in_last_email("/portal/invitation/")
    response = client.post(link, {"new_password": "kettle marmalade lighthouse"})

    assert response.url == reverse("wagtailadmin_home")
    account.refresh_from_db()
    assert account.account_state == AccountState.ACTIVE and account.is_active
    assert account.check_password("kettle marmalade lighthouse")
    # The staff admin makes it set up an authenticator before anything else.
    assert client.get(reverse("wagtailadmin_home")).url.startswith(reverse("wagtail_2fa_device_new"))
    # ...and it is not let into the portal as a team account with no organisation.
    assert client.get(reverse("portal:dashboard")).status_code == 403


def _soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def _error_beside(soup, name):
    field = soup.select_one(f"#id_{name}").find_parent(class_="w-field__wrapper")
    return " ".join(field.select_one(".error-message").get_text().split())


def test_an_address_taken_in_another_case_is_refused_beside_the_field(verified_admin_client, caseworker):
    """Sign-in takes an address whatever its case, and the invitation saves it in lower case: Wagtail's own check,
    of the address exactly as typed, let "Casey.Worker@..." through to an IntegrityError (a 500)."""
    caseworkers = Group.objects.get(name="SEND caseworker")
    caseworker.email = "existing.person@council.example.org"
    caseworker.save()

    added = verified_admin_client.post(
        ADD, {**NEW, "email": "Existing.Person@council.example.org", "groups": [caseworkers.pk]}
    )
    edited = verified_admin_client.post(
        reverse("wagtailusers_users:edit", args=[UserFactory(email="sam@council.example.org", is_staff=True).pk]),
        {**NEW, "email": "EXISTING.person@council.example.org"},
    )

    for response in (added, edited):
        assert response.status_code == 200
        assert _error_beside(_soup(response), "email") == "An account with this address exists already"
    assert User.objects.filter(email__iexact="existing.person@council.example.org").count() == 1


def test_an_account_added_with_no_role_is_refused_beside_roles(verified_admin_client):
    """With no role, the account would choose its password and then meet Wagtail's "no permission" page."""
    refused = verified_admin_client.post(ADD, NEW)

    assert refused.status_code == 200
    assert _error_beside(_soup(refused), "groups") == "Choose at least one role, or make the account a superuser"
    assert not User.objects.filter(email__iexact=NEW["email"]).exists()
    assert verified_admin_client.post(ADD, {**NEW, "is_superuser": "on"}).status_code == 302


def test_the_add_page_sends_the_invitation_and_asks_for_names_in_sentence_case(verified_admin_client):
    soup = _soup(verified_admin_client.get(ADD))

    assert [" ".join(b.get_text().split()) for b in soup.select("main form button[type=submit]")] == [
        "Send the invitation"
    ]
    labels = {" ".join(label.get_text().split()).rstrip("*") for label in soup.select("#tab-account label")}
    assert {"First name", "Last name"} <= labels and not {"First Name", "Last Name"} & labels


def test_the_history_of_an_account_added_starts_with_its_creation(verified_admin_client, superuser):
    caseworkers = Group.objects.get(name="SEND caseworker")
    verified_admin_client.post(ADD, {**NEW, "groups": [caseworkers.pk]})
    account = User.objects.get(email="sam.staff@council.example.org")

    history = _soup(verified_admin_client.get(reverse("wagtailusers_users:history", args=[account.pk])))

    rows = [" ".join(row.get_text().split()) for row in history.select("main table tbody tr")]
    assert len(rows) == 1 and "Created" in rows[0], rows
    assert ModelLogEntry.objects.get(object_id=str(account.pk), action="wagtail.create").user == superuser


def test_the_edit_page_sets_no_password_and_leaves_an_invitation_good(verified_admin_client, superuser):
    """A superuser typed another's password there; on an invited account it spoilt the invitation's link (the link
    is for an account with no password), while the account stayed invited."""
    caseworkers = Group.objects.get(name="SEND caseworker")
    verified_admin_client.post(ADD, {**NEW, "groups": [caseworkers.pk]})
    link = link_in_last_email("/portal/invitation/")
    account = User.objects.get(email="sam.staff@council.example.org")
    edit = reverse("wagtailusers_users:edit", args=[account.pk])

    page = verified_admin_client.get(edit)
    response = verified_admin_client.post(
        edit,
        {**NEW, "email": account.email, "groups": [caseworkers.pk], "password1": "typed by someone else 42"}
        | {"password2": "typed by someone else 42"},
    )

    assert "password1" not in page.context["form"].fields and 'type="password"' not in page.content.decode()
    assert response.status_code == 302
    account.refresh_from_db()
    assert not account.has_usable_password() and account.account_state == AccountState.INVITED
    chosen = Client().post(link, {"new_password": "kettle marmalade lighthouse"})
    assert chosen.status_code == 302
    account.refresh_from_db()
    assert account.check_password("kettle marmalade lighthouse")


def _link_button(client, account):
    page = _soup(client.get(reverse("wagtailusers_users:edit", args=[account.pk])))
    url = reverse("portal_send_password_link", args=[account.pk])
    return [" ".join(link.get_text().split()) for link in page.select(f'a[href="{url}"]')]


def test_the_edit_page_sends_a_password_link_or_the_invitation_again(verified_admin_client, caseworker):
    """Where the superuser typed a password for someone, they may send the person a link to choose their own: the
    email the admin's "Forgotten password?" sends, the invitation again for an account still invited."""
    caseworkers = Group.objects.get(name="SEND caseworker")
    verified_admin_client.post(ADD, {**NEW, "groups": [caseworkers.pk]})
    invited = User.objects.get(email="sam.staff@council.example.org")
    mail.outbox.clear()

    for account, label, subject, link in (
        (
            caseworker,
            "Send a password reset link",
            "Reset your password for the SEND Professional Portal staff admin",
            "/admin/password_reset/confirm/",
        ),
        (invited, "Send the invitation again", "You have been invited to the SEND portal", "/portal/invitation/"),
    ):
        assert _link_button(verified_admin_client, account) == [label]
        send = reverse("portal_send_password_link", args=[account.pk])
        assert label in verified_admin_client.get(send).content.decode()
        response = verified_admin_client.post(send)
        assert response.url == reverse("wagtailusers_users:edit", args=[account.pk])
        assert (mail.outbox[-1].to, mail.outbox[-1].subject) == ([account.email], subject)
        assert link in mail.outbox[-1].body


def test_a_password_link_sent_from_the_edit_page_is_audited_as_the_superusers(
    verified_admin_client, superuser, caseworker
):
    """The audit log says who sent someone a password link, as it says who invited them: an anonymous "Forgotten
    password?" sends the same email, so the link alone names no one. Nor does it add "Password reset asked for",
    with no one named and the superuser's address, as if the person had asked (an invited account's did)."""
    caseworkers = Group.objects.get(name="SEND caseworker")
    verified_admin_client.post(ADD, {**NEW, "groups": [caseworkers.pk]})
    invited = User.objects.get(email="sam.staff@council.example.org")

    for account in (caseworker, invited):
        state = account.account_state
        mail.outbox.clear()
        verified_admin_client.post(reverse("portal_send_password_link", args=[account.pk]))
        entries = AuditEntry.objects.filter(target_id=str(account.pk), action__startswith="account.password")
        assert [(entry.action, entry.actor, entry.data) for entry in entries] == [
            (AccountEvent.PASSWORD_LINK_SENT, superuser, {"state": state})
        ]
        assert not AuditEntry.objects.filter(action=AccountEvent.PASSWORD_RESET_REQUESTED).exists()
        assert [email.to for email in mail.outbox] == [[account.email]]


def test_a_password_link_is_not_offered_to_an_account_switched_off_nor_sent_by_anyone_else(
    verified_admin_client, superuser, caseworker, professional
):
    caseworker.is_active = False
    caseworker.save()
    send = reverse("portal_send_password_link", args=[caseworker.pk])

    assert _link_button(verified_admin_client, caseworker) == []
    assert verified_admin_client.post(send).status_code == 302 and mail.outbox == []
    # a team account has its own screens: its id is a 404 here
    assert verified_admin_client.post(reverse("portal_send_password_link", args=[professional.pk])).status_code == 404
    administrator = verified_login(verified_admin_client, staff_in_group("Portal administrator"))
    refused = administrator.post(reverse("portal_send_password_link", args=[superuser.pk]))
    assert refused.url == reverse("wagtailadmin_home") and mail.outbox == []  # Wagtail's answer to PermissionDenied
