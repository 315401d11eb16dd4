"""An account switched off (Active unticked) is audited: who, when, which account, from every screen that can do it
and from any service move; the audit log lists it like the other account events."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail

from cms.models import AuditEntry
from portal_pages.events import AccountEvent
from portal_pages.models import AccountState, User
from portal_pages.services.moves import account_move
from tests.factories.accounts import ProfessionalFactory

pytestmark = pytest.mark.django_db


def _switches(account):
    return list(
        AuditEntry.objects.filter(
            target_id=str(account.pk), action__in=[AccountEvent.DEACTIVATED, AccountEvent.REACTIVATED]
        ).order_by("pk")
    )


def _edit_team_account(client, account, **changes):
    data = {"display_name": account.display_name, "organisation": account.organisation_id, "is_active": "on"}
    return client.post(f"/admin/team_accounts/edit/{account.pk}/", {**data, **changes})


def test_unticking_active_on_a_team_account_is_audited_and_listed(administrator_client, administrator, professional):
    response = _edit_team_account(administrator_client, professional, is_active="")

    assert response.status_code == 302
    (entry,) = _switches(professional)
    assert entry.action == AccountEvent.DEACTIVATED and entry.actor == administrator
    assert entry.ip_address == "127.0.0.1" and entry.data == {"is_active": False, "account_state": "active"}
    listed = administrator_client.get("/admin/audit_log/", {"action": "account.deactivated"}).content.decode()
    assert "account.deactivated" in listed and professional.email in listed
    assert administrator_client.get(f"/admin/audit_log/inspect/{entry.pk}/").status_code == 200


def test_ticking_it_again_is_audited_and_an_edit_that_keeps_it_writes_nothing(administrator_client, professional):
    _edit_team_account(administrator_client, professional, display_name="Oakfield SENCO office")
    assert _switches(professional) == []

    _edit_team_account(administrator_client, professional, is_active="")
    _edit_team_account(administrator_client, professional, is_active="on")

    assert [entry.action for entry in _switches(professional)] == [AccountEvent.DEACTIVATED, AccountEvent.REACTIVATED]


def test_a_superuser_switching_a_staff_account_off_in_wagtails_user_screen_is_audited(
    verified_admin_client, superuser, caseworker
):
    response = verified_admin_client.post(
        f"/admin/users/edit/{caseworker.pk}/",
        {
            "email": caseworker.email,
            "first_name": "Casey",
            "last_name": "Worker",
            "is_active": "",
            "groups": list(caseworker.groups.values_list("pk", flat=True)),
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    caseworker.refresh_from_db()
    assert not caseworker.is_active
    (entry,) = _switches(caseworker)
    assert entry.action == AccountEvent.DEACTIVATED and entry.actor == superuser


def test_the_user_lists_bulk_mark_as_inactive_is_audited_for_each_account(verified_admin_client, superuser, caseworker):
    response = verified_admin_client.post(
        f"/admin/bulk/portal_pages/user/set_active_state/?id={caseworker.pk}&id={superuser.pk}",
        {"mark_as_active": "False"},
    )

    assert response.status_code == 302
    caseworker.refresh_from_db()
    assert not caseworker.is_active
    (entry,) = _switches(caseworker)
    assert entry.action == AccountEvent.DEACTIVATED and entry.actor == superuser
    assert entry.ip_address == "127.0.0.1"
    assert _switches(superuser) == []  # Wagtail never lets one switch oneself off


def test_a_service_move_that_switches_an_active_account_off_is_audited(professional):
    account_move(user=professional, state=AccountState.REFUSED, action=AccountEvent.JOIN_REFUSED, reason="test")

    assert [entry.action for entry in _switches(professional)] == [AccountEvent.DEACTIVATED]


def test_a_team_account_switched_on_again_is_told_it_may_sign_in(
    administrator_client, professional, django_capture_on_commit_callbacks
):
    """Told when switched off that it should ask the SEND service to switch it on, the account's owner was never
    told when that was done (a lifted dormancy was)."""
    with django_capture_on_commit_callbacks(execute=True):
        _edit_team_account(administrator_client, professional, is_active="")
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        _edit_team_account(administrator_client, professional, is_active="on")

    (email,) = mail.outbox
    assert email.to == [professional.email] and email.subject == "Your SEND portal account is active again"
    assert "/portal/sign-in/" in email.body


def test_an_account_switched_on_that_still_cannot_sign_in_is_not_told_it_can(
    administrator_client, professional, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=professional.pk).update(is_active=False, account_state=AccountState.DORMANT)
    professional.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        _edit_team_account(administrator_client, professional, is_active="on")
    professional.refresh_from_db()
    assert professional.is_active and professional.account_state == AccountState.DORMANT
    assert mail.outbox == []  # dormant: it still cannot sign in until reactivated, which emails then


def _listed_states(client, **query):
    """The State cell of each row of Team accounts, by email address."""
    page = BeautifulSoup(client.get("/admin/team_accounts/", query).content, "html.parser")
    headings = [th.get_text(" ", strip=True) for th in page.select("table.listing thead th")]
    state = next(i for i, heading in enumerate(headings) if heading.startswith("State"))
    rows = [[td.get_text(" ", strip=True) for td in tr.select("td")] for tr in page.select("table.listing tbody tr")]
    return {cells[0].split()[0]: cells[state] for cells in rows}


def test_a_switched_off_account_reads_switched_off_and_the_list_filters_on_it(
    administrator_client, professional, organisation
):
    other = ProfessionalFactory(organisation=organisation)
    _edit_team_account(administrator_client, professional, is_active="")

    assert _listed_states(administrator_client) == {professional.email: "Switched off", other.email: "Active"}
    assert _listed_states(administrator_client, account_state="switched_off") == {professional.email: "Switched off"}
    assert _listed_states(administrator_client, account_state="active") == {other.email: "Active"}
    page = administrator_client.get(f"/admin/team_accounts/edit/{professional.pk}/").content.decode()
    assert "Switched off" in page
