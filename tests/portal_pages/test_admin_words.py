"""The words of the portal administrator's account screens: team accounts are called team accounts, the edit page
says which account it is and what it can do, and the audit log shows states by their labels."""

from bs4 import BeautifulSoup

from advice_forms.events import CaseworkEvent
from advice_forms.workflow import RequestState
from cms.models import AuditEntry
from cms.services import audit_record
from portal_pages.events import AccountEvent
from portal_pages.models import AccountState
from tests.factories.advice_forms import advice_request


def _text(response):
    assert response.status_code == 200, response
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


def test_the_audit_log_shows_each_state_by_its_label_and_an_unknown_one_as_stored(administrator_client, professional):
    joined = audit_record(
        action=AccountEvent.JOIN_APPROVED,
        target=professional,
        from_state=AccountState.AWAITING_APPROVAL,
        to_state=AccountState.ACTIVE,
    )
    returned = audit_record(
        action=CaseworkEvent.REQUEST_RETURNED,
        target=advice_request(professional),
        from_state=RequestState.SUBMITTED,
        to_state=RequestState.RETURNED,
    )
    unknown = audit_record(action=AccountEvent.DORMANT, target=professional, from_state="retired_state")
    switched = audit_record(
        action=AccountEvent.DEACTIVATED,
        target=professional,
        data={"is_active": False, "account_state": AccountState.DORMANT},
    )

    page = BeautifulSoup(administrator_client.get("/admin/audit_log/").content, "html.parser")
    headings = [cell.get_text(" ", strip=True) for cell in page.select("thead th")]
    assert "IP address" in headings and "Ip address" not in headings, headings
    cells = {cell.get_text(" ", strip=True) for cell in page.select("tbody td")}
    assert {"Awaiting approval (request to join)", "Returned for more information", "retired_state"} <= cells
    assert not {"awaiting_approval", "active", "returned", "submitted"} & cells, cells

    expected = {
        joined: ["From state Awaiting approval (request to join)", "To state Active"],
        returned: ["From state Submitted", "To state Returned for more information"],
        unknown: ["From state retired_state"],
        switched: ["Account state: Dormant (not signed in for too long)"],
    }
    for entry, shown in expected.items():
        text = _text(administrator_client.get(f"/admin/audit_log/inspect/{entry.pk}/"))
        assert "IP address" in text and "Ip address" not in text
        for words in shown:
            assert words in text, (entry.action, text)
    assert AuditEntry.objects.count() >= 4
