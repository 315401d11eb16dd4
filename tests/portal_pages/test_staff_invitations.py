"""A council staff account added in Settings -> Users is invited: the superuser types no password for it (Wagtail's
add form asked for one, which the administrator then knew); the person is emailed a link, chooses their own password
and sets up an authenticator at their first sign-in to the staff admin."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from cms.models import AuditEntry
from portal_pages.events import AccountEvent
from portal_pages.models import AccountState, User
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
