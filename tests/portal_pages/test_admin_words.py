"""The words of the portal administrator's account screens: team accounts are called team accounts, the edit page
says which account it is and what it can do, and the audit log shows states by their labels."""

import re
from io import BytesIO

from bs4 import BeautifulSoup
from django.test import Client
from django.utils.http import urlencode
from openpyxl import load_workbook

from advice_forms.events import CaseworkEvent
from advice_forms.workflow import RequestState
from cms.models import AuditEntry
from cms.services import audit_record
from portal_pages.events import AccountEvent
from portal_pages.models import AccountState
from tests.csv_downloads import csv_rows
from tests.factories.accounts import OrganisationFactory, ProfessionalFactory, verified_login
from tests.factories.advice_forms import ChildRecordFactory, advice_request


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


def _event_cells(client, **params):
    """Each listed entry's "What happened" cell: its words, and the code on its smaller line."""
    page = BeautifulSoup(client.get("/admin/audit_log/", params).content, "html.parser")
    if not page.select("tbody tr"):
        return []
    column = [cell.get_text(" ", strip=True) for cell in page.select("thead th")].index("What happened")
    cells = [row.select("td")[column] for row in page.select("tbody tr")]
    return [(_words_of(cell), cell.small.get_text() if cell.small else "") for cell in cells]


def _words_of(cell):
    return cell.find(string=True, recursive=False).strip()


def test_the_audit_log_says_what_happened_in_words_with_the_code_beneath(administrator_client, professional):
    """The list and an entry's page showed "account.code_refused_waiting"; the words lead now, the code stays
    findable beneath them, and a search finds an entry by either, never by a child's name."""
    child_request = advice_request(professional, child=ChildRecordFactory(first_name="Ariadne", last_name="Quill"))
    shared = audit_record(action=CaseworkEvent.REQUEST_SHARED, target=child_request)
    waiting = audit_record(action=AccountEvent.CODE_REFUSED_WAITING, actor=professional, target=professional)
    signed_in = audit_record(action=AccountEvent.SIGNED_IN, actor=professional, target=professional)
    retired = audit_record(action="account.retired_event", target=professional)

    assert _event_cells(administrator_client)[:4] == [
        ("account.retired_event", ""),
        ("Signed in", "account.signed_in"),
        ("Code not tried: waiting after wrong codes", "account.code_refused_waiting"),
        ("Request shared with a team account", "advice_request.shared"),
    ]
    assert [words for words, _code in _event_cells(administrator_client, q="signed in")] == ["Signed in"]
    assert [code for _words, code in _event_cells(administrator_client, q="code_refused")] == [
        "account.code_refused_waiting"
    ]
    assert _event_cells(administrator_client, q="Ariadne") == [] and _event_cells(administrator_client, q="Quill") == []

    for entry, words, code in [
        (signed_in, "Signed in", "account.signed_in"),
        (waiting, "Code not tried: waiting after wrong codes", "account.code_refused_waiting"),
        (shared, "Request shared with a team account", "advice_request.shared"),
        (retired, "account.retired_event", ""),
    ]:
        response = administrator_client.get(f"/admin/audit_log/inspect/{entry.pk}/")
        text = _text(response)
        assert f"What happened {words} {code}".strip() in text, text
        title = BeautifulSoup(response.content, "html.parser").title.get_text(" ", strip=True)
        assert title.startswith(f"Inspect: {words}, "), title
        assert "Ariadne" not in text and "Quill" not in text


def _edit_form(client, account):
    response = client.get(f"/admin/team_accounts/edit/{account.pk}/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_active_says_what_unticking_it_does_on_both_account_screens(
    client, verified_client, administrator, superuser, professional, caseworker
):
    admin = verified_login(client.__class__(), administrator)
    # Wagtail's user screen is of staff accounts only: a team account is edited on its own screen.
    for form in (_edit_form(admin, professional), _edit_form_of_wagtails_user_screen(superuser, caseworker)):
        text = form.get_text(" ", strip=True)
        assert "Designates whether" not in text
        assert "Untick to switch the account off: it can no longer sign in, any session it has open ends" in text
        assert "recorded in the audit log. Tick again to let it sign in." in text

    # What it says is so: the account's open session ends, and the switch is audited.
    data = {"display_name": professional.display_name, "organisation": professional.organisation_id}
    assert admin.post(f"/admin/team_accounts/edit/{professional.pk}/", data).status_code == 302
    assert verified_client.get("/portal/").url.startswith("/portal/sign-in/")
    assert AuditEntry.objects.filter(action=AccountEvent.DEACTIVATED, target_id=str(professional.pk)).exists()


def _edit_form_of_wagtails_user_screen(superuser, account):
    response = verified_login(Client(), superuser).get(f"/admin/users/edit/{account.pk}/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_the_edit_page_offers_active_organisations_and_the_accounts_own(administrator_client, professional):
    closed = OrganisationFactory(name="Old Mill Infant School", is_active=False)

    def offered(account):
        return {
            o.get_text(strip=True) for o in _edit_form(administrator_client, account).select("#id_organisation option")
        }

    assert offered(professional) == {"Select an organisation", "Oakfield Primary School"}

    old_mill_account = ProfessionalFactory(organisation=closed)
    assert offered(old_mill_account) == {"Select an organisation", "Oakfield Primary School", "Old Mill Infant School"}
    data = {"display_name": "Old Mill office", "organisation": closed.pk, "is_active": "on"}
    response = administrator_client.post(f"/admin/team_accounts/edit/{old_mill_account.pk}/", data)
    assert response.status_code == 302
    old_mill_account.refresh_from_db()
    assert old_mill_account.organisation == closed and old_mill_account.display_name == "Old Mill office"


def _main_text(response):
    """The page's own words: its title, header and main content, without the edit page's collapsed status panel."""
    assert response.status_code == 200, response
    page = BeautifulSoup(response.content, "html.parser")
    for side_panel in page.select("aside"):
        side_panel.decompose()
    return f"{page.title.get_text(strip=True)} {page.select_one('main').get_text(' ', strip=True)}"


def _says_user(text):
    return re.findall(r"[^.|]{0,40}\busers?\b[^.|]{0,40}", text, flags=re.IGNORECASE)


def test_the_team_account_screens_say_team_account_not_user(administrator_client, superuser, professional):
    pk = professional.pk
    index = _main_text(administrator_client.get("/admin/team_accounts/"))
    assert index.startswith("Team accounts - ") and "Invite a team account" in index and "1 team account" in index
    invite = _main_text(administrator_client.get("/admin/team_accounts/new/"))
    assert invite.startswith("Invite a team account - ") and "Send the invitation" in invite
    refused = _main_text(administrator_client.post("/admin/team_accounts/new/", {"email": "not an address"}))
    assert "The invitation was not sent" in refused
    edit_page = administrator_client.get(f"/admin/team_accounts/edit/{pk}/")
    edit = _main_text(edit_page)
    assert edit.startswith(f"Edit team account: {professional.email} - ")
    # The status panel beside the form is headed by what the row is.
    assert "<strong>Team account</strong>" in edit_page.content.decode()
    assert "<strong>User</strong>" not in edit_page.content.decode()
    history = _main_text(administrator_client.get(f"/admin/team_accounts/history/{pk}/"))
    usage = _main_text(administrator_client.get(f"/admin/team_accounts/usage/{pk}/"))
    delete = _main_text(verified_login(Client(), superuser).get(f"/admin/team_accounts/delete/{pk}/"))
    assert "Are you sure you want to delete this team account?" in delete
    assert "This team account is referenced 0 times." in delete
    for text in (index, invite, refused, edit, history, usage, delete):
        assert "Team accounts" in text or "team account" in text
        assert not _says_user(text), _says_user(text)

    data = {"display_name": "Oakfield SENCO office", "organisation": professional.organisation_id, "is_active": "on"}
    saved = administrator_client.post(f"/admin/team_accounts/edit/{pk}/", data, follow=True)
    assert f"Team account {professional.email} updated." in _main_text(saved)


def test_the_edit_page_says_which_account_and_its_state_and_offers_its_actions(administrator_client, professional):
    edit_url = f"/admin/team_accounts/edit/{professional.pk}/"
    page = _edit_form(administrator_client, professional)
    assert page.select_one("#header-title").get_text(strip=True) == professional.email
    text = page.select_one("main").get_text(" ", strip=True)
    assert f"Email address: {professional.email} State: Active" in text
    links = {a.get_text(" ", strip=True): a["href"] for a in page.select("header a")}
    back = f"?{urlencode({'next': edit_url})}"
    assert links["Reset two-factor sign-in"] == f"/admin/accounts/{professional.pk}/reset-two-factor/{back}"
    assert "Reactivate" not in links  # only a dormant account is reactivated

    professional.account_state = AccountState.DORMANT
    professional.save(update_fields=["account_state"])
    page = _edit_form(administrator_client, professional)
    assert "State: Dormant (not signed in for too long)" in page.select_one("main").get_text(" ", strip=True)
    links = {a.get_text(" ", strip=True): a["href"] for a in page.select("header a")}
    assert links["Reactivate"] == f"/admin/accounts/{professional.pk}/reactivate/{back}"
    response = administrator_client.post(links["Reactivate"])
    assert response.status_code == 302 and response.url == edit_url
    professional.refresh_from_db()
    assert professional.account_state == AccountState.ACTIVE


def test_a_role_that_may_not_change_accounts_gets_no_edit_page_nor_its_actions(caseworker_client, professional):
    # Refused as a made-up id is, so the answer does not tell which accounts exist.
    assert caseworker_client.get(f"/admin/team_accounts/edit/{professional.pk}/").status_code == 404
    index = caseworker_client.get("/admin/team_accounts/")
    assert index.status_code == 200
    assert "reset-two-factor" not in index.content.decode()


def test_an_entry_written_with_no_request_says_its_ip_address_was_not_recorded(administrator_client, professional):
    """The entry's page said "IP address None" (and "Who None") for one written by a scheduled task or a command."""
    entry = audit_record(action=AccountEvent.DORMANT, target=professional)
    assert entry.ip_address is None

    text = _text(administrator_client.get(f"/admin/audit_log/inspect/{entry.pk}/"))

    assert "IP address Not recorded" in text and "Who The portal" in text and "None" not in text
    listed = BeautifulSoup(administrator_client.get("/admin/audit_log/").content, "html.parser")
    row = [cell.get_text(" ", strip=True) for cell in listed.select("tbody tr")[0].select("td")]
    assert "The portal" in row and "Not recorded" in row  # the list says so too: it left both cells empty
    AuditEntry.objects.filter(pk=entry.pk).update(ip_address="192.0.2.7")
    assert "IP address 192.0.2.7" in _text(administrator_client.get(f"/admin/audit_log/inspect/{entry.pk}/"))


def test_the_audit_log_downloads_say_an_ip_address_was_not_recorded_as_the_entry_page_does(
    administrator_client, professional
):
    """The CSV and Excel downloads left the IP address cell empty where the entry's page says "Not recorded"."""
    audit_record(action=AccountEvent.DORMANT, target=professional)
    AuditEntry.objects.filter(pk=audit_record(action=AccountEvent.DORMANT, target=professional).pk).update(
        ip_address="192.0.2.7"
    )

    csv = csv_rows(administrator_client.get("/admin/audit_log/", {"export": "csv"}))
    response = administrator_client.get("/admin/audit_log/", {"export": "xlsx"})
    heading, *rows = load_workbook(BytesIO(b"".join(response.streaming_content))).active.values
    excel = [dict(zip(heading, row, strict=True)) for row in rows]

    for download in (csv, excel):
        assert sorted(row["IP address"] for row in download) == ["192.0.2.7", "Not recorded"]
