"""Requests to join: registering for an unlisted organisation (or a listed one without its email domain) waits for a
portal administrator, who approves (making or linking the organisation and its domain) or refuses with a reason;
the person is emailed either way. Only portal administrators (and superusers) reach the queue."""

import re

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms.models import AuditEntry, EmailNotification, PortalSettings
from portal_pages.models import AccountState, JoinRequest, JoinRequestState, Organisation, OrganisationKind, User
from portal_pages.roles import APPROVE_JOINING
from portal_pages.services.joining import join_request_approve, join_request_notify, join_request_refuse
from tests.factories.accounts import OrganisationFactory, SuperuserFactory, staff_in_group, verified_login
from tests.portal_pages.conftest import link_in_last_email

pytestmark = pytest.mark.django_db

UNLISTED = {
    "organisation": "Kestrelford Speech and Language Service",
    "organisation_kind": "speech_and_language",
    "organisation_address": "Unit 4, Riverside Clinic\nKestrelford KF9 9ZZ",
    "email": "slt.team@kestrelford-slt.example.org",
    "display_name": "Kestrelford SLT team",
    "password": "kettle marmalade lighthouse",
}


def register_and_confirm(client, django_capture_on_commit_callbacks, want_page=False, **changes):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/portal/register/", {**UNLISTED, **changes})
    assert response.status_code == 302, response.content.decode()[:2000]
    done = client.get(response.url).content.decode()
    assert "a portal administrator checks it and approves your account" in done
    verify = link_in_last_email("/portal/verify/")
    page = client.post(verify).content.decode()
    assert "Your account is awaiting approval" in page
    return page if want_page else User.objects.get(email=(changes.get("email") or UNLISTED["email"]))


def register_for_listed_school(client, django_capture_on_commit_callbacks):
    """Register for Heronsgate Academy, listed without an email domain: a request to join that names it."""
    return register_and_confirm(
        client,
        django_capture_on_commit_callbacks,
        organisation="heronsgate academy",
        organisation_kind="",
        organisation_address="",
        email="senco@heronsgate.example.org",
    )


@pytest.fixture
def administrator_client(client, home_page):
    return verified_login(client, staff_in_group("Portal administrator"))


def test_an_unlisted_organisation_needs_its_kind_and_address_and_stores_nothing_without(client, home_page):
    response = client.post("/portal/register/", {**UNLISTED, "organisation_kind": "", "organisation_address": " "})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("Select what kind of organisation it is, or choose your organisation from the list") == 2
    assert html.count("Enter the address of your school, setting or service") == 2
    assert "Kestrelford Speech and Language Service" in html  # what was typed is kept
    assert not User.objects.exists() and not JoinRequest.objects.exists()


def test_asking_to_join_waits_for_approval_and_cannot_sign_in(client, home_page, django_capture_on_commit_callbacks):
    account = register_and_confirm(client, django_capture_on_commit_callbacks)
    join = account.join_request
    assert account.account_state == AccountState.AWAITING_APPROVAL and not account.is_active
    assert account.organisation is None and join.state == JoinRequestState.WAITING
    assert (join.organisation_name, join.kind, join.email_domain) == (
        "Kestrelford Speech and Language Service",
        OrganisationKind.SPEECH_AND_LANGUAGE,
        "kestrelford-slt.example.org",
    )
    signed_in = client.post("/portal/sign-in/", {"username": UNLISTED["email"], "password": UNLISTED["password"]})
    assert signed_in.status_code == 200  # refused: the sign-in page again


def test_approval_makes_the_organisation_with_its_domain_activates_and_emails(
    client, home_page, django_capture_on_commit_callbacks
):
    account = register_and_confirm(client, django_capture_on_commit_callbacks)
    admin = verified_login(client, staff_in_group("Portal administrator"))
    queue = admin.get(reverse("portal_join_requests")).content.decode()
    assert "Kestrelford Speech and Language Service" in queue and account.email in queue
    decide = reverse("portal_join_request_decide", args=[account.join_request.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(decide, {"decision": "approve"})

    assert response.status_code == 302 and response.url == f"{reverse('portal_join_requests')}?p=1#listing"
    account.refresh_from_db()
    organisation = Organisation.objects.get(name="Kestrelford Speech and Language Service")
    assert organisation.domains == ["kestrelford-slt.example.org"] and organisation.kind == "speech_and_language"
    assert account.organisation == organisation and account.account_state == AccountState.ACTIVE and account.is_active
    assert mail.outbox[-1].to == [account.email] and "approved" in mail.outbox[-1].subject
    assert AuditEntry.objects.filter(action="account.join_approved", to_state="active").exists()
    assert account.join_request not in admin.get(reverse("portal_join_requests")).context["items"]  # left the queue


def test_a_listed_school_without_a_domain_is_linked_on_approval(client, home_page, django_capture_on_commit_callbacks):
    school = OrganisationFactory(name="Heronsgate Academy", email_domains="", urn=990002)
    account = register_for_listed_school(client, django_capture_on_commit_callbacks)
    assert account.join_request.organisation == school
    admin = verified_login(client, staff_in_group("Portal administrator"))
    admin.post(reverse("portal_join_request_decide", args=[account.join_request.pk]), {"decision": "approve"})
    school.refresh_from_db()
    account.refresh_from_db()
    assert school.domains == ["heronsgate.example.org"] and account.organisation == school
    assert Organisation.objects.count() == 1


def test_refusal_needs_a_reason_and_emails_it(client, home_page, django_capture_on_commit_callbacks):
    account = register_and_confirm(client, django_capture_on_commit_callbacks)
    admin = verified_login(client, staff_in_group("Portal administrator"))
    decide = reverse("portal_join_request_decide", args=[account.join_request.pk])

    missing = admin.post(decide, {"decision": "refuse", "reason": "  "}).content.decode()
    assert "Enter why the request is refused: the person is told" in missing
    assert JoinRequest.objects.get().state == JoinRequestState.WAITING
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(decide, {"decision": "refuse", "reason": "We could not find this service. Ask your manager."})

    account.refresh_from_db()
    assert account.account_state == AccountState.REFUSED and not account.is_active
    assert not Organisation.objects.exists()
    assert "We could not find this service" in mail.outbox[-1].body and mail.outbox[-1].to == [account.email]
    # The words stay on the request to join; the audit log records who, when and the states, never the words.
    join = JoinRequest.objects.get()
    assert join.reason == "We could not find this service. Ask your manager."
    entry = AuditEntry.objects.get(action="account.join_refused")
    assert (entry.reason, entry.from_state, entry.to_state) == ("", "awaiting_approval", "refused")
    assert entry.data == {"join_request": join.pk} and entry.actor.groups.filter(name="Portal administrator").exists()

    # Registering the address again: the same page as for anyone, and an email that says why it cannot, not a
    # sign-in link and a password reset that would not let them in.
    client.post("/portal/sign-out/")
    outbox = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post("/portal/register/", UNLISTED)
    assert again.status_code == 302
    [email] = mail.outbox[outbox:]
    assert "did not approve this address's earlier request to join" in email.body
    assert "/portal/sign-in" not in email.body and "reset" not in email.body
    assert User.objects.filter(email=account.email).count() == 1


@pytest.mark.parametrize("role", ["SEND caseworker", "Content editor", "Form designer"])
def test_only_portal_administrators_reach_the_queue(client, home_page, django_capture_on_commit_callbacks, role):
    account = register_and_confirm(client, django_capture_on_commit_callbacks)
    other = verified_login(client, staff_in_group(role))
    decide = reverse("portal_join_request_decide", args=[account.join_request.pk])
    assert other.get(reverse("portal_join_requests")).status_code in (302, 403)
    assert other.get(decide).status_code in (302, 403)
    assert other.post(decide, {"decision": "approve"}).status_code in (302, 403)
    account.refresh_from_db()
    assert account.account_state == AccountState.AWAITING_APPROVAL
    assert "Requests to join" not in other.get("/admin/").content.decode()


@pytest.mark.parametrize(
    "decide",
    [
        lambda join, by: join_request_approve(join=join, by=by),
        lambda join, by: join_request_refuse(join=join, by=by, reason="Not a service we work with."),
    ],
    ids=["approve", "refuse"],
)
def test_a_request_already_decided_is_not_decided_again(client, home_page, django_capture_on_commit_callbacks, decide):
    """A second decision from a page read before the first (a double click, or another administrator) is refused and
    writes nothing: the first one stands."""
    account = register_and_confirm(client, django_capture_on_commit_callbacks)
    stale = account.join_request
    first = staff_in_group("Portal administrator")
    join_request_refuse(join=stale, by=first, reason="We could not find this service.")
    entries, emails = AuditEntry.objects.count(), EmailNotification.objects.count()

    with pytest.raises(ValidationError, match="This request to join has already been decided"):
        decide(stale, staff_in_group("Portal administrator"))

    join = JoinRequest.objects.get()
    assert (join.state, join.decided_by, join.reason) == (
        JoinRequestState.REFUSED,
        first,
        "We could not find this service.",
    )
    account.refresh_from_db()
    assert account.account_state == AccountState.REFUSED and account.organisation is None
    assert not Organisation.objects.exists()
    assert (AuditEntry.objects.count(), EmailNotification.objects.count()) == (entries, emails)


@pytest.mark.parametrize(
    "post",
    [{"decision": "approve"}, {"decision": "refuse", "reason": "Not a service we work with."}],
    ids=lambda p: p["decision"],
)
def test_a_decision_posted_as_another_administrator_decides_says_so_on_the_page(
    client, home_page, django_capture_on_commit_callbacks, monkeypatch, post
):
    """Two administrators post at the same moment: the view has read the request as waiting, the other decision
    lands before its own locks the row. The second is told so beside the form, not shown an error page."""
    import portal_pages.admin_views as admin_views

    account = register_and_confirm(client, django_capture_on_commit_callbacks)
    admin = verified_login(client, staff_in_group("Portal administrator"))
    read_as_waiting = admin_views._join_request

    def other_decides_meanwhile(request, join_id):
        join = read_as_waiting(request, join_id)
        join_request_refuse(join=join, by=staff_in_group("Portal administrator"), reason="We could not find it.")
        return join

    monkeypatch.setattr(admin_views, "_join_request", other_decides_meanwhile)

    response = admin.post(reverse("portal_join_request_decide", args=[account.join_request.pk]), post)

    assert response.status_code == 200
    assert "This request to join has already been decided" in response.content.decode()
    assert JoinRequest.objects.get().reason == "We could not find it."


def test_an_account_waiting_to_join_is_decided_in_requests_to_join_not_on_its_edit_page(
    client, home_page, django_capture_on_commit_callbacks
):
    """The edit page offered Organisation and Active: saved, the list named the new organisation while the request to
    join still named another, and the Decide page did not say so."""
    account = register_and_confirm(client, django_capture_on_commit_callbacks)
    elsewhere = OrganisationFactory(name="Heron Lane Nursery")
    admin = verified_login(client, staff_in_group("Portal administrator"))
    url = f"/admin/team_accounts/edit/{account.pk}/"

    html = admin.get(url).content.decode()
    assert 'name="organisation"' not in html and 'name="is_active"' not in html
    assert "waiting for a decision on its request to join Kestrelford Speech and Language Service" in html
    assert reverse("portal_join_request_decide", args=[account.join_request.pk]) in html
    assert "empty for council staff" not in html

    response = admin.post(url, {"display_name": "Renamed", "organisation": elsewhere.pk, "is_active": "on"})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.display_name == "Renamed"  # the name may still be changed
    assert account.organisation is None and not account.is_active
    assert account.account_state == AccountState.AWAITING_APPROVAL


def test_an_account_in_an_organisation_is_told_truly_what_the_organisation_is(administrator_client, home_page):
    """The help said "empty for council staff", though a team account needs an organisation."""
    account = User.objects.create_user(
        email="office@heron-lane.example.org", password=None, organisation=OrganisationFactory()
    )
    html = administrator_client.get(f"/admin/team_accounts/edit/{account.pk}/").content.decode()
    assert 'name="organisation"' in html and 'name="is_active"' in html
    assert "empty for council staff" not in html
    assert "The school, setting or service this team account belongs to." in html
    assert "waiting for a decision" not in html


def test_an_account_waiting_for_approval_is_told_so_with_its_password_only(
    client, home_page, django_capture_on_commit_callbacks
):
    """With the right password it was told its email address or password was not right."""
    register_and_confirm(client, django_capture_on_commit_callbacks)

    right = client.post("/portal/sign-in/", {"username": UNLISTED["email"], "password": UNLISTED["password"]})

    html = right.content.decode()
    assert right.status_code == 200 and "not right" not in html
    assert "Your request to join the portal is waiting for a portal administrator at Testshire" in html
    assert "We will email you when it is approved" in html and "send@testshire.example.org" in html
    wrong = client.post("/portal/sign-in/", {"username": UNLISTED["email"], "password": "not the password at all"})
    html = wrong.content.decode()
    assert "waiting" not in html and "The email address or password is not right" in html


def test_portal_administrators_are_emailed_once_when_a_request_to_join_waits(
    client, home_page, django_capture_on_commit_callbacks
):
    """Nobody was told: the request waited until an administrator happened to open Requests to join."""
    administrators = [staff_in_group("Portal administrator"), staff_in_group("Portal administrator")]
    staff_in_group("Portal administrator", is_active=False)
    staff_in_group("SEND caseworker")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/portal/register/", UNLISTED)
    assert not EmailNotification.objects.filter(subject__contains="request to join").exists()  # not confirmed yet

    with django_capture_on_commit_callbacks(execute=True):
        client.post(link_in_last_email("/portal/verify/"))

    notices = EmailNotification.objects.filter(subject__contains="request to join")
    assert sorted(notices.values_list("to", flat=True)) == sorted(admin.email for admin in administrators)
    for notice in notices:
        assert "http://" in notice.body and reverse("portal_join_requests") in notice.body
        assert UNLISTED["email"] not in notice.body and UNLISTED["display_name"] not in notice.body
        assert UNLISTED["organisation"] not in notice.body + notice.subject
    join_request_notify(join=JoinRequest.objects.get())  # a second run (a repeated task) sends nothing more
    assert notices.count() == 2


def test_the_admin_menu_and_dashboard_say_how_many_requests_wait_with_one_count(
    client, home_page, django_capture_on_commit_callbacks
):
    register_and_confirm(client, django_capture_on_commit_callbacks)
    register_and_confirm(client, django_capture_on_commit_callbacks, email="office@heron-lane.example.org")
    admin = verified_login(client, staff_in_group("Portal administrator"))

    with CaptureQueriesContext(connection) as queries:
        html = admin.get("/admin/").content.decode()

    assert "Requests to join (2)" in html
    page = BeautifulSoup(html, "html.parser")
    panel = page.select_one("#join-requests-waiting-content") or page.select_one("#join-requests-waiting")
    assert panel is not None, html
    link = page.find("a", string=re.compile("2 requests to join the portal are waiting"))
    assert link["href"] == reverse("portal_join_requests")
    assert link.find_parent("td", class_="title"), "a listing row, lined up with the heading as the other panels"
    counts = [q["sql"] for q in queries if "portal_pages_joinrequest" in q["sql"] and "COUNT" in q["sql"]]
    assert len(counts) == 1, counts


def test_the_dashboard_says_nothing_of_requests_to_join_when_none_wait(administrator_client):
    html = administrator_client.get("/admin/").content.decode()
    assert "Requests to join" in html and "Requests to join (" not in html and "join-requests-waiting" not in html


def test_a_school_chosen_from_the_list_is_not_offered_as_a_similar_name_to_itself(
    client, home_page, django_capture_on_commit_callbacks
):
    """The approve page listed the request's own school under "Organisations already listed with a similar name"."""
    OrganisationFactory(name="Heronsgate Academy", email_domains="", urn=990002)
    OrganisationFactory(name="HERONSGATE ACADÉMY TRUST", email_domains="heronsgate-trust.example.org")
    OrganisationFactory(name="Heronsgate Infants", email_domains="heronsgate-infants.example.org")
    account = register_for_listed_school(client, django_capture_on_commit_callbacks)
    admin = verified_login(client, staff_in_group("Portal administrator"))

    html = admin.get(reverse("portal_join_request_decide", args=[account.join_request.pk])).content.decode()

    # Whole names folded (cms.names), not a first word shared: Heronsgate Infants is another school.
    assert "Organisations already listed with a similar name: HERONSGATE ACADÉMY TRUST." in html
    assert "Heronsgate Academy (chosen from the list; this email address ending is not added to it yet)" in html


def _waiting_joins(number):
    accounts = User.objects.bulk_create(
        User(email=f"joiner{n}@newschool{n}.example.org", account_state=AccountState.AWAITING_APPROVAL, is_active=False)
        for n in range(number)
    )
    joins = JoinRequest.objects.bulk_create(
        JoinRequest(
            account=account,
            organisation_name=f"New School {n}",
            kind=OrganisationKind.SCHOOL,
            email_domain=f"newschool{n}.example.org",
        )
        for n, account in enumerate(accounts)
    )
    return [join.pk for join in joins]


def test_requests_to_join_are_paged_and_a_decision_returns_to_the_page_at_the_next(
    client, home_page, django_capture_on_commit_callbacks
):
    """A large council had 300 requests on one page, and a decision went back to its top."""
    pks = _waiting_joins(45)
    admin = verified_login(client, staff_in_group("Portal administrator"))
    url = reverse("portal_join_requests")

    second = admin.get(f"{url}?p=2").content.decode()
    beyond = admin.get(f"{url}?p=9").content.decode()
    decide = BeautifulSoup(second, "html.parser").select_one(f"#join-{pks[39]} a")["href"]  # page 2's last
    back = BeautifulSoup(admin.get(decide).content, "html.parser").find("a", string="Cancel")["href"]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(decide, {"decision": "refuse", "reason": "Not a school in Kestrelford"})

    assert [f"join-{pk}" for pk in pks[20:40]] == [
        tr["id"] for tr in BeautifulSoup(second, "html.parser").select("tbody tr")
    ]
    # the row a redirect lands on takes the focus, so a screen reader is moved there
    assert {tr.get("tabindex") for tr in BeautifulSoup(second, "html.parser").select("tbody tr")} == {"-1"}
    assert "Page 2 of 3" in second and "45 requests to join" in second and "Page 3 of 3" in beyond
    assert back == f"{url}?p=2#join-{pks[39]}"
    assert response.status_code == 302 and response.url == f"{url}?p=2#join-{pks[40]}"  # the next moved up


def test_requests_to_join_read_the_same_queries_for_a_page_whatever_their_number(client, home_page):
    admin = verified_login(client, staff_in_group("Portal administrator"))
    url = reverse("portal_join_requests")
    _waiting_joins(20)
    admin.get(url)
    with CaptureQueriesContext(connection) as one_page:
        admin.get(url)
    JoinRequest.objects.bulk_create(
        JoinRequest(
            account=account, organisation_name="Later School", kind=OrganisationKind.SCHOOL, email_domain="x.org"
        )
        for account in User.objects.bulk_create(
            User(email=f"later{n}@x.org", account_state=AccountState.AWAITING_APPROVAL, is_active=False)
            for n in range(280)
        )
    )
    with CaptureQueriesContext(connection) as many:
        admin.get(f"{url}?p=5")

    assert len(many) == len(one_page)


def approve_joining_permissions():
    return [
        Permission.objects.get(content_type__app_label=label, codename=codename)
        for label, codename in (name.split(".") for name in APPROVE_JOINING)
    ]


def waiting_notices():
    return EmailNotification.objects.filter(subject__contains="request to join")


def test_whoever_may_approve_requests_to_join_is_emailed_whatever_their_group_is_called(
    client, home_page, django_capture_on_commit_callbacks
):
    """The emails went to a group named "Portal administrator" while the queue is open to the permissions: a renamed
    role, or the permissions given directly, got no email; a superuser is emailed only when nobody else may decide."""
    renamed = staff_in_group("Joining approvers")
    Group.objects.get(name="Joining approvers").permissions.add(*approve_joining_permissions())
    direct = staff_in_group("SEND caseworker")
    direct.user_permissions.add(*approve_joining_permissions())
    SuperuserFactory()
    partly = staff_in_group("Organisation editors")
    partly.user_permissions.add(*approve_joining_permissions()[1:])

    register_and_confirm(client, django_capture_on_commit_callbacks)

    assert sorted(waiting_notices().values_list("to", flat=True)) == sorted([renamed.email, direct.email])


def test_superusers_are_emailed_when_nobody_else_may_approve_a_request_to_join(
    client, home_page, django_capture_on_commit_callbacks
):
    superuser = SuperuserFactory()
    SuperuserFactory(is_active=False)
    staff_in_group("SEND caseworker")

    page = register_and_confirm(client, django_capture_on_commit_callbacks, want_page=True)

    assert list(waiting_notices().values_list("to", flat=True)) == [superuser.email]
    assert "We have emailed the portal administrators" in page


def test_the_awaiting_approval_page_says_an_email_went_only_when_one_did(
    client, home_page, django_capture_on_commit_callbacks
):
    """With nobody to email, the page said "We have emailed the portal administrators" all the same."""
    page = register_and_confirm(client, django_capture_on_commit_callbacks, want_page=True)

    assert not waiting_notices().exists()
    assert "We have emailed" not in page and "Your request is in the list they check" in page
    assert "send@testshire.example.org" in page


def test_a_waiting_account_is_told_to_write_only_to_a_support_address_that_is_set(
    client, home_page, django_capture_on_commit_callbacks
):
    """Without a support address the sign-in said "If you have a question, email SEND portal <no-reply@...>"."""
    PortalSettings.objects.update(support_email="")
    page = register_and_confirm(client, django_capture_on_commit_callbacks, want_page=True)
    assert "If you have a question" not in page and "mailto:" not in page

    response = client.post("/portal/sign-in/", {"username": UNLISTED["email"], "password": UNLISTED["password"]})

    html = response.content.decode()
    assert "Your request to join the portal is waiting for a portal administrator at Testshire" in html
    assert "If you have a question" not in html and settings.DEFAULT_FROM_EMAIL not in html
    assert "no-reply" not in html.lower()


def test_a_decided_request_opens_read_only_saying_who_decided_what_and_when(
    client, home_page, django_capture_on_commit_callbacks
):
    account = register_and_confirm(client, django_capture_on_commit_callbacks)
    first = staff_in_group("Portal administrator", display_name="Ash Approver")
    join_request_approve(join=account.join_request, by=first)
    admin = verified_login(client, staff_in_group("Portal administrator"))

    response = admin.get(reverse("portal_join_request_decide", args=[account.join_request.pk]))

    assert response.status_code == 200
    page = " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())
    assert "This request to join has been decided: Approved by Ash Approver on " in page
    assert "Save the decision" not in page and 'name="decision"' not in response.content.decode()


def test_a_decision_posted_to_a_request_decided_in_another_tab_stores_nothing_and_keeps_the_typing(
    client, home_page, django_capture_on_commit_callbacks
):
    account = register_and_confirm(client, django_capture_on_commit_callbacks)
    decide = reverse("portal_join_request_decide", args=[account.join_request.pk])
    admin = verified_login(client, staff_in_group("Portal administrator"))
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(decide, {"decision": "approve"})
    entries, emails = AuditEntry.objects.count(), EmailNotification.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(decide, {"decision": "refuse", "reason": "We could not find this service anywhere."})

    assert response.status_code == 200
    page = " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())
    assert "This request to join had already been decided, so your decision was not saved." in page
    assert "We could not find this service anywhere." in page
    join = JoinRequest.objects.get()
    assert (join.state, join.reason) == (JoinRequestState.APPROVED, "")
    assert (AuditEntry.objects.count(), EmailNotification.objects.count()) == (entries, emails)


def test_a_request_whose_account_has_not_confirmed_its_address_is_a_404(
    client, home_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/portal/register/", UNLISTED)
    join = JoinRequest.objects.get()
    admin = verified_login(client, staff_in_group("Portal administrator"))
    assert admin.get(reverse("portal_join_request_decide", args=[join.pk])).status_code == 404
    assert admin.get(reverse("portal_join_request_decide", args=[join.pk + 100])).status_code == 404


def test_a_refused_account_signing_in_with_its_right_password_is_told_its_request_was_refused(
    client, home_page, django_capture_on_commit_callbacks
):
    account = register_and_confirm(client, django_capture_on_commit_callbacks)
    join_request_refuse(join=account.join_request, by=staff_in_group("Portal administrator"), reason="Not known.")

    right = client.post("/portal/sign-in/", {"username": UNLISTED["email"], "password": UNLISTED["password"]})
    wrong = client.post("/portal/sign-in/", {"username": UNLISTED["email"], "password": "not the password at all"})

    page = " ".join(BeautifulSoup(right.content, "html.parser").get_text().split())
    assert "Your request to join the portal was not approved, so this account cannot sign in." in page
    assert "contact the SEND service at Testshire" in page and "send@testshire.example.org" in page
    assert "or reset your password" not in page
    assert "was not approved" not in wrong.content.decode()  # the wrong password is told nothing of the account


def test_only_organisations_named_alike_as_whole_names_are_offered_as_similar(
    client, home_page, django_capture_on_commit_callbacks
):
    """Every "Kestrelford …" was listed, matched on the first word alone."""
    for name in ("Kestrelford Primary School", "Kestrelford Library", "KESTRELFORD SPEECH AND LANGUAGE SERVICE WEST"):
        OrganisationFactory(name=name, email_domains="")
    account = register_and_confirm(client, django_capture_on_commit_callbacks)
    admin = verified_login(client, staff_in_group("Portal administrator"))

    html = admin.get(reverse("portal_join_request_decide", args=[account.join_request.pk])).content.decode()

    similar = re.search(r"Organisations already listed with a similar name: [^<]*", html).group()
    assert similar == "Organisations already listed with a similar name: KESTRELFORD SPEECH AND LANGUAGE SERVICE WEST."
    assert "Leave empty to add the organisation as the person named it." in html  # nothing chosen from the list


def test_a_school_chosen_from_the_list_is_named_where_the_person_would_be_told_it_is_new(
    client, home_page, django_capture_on_commit_callbacks
):
    OrganisationFactory(name="Heronsgate Academy", email_domains="", urn=990002)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/portal/register/",
            {
                **UNLISTED,
                "organisation": "heronsgate academy",
                "organisation_kind": "",
                "organisation_address": "",
                "email": "senco@heronsgate.example.org",
            },
        )
    done = " ".join(BeautifulSoup(client.get(response.url).content, "html.parser").get_text().split())
    assert "is new to the portal" not in done
    assert "The portal does not know your email address ending as your school's, setting's or service's yet" in done
    page = client.post(link_in_last_email("/portal/verify/")).content.decode()
    assert "is new to the portal" not in page and "does not know your email address ending" in page
    account = User.objects.get(email="senco@heronsgate.example.org")
    admin = verified_login(client, staff_in_group("Portal administrator"))

    html = admin.get(reverse("portal_join_request_decide", args=[account.join_request.pk])).content.decode()

    assert "Leave empty to link the account to Heronsgate Academy, which the person chose from the list." in html
    assert "Leave empty to add the organisation as the person named it" not in html


def test_an_organisation_the_person_named_is_still_new_to_the_portal(
    client, home_page, django_capture_on_commit_callbacks
):
    page = register_and_confirm(client, django_capture_on_commit_callbacks, want_page=True)
    assert "Your school, setting or service is new to the portal, so" in page
