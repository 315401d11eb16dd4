"""Only superusers grant staff roles or touch staff accounts and their devices, through any admin screen.

The portal administrator (portal_pages.change_user) manages team accounts from Accounts -> Team accounts;
Wagtail's own user and group screens refuse it (Wagtail's redirect to the dashboard), and any staff or
superuser id on an account or device screen it may use is a 404.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django_otp.plugins.otp_totp.models import TOTPDevice

from cms.services import audit_record
from portal_pages.events import AccountEvent
from portal_pages.models import AccountState
from tests.conftest import held_for_the_module, home_page_make, role_groups_make
from tests.factories.accounts import TOTPDeviceFactory, staff_in_group, verified_login
from tests.refusals import refused_by_wagtail


def _refused(response):
    """Wagtail's answer to PermissionDenied in the admin: back to the dashboard with a message."""
    return response.status_code == 302 and response.url == "/admin/"


def test_the_administrator_cannot_tick_itself_into_the_caseworker_group(administrator_client, administrator):
    caseworkers = Group.objects.get(name="SEND caseworker")
    url = f"/admin/users/edit/{administrator.pk}/"

    assert _refused(administrator_client.get(url))
    response = administrator_client.post(
        url,
        {
            "email": administrator.email,
            "first_name": "Pat",
            "last_name": "Administrator",
            "password1": "",
            "password2": "",
            "groups": [caseworkers.pk, Group.objects.get(name="Portal administrator").pk],
        },
    )

    assert _refused(response)
    assert not administrator.groups.filter(pk=caseworkers.pk).exists()
    assert refused_by_wagtail(administrator_client.get("/admin/child_records/"))


def test_the_administrator_cannot_assign_a_role_through_the_user_lists_bulk_action(administrator_client, administrator):
    caseworkers = Group.objects.get(name="SEND caseworker")

    response = administrator_client.post(
        f"/admin/bulk/portal_pages/user/assign_role/?id={administrator.pk}", {"role": caseworkers.pk}
    )

    assert _refused(response)
    assert not administrator.groups.filter(pk=caseworkers.pk).exists()


def test_the_administrator_cannot_open_or_change_the_superusers_account(administrator_client, superuser):
    url = f"/admin/users/edit/{superuser.pk}/"

    response = administrator_client.get(url)
    assert _refused(response)
    assert _refused(
        administrator_client.post(url, {"email": superuser.email, "password1": "x" * 20, "password2": "x" * 20})
    )
    superuser.refresh_from_db()
    assert superuser.is_active and superuser.is_superuser and not superuser.check_password("x" * 20)
    assert _refused(
        administrator_client.post(
            f"/admin/bulk/portal_pages/user/set_active_state/?id={superuser.pk}", {"mark_as_active": ""}
        )
    )
    assert _refused(administrator_client.get(f"/admin/users/delete/{superuser.pk}/"))
    assert _refused(administrator_client.get("/admin/users/"))
    assert _refused(administrator_client.get("/admin/users/edit/999999/"))  # the same answer: ids tell nothing


def test_wagtails_group_screens_are_for_superusers_even_with_the_permissions(client, verified_admin_client):
    staff = staff_in_group("Portal administrator")
    staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="auth", codename__endswith="_group"))
    client = verified_login(client.__class__(), staff)
    caseworkers = Group.objects.get(name="SEND caseworker")

    assert _refused(client.get("/admin/groups/"))
    assert _refused(client.get(f"/admin/groups/edit/{caseworkers.pk}/"))
    assert verified_admin_client.get(f"/admin/groups/edit/{caseworkers.pk}/").status_code == 200
    assert verified_admin_client.get("/admin/users/").status_code == 200


def test_the_users_and_groups_menus_are_not_shown_to_the_administrator(administrator_client):
    html = administrator_client.get("/admin/").content.decode()
    assert '"/admin/users/"' not in html and '"/admin/groups/"' not in html
    assert '"/admin/team_accounts/"' in html


@pytest.mark.parametrize("whose", ["superuser", "caseworker"])
@pytest.mark.parametrize("view", ["edit", "delete", "history", "usage"])
def test_team_account_screens_find_only_team_accounts(administrator_client, superuser, caseworker, whose, view):
    target = {"superuser": superuser, "caseworker": caseworker}[whose]

    assert administrator_client.get(f"/admin/team_accounts/{view}/{target.pk}/").status_code == 404
    response = administrator_client.post(
        f"/admin/team_accounts/edit/{target.pk}/", {"display_name": "X", "is_active": ""}
    )
    assert response.status_code == 404
    target.refresh_from_db()
    assert target.is_active


def test_team_account_screens_still_edit_a_team_account(administrator_client, professional):
    assert administrator_client.get(f"/admin/team_accounts/edit/{professional.pk}/").status_code == 200
    response = administrator_client.post(
        f"/admin/team_accounts/edit/{professional.pk}/",
        {"display_name": "Oakfield SENCO office", "organisation": professional.organisation_id, "is_active": "on"},
    )
    assert response.status_code == 302
    professional.refresh_from_db()
    assert professional.display_name == "Oakfield SENCO office"


def test_the_administrator_cannot_list_or_remove_the_superusers_devices(administrator_client, superuser):
    device = superuser.totpdevice_set.get()

    assert administrator_client.get(f"/admin/2fa/devices/{superuser.pk}").status_code == 404
    response = administrator_client.post(f"/admin/2fa/devices/{device.pk}/remove", {"user_id": superuser.pk})

    assert response.status_code == 404
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_the_administrator_cannot_reach_a_team_accounts_devices_through_wagtail_2fa(administrator_client, professional):
    device = professional.totpdevice_set.get()

    assert administrator_client.get(f"/admin/2fa/devices/{professional.pk}").status_code == 404
    assert (
        administrator_client.post(f"/admin/2fa/devices/{device.pk}/remove", {"user_id": professional.pk}).status_code
        == 404
    )
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_staff_manage_their_own_devices_and_superusers_anyones(
    administrator_client, administrator, verified_admin_client
):
    spare = TOTPDeviceFactory(user=administrator, name="Spare phone")

    assert administrator_client.get(f"/admin/2fa/devices/{administrator.pk}").status_code == 200
    assert (
        administrator_client.post(f"/admin/2fa/devices/{spare.pk}/remove", {"user_id": administrator.pk}).status_code
        == 302
    )
    assert not TOTPDevice.objects.filter(pk=spare.pk).exists()
    assert (
        administrator_client.post("/admin/2fa/devices/999999/remove", {"user_id": administrator.pk}).status_code == 404
    )

    device = administrator.totpdevice_set.get()
    html = verified_admin_client.get(f"/admin/2fa/devices/{administrator.pk}").content.decode()
    assert device.name in html
    response = verified_admin_client.post(f"/admin/2fa/devices/{device.pk}/remove", {"user_id": administrator.pk})
    assert response.status_code == 302
    assert not administrator.totpdevice_set.exists()


def test_the_administrator_cannot_reset_or_reactivate_a_staff_account(administrator_client, caseworker):
    caseworker.account_state = AccountState.DORMANT
    caseworker.save()

    assert administrator_client.post(f"/admin/accounts/{caseworker.pk}/reset-two-factor/").status_code == 404
    assert administrator_client.post(f"/admin/accounts/{caseworker.pk}/reactivate/").status_code == 404

    assert caseworker.totpdevice_set.exists()
    caseworker.refresh_from_db()
    assert caseworker.account_state == AccountState.DORMANT


def test_a_superuser_still_resets_a_staff_accounts_devices(verified_admin_client, caseworker):
    reset = f"/admin/accounts/{caseworker.pk}/reset-two-factor/"
    assert reset in verified_admin_client.get("/admin/users/").content.decode()
    response = verified_admin_client.post(reset)
    assert response.status_code == 302
    assert not caseworker.totpdevice_set.exists()
    # Nothing left to reset: the list offers it again once the account has set up a new authenticator.
    assert reset not in verified_admin_client.get("/admin/users/").content.decode()


# Who may open each page of one organisation or team account; every other role gets a 404 for a real id, as for a
# made-up one. ("history-results" is the history's filtered list.)
ADMINISTRATORS = {"Portal administrator", "superuser"}
ONE_OBJECT_PAGES = [
    *[("organisation", page, ADMINISTRATORS) for page in ["edit", "delete", "history", "history-results", "usage"]],
    *[("team_accounts", page, ADMINISTRATORS) for page in ["edit", "usage"]],
    ("team_accounts", "delete", {"superuser"}),  # accounts are switched off, not deleted
    *[("team_accounts", page, ADMINISTRATORS | {"SEND caseworker"}) for page in ["history", "history-results"]],
    ("audit_log", "inspect", ADMINISTRATORS),
    # Read only: nobody edits, deletes or keeps a history of an entry.
    *[("audit_log", page, set()) for page in ["edit", "delete", "history", "history-results", "usage"]],
]
ROLES = ["SEND caseworker", "Form designer", "Content editor", "Portal administrator", "superuser"]


@pytest.fixture(scope="module")
def role_groups_made(django_db_setup, django_db_blocker):
    """The role groups made again (tests/conftest.py's ``role_groups``) once for the module, not once for each of its
    80 role and page pairs: the groups, their permissions and the workflow are the same for each
    (``held_for_the_module``, tests/conftest.py)."""
    with held_for_the_module(django_db_blocker):
        home_page_make()
        role_groups_make()
        yield


@pytest.fixture
def role_groups(role_groups_made, home_page):
    """This module's tests find the role groups made once for the module, beside their own home page."""


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("viewset", "page", "allowed"), ONE_OBJECT_PAGES)
def test_a_role_that_may_not_open_a_page_cannot_tell_a_real_id_from_a_made_up_one(
    client, role_groups, superuser, professional, viewset, page, allowed, role
):
    verified_login(client, superuser if role == "superuser" else staff_in_group(role))
    real = {
        "organisation": professional.organisation_id,
        "team_accounts": professional.pk,
        "audit_log": audit_record(action=AccountEvent.SIGNED_IN, target=professional).pk,
    }[viewset]

    existing = client.get(f"/admin/{viewset}/{page}/{real}/")
    made_up = client.get(f"/admin/{viewset}/{page}/{real + 10_000}/")

    assert made_up.status_code == 404
    assert existing.status_code == (200 if role in allowed else 404)
