"""Account administration in the Wagtail admin: invitations, device resets, the audit log, the roles."""

import io
import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import load_workbook
from wagtail import hooks

from cms.models import AUDIT_EVENTS_HOOK, AuditEntry
from cms.services import audit_record
from portal_pages.events import AccountEvent
from portal_pages.models import AccountState, Organisation, User
from portal_pages.services.devices import device_audit
from tests.csv_downloads import csv_rows
from tests.factories.accounts import OrganisationFactory, StaffUserFactory, TOTPDeviceFactory, verified_login
from tests.factories.advice_forms import ChildRecordFactory, advice_request, need_type, pdf_bytes, team
from tests.otp import current_code, enrol, sign_in_with_password
from tests.portal_pages.conftest import link_in_last_email
from tests.refusals import refused_by_wagtail

# Each request commits when it ends, as on a server, and sends what it put in the outbox (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("requests_commit")


def _verified_staff_client(client, group_name):
    staff = StaffUserFactory()
    staff.groups.add(Group.objects.get(name=group_name))
    TOTPDeviceFactory(user=staff)
    verified_login(client, staff)
    return staff


def test_the_role_groups_exist_with_their_permissions(db):
    perms = {
        group.name: {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        for group in Group.objects.all()
    }
    assert "wagtailadmin.access_admin" in perms["SEND caseworker"]
    assert "portal_pages.add_user" in perms["SEND caseworker"]
    assert "portal_pages.change_user" not in perms["SEND caseworker"]
    assert {"portal_pages.change_user", "portal_pages.add_organisation", "cms.view_auditentry"} <= perms[
        "Portal administrator"
    ]
    assert "wagtailadmin.access_admin" in perms["Form designer"]
    page_permissions = {
        name: set(Group.objects.get(name=name).page_permissions.values_list("permission__codename", flat=True))
        for name in ("Content editor", "Guidance approvers")
    }
    # Editors submit guidance for approval; approvers publish it.
    assert page_permissions == {
        "Content editor": {"add_page", "change_page"},
        "Guidance approvers": {"add_page", "change_page", "publish_page"},
    }


def test_invitation_set_password_enrol_dashboard(client, organisation):
    admin_client = client.__class__()
    staff = _verified_staff_client(admin_client, "SEND caseworker")
    response = admin_client.post(
        "/admin/team_accounts/new/",
        {
            "organisation": organisation.pk,
            "email": "eps@oakfield-primary.example.org",
            "display_name": "Oakfield Educational Psychology",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(email="eps@oakfield-primary.example.org")
    assert user.account_state == AccountState.INVITED and not user.has_usable_password()
    assert AuditEntry.objects.get(action="account.invited").actor == staff
    email = mail.outbox[-1]
    assert email.to == [user.email] and "7 days" in email.body
    assert "temporary password" not in email.body.lower() and "password is" not in email.body.lower()

    link = link_in_last_email("/portal/invitation/")
    response = client.post(link, {"new_password": "kettle marmalade lighthouse"})
    assert response.url == "/portal/two-factor/set-up/"
    assert client.post(link, {"new_password": "another long password"}).status_code == 400  # single use
    url, device = enrol(client)
    client.post(url, {"name": "Office phone", "code": current_code(device)})
    assert client.get("/portal/").status_code == 200
    user.refresh_from_db()
    assert user.account_state == AccountState.ACTIVE and user.check_password("kettle marmalade lighthouse")


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("someone@gmail.com", "Use the organisation&#x27;s generic work address, not a personal one"),
        (
            "senco@elsewhere.example.org",
            "The address must end with @oakfield-primary.example.org. If this organisation also uses another email "
            "address ending, add it to the organisation first (Accounts, then Organisations, then Oakfield Primary "
            "School)",
        ),
    ],
)
def test_an_invitation_must_use_the_organisations_domain(administrator_client, organisation, email, message):
    response = administrator_client.post(
        "/admin/team_accounts/new/", {"organisation": organisation.pk, "email": email, "display_name": "X"}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(email=email).exists()


def test_an_organisation_without_address_endings_takes_no_invitation_until_the_administrator_adds_one(
    administrator_client,
):
    school = OrganisationFactory(name="Heronsgate Academy", email_domains="")
    response = administrator_client.post(
        "/admin/team_accounts/new/",
        {"organisation": school.pk, "email": "office@heronsgate.example.org", "display_name": "X"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="office@heronsgate.example.org").exists()
    page = BeautifulSoup(response.content, "html.parser")
    beside_organisation = page.find(id="id_organisation").find_parent(attrs={"data-field-wrapper": True})
    assert (
        "Heronsgate Academy has no email address endings yet. Add its email address ending (Accounts, then "
        "Organisations, then Heronsgate Academy) before inviting someone to it"
    ) in beside_organisation.get_text(" ", strip=True)
    assert "must end with @" not in page.get_text()


def _invitation_refused_text(client, organisation, email):
    response = client.post(
        "/admin/team_accounts/new/", {"organisation": organisation.pk, "email": email, "display_name": "X"}
    )
    assert response.status_code == 200 and not User.objects.filter(email=email).exists()
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


def test_a_caseworker_is_told_to_ask_a_portal_administrator_for_an_address_ending(caseworker_client, organisation):
    school = OrganisationFactory(name="Heronsgate Academy", email_domains="")

    no_endings = _invitation_refused_text(caseworker_client, school, "a@heronsgate.example.org")
    another_ending = _invitation_refused_text(caseworker_client, organisation, "a@elsewhere.example.org")

    assert "Ask a portal administrator to add its email address ending (Accounts, then Organisations" in no_endings
    assert "another email address ending, ask a portal administrator to add it first" in another_ending


def test_admin_reset_of_devices_forces_enrolment_at_next_sign_in(client, professional):
    admin_client = client.__class__()
    administrator = _verified_staff_client(admin_client, "Portal administrator")
    StaticDevice.objects.create(user=professional, name="Backup codes")

    url = f"/admin/accounts/{professional.pk}/reset-two-factor/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url)
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=professional).exists()
    assert not StaticDevice.objects.filter(user=professional).exists()
    entry = AuditEntry.objects.get(action="account.devices_reset")
    assert entry.actor == administrator and entry.data == {"devices_removed": 1}
    assert mail.outbox[-1].to == [professional.email]

    sign_in_with_password(client, professional.email)
    assert client.get("/portal/sign-in/code/").url == "/portal/two-factor/set-up/"
    assert client.get("/portal/").url.startswith("/portal/two-factor/set-up/")


def test_a_caseworker_cannot_reset_devices(client, professional):
    _verified_staff_client(client, "SEND caseworker")
    response = client.post(f"/admin/accounts/{professional.pk}/reset-two-factor/")
    assert refused_by_wagtail(response)
    assert TOTPDevice.objects.filter(user=professional).exists()


def test_an_administrator_cannot_reset_a_superuser(client, superuser):
    _verified_staff_client(client, "Portal administrator")
    response = client.post(f"/admin/accounts/{superuser.pk}/reset-two-factor/")
    assert response.status_code == 404  # only superusers touch staff accounts; any other id is a 404
    assert TOTPDevice.objects.filter(user=superuser).exists()


def test_the_audit_log_is_viewable_and_filterable_but_read_only(client, professional):
    staff = _verified_staff_client(client, "Portal administrator")
    device = professional.totpdevice_set.get()
    device_audit(action=AccountEvent.SIGNED_IN, user=professional, device=device)
    audit_record(action="account.device_removed", actor=staff, target=professional)

    response = client.get("/admin/audit_log/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "account.signed_in" in html and "account.device_removed" in html

    html = client.get("/admin/audit_log/", {"action": "account.signed_in"}).content.decode()
    assert "account.device_removed" not in html.split("<tbody")[-1]
    html = client.get("/admin/audit_log/", {"actor": staff.email[:8]}).content.decode()
    assert "account.signed_in" not in html.split("<tbody")[-1]

    entry = AuditEntry.objects.filter(action="account.signed_in").get()
    inspected = client.get(f"/admin/audit_log/inspect/{entry.pk}/")
    assert inspected.status_code == 200
    # The device is named by its kind and id, in words: never the name its owner typed.
    text = BeautifulSoup(inspected.content, "html.parser").get_text(" ", strip=True)
    assert f"Device kind: Authenticator app Device id: {device.persistent_id}" in text
    assert device.name not in text and "{" not in text
    assert refused_by_wagtail(client.get("/admin/audit_log/new/"))
    # Refused as for a made-up id, so the answer does not tell which entries exist.
    assert client.post(f"/admin/audit_log/delete/{entry.pk}/").status_code == 404
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_audit_logs_who_filter_finds_a_person_by_the_name_it_shows(client, professional):
    """The Who column said "Casey Worker", and typing "Casey" in "Who (email contains)" found nothing."""
    _verified_staff_client(client, "Portal administrator")
    casey = StaffUserFactory(
        first_name="Casey", last_name="Worker", display_name="", email="c.worker@kestrelford.example.org"
    )
    audit_record(action="account.signed_in", actor=casey, target=casey)
    audit_record(action="account.signed_in", actor=professional, target=professional)

    def who(typed):
        html = client.get("/admin/audit_log/", {"actor": typed}).content.decode()
        rows = BeautifulSoup(html, "html.parser").select("tbody tr")
        return {name for name in (casey.person_name, str(professional)) if any(name in row.get_text() for row in rows)}

    page = BeautifulSoup(client.get("/admin/audit_log/").content, "html.parser")
    assert page.find("label", attrs={"for": "id_actor"}).get_text(strip=True) == "Who (name or email)"
    assert who("Casey") == who("worker") == who(" Casey Worker ") == who("c.worker@") == {"Casey Worker"}
    assert who(professional.display_name) == {str(professional)}
    assert who("Casey Smith") == set()
    with CaptureQueriesContext(connection) as few:
        who("example")
    for account in StaffUserFactory.create_batch(30, first_name="Casey"):
        audit_record(action="account.signed_in", actor=account, target=account)
    with CaptureQueriesContext(connection) as many:
        who("Casey")
    assert len(many) == len(few)  # the names are matched in the entries' query, not read an entry at a time


@pytest.mark.parametrize("group_name", ["SEND caseworker", "Form designer", "Content editor"])
def test_other_roles_do_not_see_the_audit_log(client, group_name):
    _verified_staff_client(client, group_name)
    assert refused_by_wagtail(client.get("/admin/audit_log/"))


def test_the_accounts_admin_pages_list_organisations_team_accounts_and_offer_resets(
    verified_admin_client, professional
):
    OrganisationFactory(name="Old Mill Infant School", is_active=False)
    page = BeautifulSoup(verified_admin_client.get("/admin/organisation/").content, "html.parser")
    rows = [[cell.get_text(" ", strip=True) for cell in row(["td", "th"])] for row in page.select("tbody tr")]
    active = {name.removesuffix(" Edit Delete"): last for name, *_, last in rows}
    assert active == {"Oakfield Primary School": "Yes", "Old Mill Infant School": "No"}, rows
    response = verified_admin_client.get("/admin/team_accounts/")
    html = response.content.decode()
    assert response.status_code == 200 and professional.email in html
    assert f"/admin/accounts/{professional.pk}/reset-two-factor/" in html
    # Wagtail's user list is of staff accounts only (tests/portal_pages/test_admin_staff_users.py).
    html = verified_admin_client.get("/admin/users/").content.decode()
    assert professional.email not in html


def test_an_expired_invitation_link_is_refused(client, organisation, superuser, django_capture_on_commit_callbacks):
    import time_machine
    from django.utils import timezone

    from portal_pages.services import accounts as account_services

    with time_machine.travel(timezone.now(), tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):
            account_services.account_invite(
                user=User(
                    email="team@oakfield-primary.example.org", display_name="Oakfield team", organisation=organisation
                ),
                invited_by=superuser,
            )
        link = link_in_last_email("/portal/invitation/")
        traveller.shift(7 * 86400 + 1)
        response = client.post(link, {"new_password": "kettle marmalade lighthouse"})
    assert response.status_code == 400
    assert not User.objects.get(email="team@oakfield-primary.example.org").has_usable_password()


# The audit log names a child only by an opaque reference, so its readers (portal administrators) never see a name


def _casework_entries(professional):
    """Real services write entries on a child record and on each thing whose str() may carry the child's name."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from advice_forms.services import documents as document_services
    from advice_forms.services import involvement as involvement_services
    from advice_forms.services import outcomes as outcome_services
    from advice_forms.services.requests import child_record_view_record

    child = ChildRecordFactory(first_name="Ariadne", last_name="Quillfeather")
    ar = advice_request(professional, child=child)
    audit_record(action="account.signed_in", actor=professional, target=professional)
    child_record_view_record(advice_request=ar, actor=professional)
    audit_record(action="advice_request.shared", actor=professional, target=ar)
    document_services.document_upload(
        advice_request=ar,
        account=professional,
        uploaded=SimpleUploadedFile("report.pdf", pdf_bytes(), content_type="application/pdf"),
        title="Quillfeather speech report",
        document_type="",
    )
    outcome_services.outcome_create(
        advice_request=ar, account=professional, team=team(), need_type=need_type(), outcome="Ariadne will ask."
    )
    involvement_services.contact_create(
        advice_request=ar, account=professional, data={"name": "Quillfeather family", "role": "Aunt", "team": team()}
    )
    return child, ar


def test_audit_entries_store_nothing_that_names_the_child(professional):
    child, _ = _casework_entries(professional)

    rows = list(AuditEntry.objects.values())
    assert {row["action"] for row in rows} >= {"child_record.viewed", "document.uploaded", "outcome.added"}
    for row in rows:
        stored = " ".join(str(value) for value in row.values())
        assert "Quillfeather" not in stored and "Ariadne" not in stored, row
    entry = AuditEntry.objects.get(action="child_record.viewed")
    assert entry.target_reference == f"Child record {child.pk}"


def test_the_portal_administrators_audit_log_names_a_child_only_by_record_id(client, professional):
    _verified_staff_client(client, "Portal administrator")
    child, ar = _casework_entries(professional)
    # A caseworker's reason is free text about casework: kept for those who see casework, not shown here.
    audit_record(action="advice_request.returned", target=ar, reason="Ariadne's speech report is missing")

    html = client.get("/admin/audit_log/").content.decode()
    assert "child_record.viewed" in html and "outcome.added" in html
    assert "Quillfeather" not in html and "Ariadne" not in html
    assert f"Child record {child.pk}" in html and f"Advice request {ar.pk}" in html
    assert professional.email in html  # an account is named by its work address

    def found(query):
        html = client.get("/admin/audit_log/", {"q": query}).content.decode()
        return {int(pk) for pk in re.findall(r"/admin/audit_log/inspect/(\d+)/", html)}

    assert found("Quillfeather") == set() and found("Ariadne") == set()
    assert found("child_record") == {AuditEntry.objects.get(action="child_record.viewed").pk}

    for entry in AuditEntry.objects.all():
        page = client.get(f"/admin/audit_log/inspect/{entry.pk}/").content.decode()
        assert "Quillfeather" not in page and "Ariadne" not in page


def _exported(client, **params):
    response = client.get("/admin/audit_log/", {**params, "export": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return csv_rows(response)


def test_the_audit_log_downloads_with_what_the_list_shows_and_no_childs_name(client, professional):
    """The CSV had one empty line per entry. An ICT administrator gets the list's columns, each event in words, and a
    reason only where the entry's page shows it to them: never a caseworker's reason, nor a child's name."""
    staff = _verified_staff_client(client, "Portal administrator")
    child, ar = _casework_entries(professional)
    audit_record(action="advice_request.returned", target=ar, reason="Ariadne's speech report is missing")
    entry = audit_record(
        action=AccountEvent.DORMANT,
        actor=staff,
        target=professional,
        from_state=AccountState.ACTIVE,
        to_state=AccountState.DORMANT,
        reason="Not signed in for 18 months",
    )
    AuditEntry.objects.filter(pk=entry.pk).update(ip_address="203.0.113.7")

    rows = _exported(client)

    assert len(rows) == AuditEntry.objects.count()
    assert list(rows[0]) == [
        "When",
        "What happened",
        "Event",
        "Who",
        "Target",
        "From state",
        "To state",
        "Reason",
        "IP address",
    ]
    dormant = rows[0]
    entry.refresh_from_db()
    assert dormant["When"] == timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S")
    assert dormant["What happened"] == "Marked dormant" and dormant["Event"] == "account.dormant"
    assert dormant["Who"] == staff.person_name and dormant["Target"] == professional.email
    assert (dormant["From state"], dormant["To state"]) == (
        entry.get_from_state_display(),
        entry.get_to_state_display(),
    )
    assert dormant["Reason"] == "Not signed in for 18 months" and dormant["IP address"] == "203.0.113.7"
    returned = next(row for row in rows if row["Event"] == "advice_request.returned")
    assert returned["Target"] == f"Advice request {ar.pk}" and returned["Reason"] == ""
    assert f"Child record {child.pk}" in {row["Target"] for row in rows}
    assert not [row for row in rows if "Ariadne" in str(row) or "Quillfeather" in str(row)]
    # The download is of the list as filtered.
    assert [row["Event"] for row in _exported(client, action="account.dormant")] == ["account.dormant"]


def test_the_audit_log_download_says_who_as_the_list_does(client, professional):
    """Where the list says "The portal" (an entry written by a scheduled task or a command), the download's Who cell
    was empty."""
    staff = _verified_staff_client(client, "Portal administrator")
    audit_record(action=AccountEvent.DORMANT, target=professional)
    audit_record(action=AccountEvent.REACTIVATED, actor=staff, target=professional)

    listed = BeautifulSoup(client.get("/admin/audit_log/").content, "html.parser")
    who = [th.get_text(" ", strip=True) for th in listed.select("thead th")].index("Who")
    shown = [row.select("td")[who].get_text(" ", strip=True) for row in listed.select("tbody tr")]
    downloaded = [row["Who"] for row in _exported(client)]

    assert downloaded == shown
    assert set(downloaded) == {"The portal", staff.person_name}


def test_a_superuser_downloads_the_audit_log_with_casework_reasons(verified_admin_client, professional):
    ar = advice_request(professional)
    audit_record(action="advice_request.returned", target=ar, reason="The speech report is missing")

    rows = _exported(verified_admin_client, action="advice_request.returned")

    assert [row["Reason"] for row in rows] == ["The speech report is missing"]
    xlsx = verified_admin_client.get("/admin/audit_log/", {"action": "advice_request.returned", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert [cell.value for cell in sheet[2]][1:] == [
        "Advice returned for more information",
        "advice_request.returned",
        "The portal",
        f"Advice request {ar.pk}",
        None,
        None,
        "The speech report is missing",
        "Not recorded",  # the IP address, as the list and the entry's page say
    ]


def test_the_superusers_dashboard_asks_no_outside_host_for_wagtails_releases(verified_admin_client, home_page):
    """Wagtail's update check fetched releases.wagtail.org from the superuser's dashboard: our CSP blocked it, with
    three console errors on every load."""
    html = verified_admin_client.get("/admin/").content.decode()

    assert "Dashboard" in html
    assert 'data-controller="w-upgrade' not in html


def test_an_empty_invitation_says_what_each_field_needs_and_offers_a_plain_empty_choice(verified_admin_client):
    """Sent empty, the form said "This field is required." three times; its list of organisations began "---------"."""
    page = BeautifulSoup(verified_admin_client.get("/admin/team_accounts/new/").content, "html.parser")
    assert page.select_one("select#id_organisation option").get_text(strip=True) == "Select an organisation"

    response = verified_admin_client.post(
        "/admin/team_accounts/new/", {"organisation": "", "email": "", "display_name": ""}
    )
    assert response.status_code == 200
    assert {name: list(errors) for name, errors in response.context["form"].errors.items()} == {
        "organisation": ["Select the organisation"],
        "email": ["Enter the email address"],
        "display_name": ["Enter the name"],
    }
    html = response.content.decode()
    assert "This field is required" not in html and "---------" not in html
    # The organisation is required here: the model's hint, "empty for council staff", is not this form's.
    assert "empty for council staff" not in html
    assert "The school, setting or service this team account belongs to." in html


def test_an_accounts_edit_page_keeps_its_organisation_and_says_so_in_words(administrator_client, professional):
    """The edit page's list began "---------" and could be sent empty, leaving a team account with no organisation."""
    url = f"/admin/team_accounts/edit/{professional.pk}/"
    page = BeautifulSoup(administrator_client.get(url).content, "html.parser")
    assert page.select_one("select#id_organisation option").get_text(strip=True) == "Select an organisation"

    response = administrator_client.post(url, {"display_name": "Renamed", "organisation": "", "is_active": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"organisation": ["Select the organisation"]}
    assert "---------" not in response.content.decode()
    professional.refresh_from_db()
    assert professional.organisation is not None and professional.display_name != "Renamed"


def test_a_new_organisation_sent_without_its_kind_says_to_select_one(verified_admin_client):
    page = BeautifulSoup(verified_admin_client.get("/admin/organisation/new/").content, "html.parser")
    assert page.select_one("select#id_kind option").get_text(strip=True) == "Select the kind of organisation"

    response = verified_admin_client.post("/admin/organisation/new/", {"name": "Heron Lane Nursery", "kind": ""})
    assert response.status_code == 200
    assert response.context["form"].errors == {"kind": ["Select the kind of organisation"]}
    assert not Organisation.objects.filter(name="Heron Lane Nursery").exists()


def test_the_audit_log_works_out_its_events_words_once_a_page_not_once_a_row(client, professional):
    """The list reads each event's words from the view's one copy: asking every app for its list of events again
    for each row (the Event column and each entry's name) cost two rounds of hooks an entry."""
    _verified_staff_client(client, "Portal administrator")
    asked = []

    def counted_events():
        asked.append(1)
        return "Accounts", AccountEvent

    def rounds_for_a_page():
        asked.clear()
        with hooks.register_temporarily(AUDIT_EVENTS_HOOK, counted_events):
            html = client.get("/admin/audit_log/").content.decode()
        assert "Signed in" in html.split("<tbody")[-1]
        return len(asked)

    for _ in range(2):
        audit_record(action="account.signed_in", actor=professional, target=professional)
    two_entries = rounds_for_a_page()
    for _ in range(18):
        audit_record(action="account.signed_in", actor=professional, target=professional)
    assert rounds_for_a_page() == two_entries
