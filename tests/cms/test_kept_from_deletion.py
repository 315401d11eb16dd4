"""Deleting, in the admin, a row that others keep (on_delete=PROTECT): a team account that requests were shared with, an
organisation with accounts or named as a child's school, a child's EHC co-ordinator, a child record with requests.
The confirmation page says why it cannot be deleted and what to do instead, with no Delete button; a POST deletes
nothing, logs nothing and says why; never a 500 error page."""

import importlib

import pytest
from bs4 import BeautifulSoup
from django.apps import apps as django_apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail import hooks
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, ReferenceIndex
from wagtail.users.views.bulk_actions import SetActiveStateBulkAction

from advice_forms.models import AdviceRequest, ChildRecord
from cms.admin_views import rows_in_words
from cms.models import AuditEntry, EmailNotification
from portal_pages.events import AccountEvent
from portal_pages.models import Organisation, OrganisationKind, User
from tests.factories.accounts import (
    OrganisationFactory,
    ProfessionalFactory,
    StaffUserFactory,
    staff_in_group,
    verified_login,
)
from tests.factories.advice_forms import AdviceRequestFactory, ChildRecordFactory
from tests.factories.cms import reference_index_row
from tests.refusals import messages_of

BULK_DELETE_USERS = reverse("wagtail_bulk_action", args=["portal_pages", "user", "delete"])
SWITCH_OFF = "switch it off instead: untick Active on its edit page."
SUPERUSER = "verified_admin_client"
USED_BY_REQUESTS = "cannot be deleted: it is used by 2 advice requests."


def _bulk_delete_users(pk):
    return f"{BULK_DELETE_USERS}?next=/admin/users/&id={pk}"


def _delete_url(url_name):
    return lambda pk: reverse(url_name, args=[pk])


TEAM_ACCOUNT_DELETE = _delete_url("team_accounts:delete")


# case: (the client's fixture, the kept row in ``kept``, its delete URL, the reason shown, what to do instead)
CASES = {
    "team account": (
        SUPERUSER, "account", _delete_url("team_accounts:delete"), f"This team account {USED_BY_REQUESTS}",
        SWITCH_OFF,
    ),
    "Wagtail's bulk delete of users": (
        SUPERUSER, "coordinator", _bulk_delete_users, "This account cannot be deleted: it is used by 1 child record.",
        "use “Set active state” and choose Inactive",
    ),
    "organisation, by a portal administrator": (
        "administrator_client", "organisation", _delete_url("organisation:delete"),
        "This organisation cannot be deleted: it is used by 1 user.", SWITCH_OFF,
    ),
    "a child's school that no account uses, by a portal administrator": (
        "administrator_client", "school", _delete_url("organisation:delete"),
        "This organisation cannot be deleted: it is used by records you cannot see.", SWITCH_OFF,
    ),
    "an EHC co-ordinator who has not acted yet, in Wagtail's user list": (
        SUPERUSER, "coordinator", _delete_url("wagtailusers_users:delete"),
        "This account cannot be deleted: it is used by 1 child record.", SWITCH_OFF,
    ),
    "child record": (
        SUPERUSER, "child", _delete_url("child_records:delete"),
        "This child record cannot be deleted: it is used by 1 advice request.",
        "set its status to Closed on its edit page",
    ),
}  # fmt: skip


@pytest.fixture
def kept(professional, small_form):
    """A team account with two requests, one of them for ``child``, the account's organisation, the child's school,
    which no account uses, and its EHC co-ordinator, who has not acted yet."""
    school = OrganisationFactory(name="Brackenridge Nursery", kind=OrganisationKind.EARLY_YEARS)
    coordinator = staff_in_group("SEND caseworker")
    first = AdviceRequestFactory(
        account=professional, form_version=small_form, child__school=school, child__coordinator=coordinator
    )
    AdviceRequestFactory(account=professional, form_version=small_form)
    return {
        "account": professional,
        "child": first.child,
        "organisation": professional.organisation,
        "school": school,
        "coordinator": coordinator,
    }


def _rows():
    return (
        User.objects.count(),
        Organisation.objects.count(),
        ChildRecord.objects.count(),
        AdviceRequest.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("client_fixture,target,url,reason,instead", CASES.values(), ids=CASES.keys())
def test_a_kept_row_is_refused_in_words_not_a_500(request, kept, client_fixture, target, url, reason, instead):
    client = request.getfixturevalue(client_fixture)
    row = kept[target]
    path = url(row.pk)
    before = _rows()

    page = client.get(path)
    assert page.status_code == 200
    text = " ".join(BeautifulSoup(page.content, "html.parser").get_text().split())
    assert reason in text and instead in text
    assert "Yes, delete" not in text

    response = client.post(path)
    assert response.status_code == 302 and response["Location"] == path
    [message] = messages_of(response)
    assert message.startswith("Nothing was deleted") and instead in message
    assert type(row).objects.filter(pk=row.pk).exists()
    assert _rows() == before
    assert ChildRecord.objects.filter(school=kept["school"], coordinator=kept["coordinator"]).count() == 1
    assert not ModelLogEntry.objects.filter(action="wagtail.delete").exists()


@pytest.mark.parametrize(
    "url",
    [TEAM_ACCOUNT_DELETE, _delete_url("wagtailusers_users:delete"), _bulk_delete_users],
    ids=["team account", "Wagtail's user list", "Wagtail's bulk delete"],
)
def test_an_account_nothing_keeps_is_still_deleted_and_the_deletion_is_audited(
    verified_admin_client, superuser, organisation, url
):
    """Deleting an account left no audit entry, on every door that deletes one. The entry says who, when and which
    account id, with only its address's domain: the account's address and name leave with it. Wagtail's doors are
    for staff accounts only, so a staff account is deleted there, a team account on its own screen."""
    team = url is TEAM_ACCOUNT_DELETE
    account = (ProfessionalFactory if team else StaffUserFactory)(
        organisation=organisation if team else None, first_name="Morwenna", last_name="Tallis"
    )
    domain = account.email.rpartition("@")[2]
    log(instance=account, action="wagtail.edit", user=superuser)  # as Wagtail's edit screen writes it
    path = url(account.pk)
    assert "Yes, delete" in verified_admin_client.get(path).content.decode()

    verified_admin_client.post(path)

    assert not User.objects.filter(pk=account.pk).exists()
    [entry] = AuditEntry.objects.filter(action=AccountEvent.DELETED)
    assert entry.actor == superuser and entry.target_id == str(account.pk)
    assert entry.data == {"account_state": account.account_state} | (
        {"organisation_id": organisation.pk, "email_domain": domain} if team else {}
    )
    written = f"{entry.data} {entry.reason} {entry.from_state} {entry.to_state}"
    assert account.email.partition("@")[0] not in written and "Morwenna" not in written and "Tallis" not in written
    # The audit log lists it as "Account <id>", as Wagtail's history below names it (not "User <id>"), and its page
    # shows its email address ending.
    listing = verified_admin_client.get(reverse("audit_log:index"), {"action": AccountEvent.DELETED})
    assert listing.status_code == 200 and f"Account {account.pk}" in listing.content.decode()
    inspect = verified_admin_client.get(reverse("audit_log:inspect", args=[entry.pk])).content.decode()
    assert (f"Email address ending: {domain}" in inspect) is team and f"Account {account.pk}" in inspect
    assert f"User {account.pk}" not in listing.content.decode() + inspect
    # Wagtail's own history of the account, which it labels with the account's name, keeps it no more.
    history = ModelLogEntry.objects.filter(object_id=str(account.pk), content_type__model="user")
    assert history.filter(action="wagtail.edit").exists()
    assert history.filter(action="wagtail.delete", user=superuser).count() == 1
    assert set(history.values_list("label", flat=True)) == {f"Account {account.pk}"}


def test_a_bulk_delete_audits_each_account_it_deletes_in_its_transaction(verified_admin_client):
    accounts = [StaffUserFactory() for _ in range(3)]
    path = f"{BULK_DELETE_USERS}?next=/admin/users/" + "".join(f"&id={account.pk}" for account in accounts)

    verified_admin_client.post(path)

    assert not User.objects.filter(pk__in=[account.pk for account in accounts]).exists()
    audited = AuditEntry.objects.filter(action=AccountEvent.DELETED).values_list("target_id", flat=True)
    assert sorted(audited) == sorted(str(account.pk) for account in accounts)
    # Wagtail's history of each says it was deleted, as the single delete's does, by its id, not its name.
    deleted = ModelLogEntry.objects.filter(action="wagtail.delete", content_type__model="user")
    assert sorted(deleted.values_list("object_id", "label")) == sorted(
        (str(account.pk), f"Account {account.pk}") for account in accounts
    )


@pytest.mark.parametrize(
    ("whose", "kept"),
    [
        ("staff on a personal domain", set()),
        ("team account on a domain its organisation does not list", {"organisation_id"}),
        ("team account on its organisation's domain", {"organisation_id", "email_domain"}),
    ],
)
def test_the_deletion_audit_keeps_a_domain_only_when_it_is_the_organisations(
    verified_admin_client, organisation, whose, kept
):
    """The audit kept every deleted address's domain: a staff account's own domain names the person."""
    email = {
        "staff on a personal domain": "jo@josmith.me",
        "team account on a domain its organisation does not list": "senco@smithfamily.example.net",
        "team account on its organisation's domain": "senco@oakfield-primary.example.org",
    }[whose]
    staff = whose.startswith("staff")
    account = (
        staff_in_group("SEND caseworker", email=email)
        if staff
        else ProfessionalFactory(organisation=organisation, email=email)
    )

    # Each on its own screen: Wagtail's user screens are for staff accounts only.
    verified_admin_client.post(
        reverse("wagtailusers_users:delete" if staff else "team_accounts:delete", args=[account.pk])
    )

    entry = AuditEntry.objects.get(action=AccountEvent.DELETED)
    assert entry.data == {"account_state": account.account_state} | {
        key: value
        for key, value in {"organisation_id": organisation.pk, "email_domain": "oakfield-primary.example.org"}.items()
        if key in kept
    }
    assert "smith" not in str(entry.data)


def test_a_bulk_delete_with_one_kept_account_deletes_none(verified_admin_client, kept):
    free = StaffUserFactory()
    path = f"{_bulk_delete_users(kept['coordinator'].pk)}&id={free.pk}"

    response = verified_admin_client.post(path)

    assert response.status_code == 302
    assert User.objects.filter(pk__in=[kept["coordinator"].pk, free.pk]).count() == 2


def test_a_bulk_delete_that_deletes_none_says_so_at_the_top_with_the_kept_accounts_first(verified_admin_client, kept):
    """With select-all, the kept accounts sat among the others ("This user is referenced 0 times") with only a Go
    back button: nothing said that none would be deleted, or that the kept ones had to be unticked first."""
    free = [StaffUserFactory() for _ in range(3)]
    also_kept = StaffUserFactory()
    AuditEntry.objects.create(action="advice_request.shared", actor=also_kept)
    ids = [free[0].pk, kept["coordinator"].pk, free[1].pk, also_kept.pk, free[2].pk]
    path = f"{BULK_DELETE_USERS}?next=/admin/users/" + "".join(f"&id={pk}" for pk in ids)

    page = BeautifulSoup(verified_admin_client.get(path).content, "html.parser")

    text = " ".join(page.select_one("main").get_text().split())
    warning = (
        "Warning: None of these accounts can be deleted while 2 of them are in use. "
        "Go back and untick them, or switch them off instead."
    )
    assert warning in text and text.index(warning) < text.index("cannot be deleted: it is used by")
    listed = [int(link["href"].rstrip("/").split("/")[-1]) for link in page.select("main li > a[href*='/edit/']")]
    # The kept ones first, in the database's order (PostgreSQL's may differ from the ids chosen).
    assert set(listed[:2]) == {kept["coordinator"].pk, also_kept.pk} and set(listed[2:]) == {a.pk for a in free}
    assert "referenced 0 times" not in text and "Yes, delete" not in text
    # What to do instead names the bulk action as Wagtail's menu shows it.
    assert f"use “{SetActiveStateBulkAction.display_name}” and choose Inactive" in text


def test_what_keeps_a_row_is_counted_by_kind_in_a_fixed_order():
    rows = [AdviceRequest(), AdviceRequest(), ChildRecord(), User()]

    assert rows_in_words(rows) == "2 advice requests, 1 child record and 1 user"
    assert rows_in_words(rows[:1]) == "1 advice request"


def test_a_staff_account_that_has_acted_keeps_its_audit_entries_who_and_is_not_deleted(verified_admin_client):
    """Deleting a caseworker blanked the "who" of every audit entry they wrote (and of what they shared or returned):
    an account that has acted is now kept, to be switched off."""
    caseworker = staff_in_group("SEND caseworker")
    entry = AuditEntry.objects.create(action="advice_request.shared", actor=caseworker)
    path = reverse("wagtailusers_users:delete", args=[caseworker.pk])

    text = " ".join(BeautifulSoup(verified_admin_client.get(path).content, "html.parser").get_text().split())
    assert "This account cannot be deleted: it is used by 1 audit entry." in text
    verified_admin_client.post(path)

    entry.refresh_from_db()
    assert User.objects.filter(pk=caseworker.pk).exists() and entry.actor == caseworker


def _queries(client, method, path):
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(path)
    assert response.status_code in (200, 302)
    return len(queries)


@pytest.mark.parametrize("method", ["get", "post"])
def test_choosing_every_account_to_delete_reads_what_keeps_them_once_not_once_an_account(
    verified_admin_client, kept, method
):
    """Wagtail's "select all" then "Delete" asked, for each account, what keeps it, on the confirmation page and
    again on the post: thousands of queries for a council's list of accounts."""
    few = [StaffUserFactory().pk for _ in range(3)]
    many = few + [StaffUserFactory().pk for _ in range(20)]

    def path(ids):
        return f"{BULK_DELETE_USERS}?next=/admin/users/" + "".join(f"&id={pk}" for pk in ids)

    # Once first: a process's first page reads the content types Django caches after (run alone, this test met them
    # cold on its first count only).
    _queries(verified_admin_client, "get", path(few))
    if method == "get":
        # Nothing keeps them: one reading for all, however many; and with a kept account among them, that one is named.
        assert _queries(verified_admin_client, "get", path(many)) == _queries(verified_admin_client, "get", path(few))
        page = verified_admin_client.get(path([*many, kept["coordinator"].pk])).content.decode()
        assert "This account cannot be deleted: it is used by 1 child record." in page
        assert page.count("cannot be deleted") == 1
    else:
        # A kept account among many: nothing deleted, found in the same number of queries as among a few.
        with_kept = _queries(verified_admin_client, "post", path([*many, kept["coordinator"].pk]))
        assert with_kept == _queries(verified_admin_client, "post", path([*few, kept["coordinator"].pk]))
        assert User.objects.filter(pk__in=many).count() == len(many)


def test_a_record_naming_an_account_between_the_check_and_the_bulk_delete_keeps_it(verified_admin_client):
    """The check passed, then a child record named one of the chosen accounts its EHC co-ordinator before the delete
    ran: the delete was refused by the database and the administrator saw a server error page."""
    account, other = StaffUserFactory(), StaffUserFactory()

    def share_in_between(request, action_type, objects, action):
        ChildRecordFactory(coordinator=account)

    path = f"{_bulk_delete_users(account.pk)}&id={other.pk}"
    with hooks.register_temporarily("before_bulk_action", share_in_between):
        response = verified_admin_client.post(path)

    assert response.status_code == 302 and response.url == path
    assert messages_of(response)[0].startswith("Nothing was deleted")
    assert User.objects.filter(pk__in=[account.pk, other.pk]).count() == 2
    assert not AuditEntry.objects.filter(action=AccountEvent.DELETED).exists()  # written in the same transaction


def test_a_child_record_nothing_names_is_deleted_and_the_audit_of_its_views_stays(verified_admin_client):
    """A record made in error (no request, so no documents, outcomes, contacts or contribution can hang off it) may
    go; the audit log still lists who opened it, by kind and id, and each entry still opens."""
    child = ChildRecordFactory()
    verified_admin_client.get(reverse("child_records:inspect", args=[child.pk]))
    [viewed] = AuditEntry.objects.filter(target_id=str(child.pk))
    path = reverse("child_records:delete", args=[child.pk])
    assert "Yes, delete" in verified_admin_client.get(path).content.decode()

    verified_admin_client.post(path)

    assert not ChildRecord.objects.filter(pk=child.pk).exists()
    assert AuditEntry.objects.filter(pk=viewed.pk).exists()
    assert f"Child record {child.pk}" in verified_admin_client.get(reverse("audit_log:index")).content.decode()
    assert verified_admin_client.get(reverse("audit_log:inspect", args=[viewed.pk])).status_code == 200


def test_a_portal_administrator_is_not_told_how_many_child_records_name_a_school(administrator_client, superuser, kept):
    """A portal administrator sees no casework: the delete page told them how many children at a school were in
    assessment ("it is used by 3 child records"). Who may see child records is still told how many."""
    path = reverse("organisation:delete", args=[kept["school"].pk])

    for_administrator = administrator_client.get(path).content.decode()
    assert "it is used by records you cannot see" in for_administrator and "1 child record" not in for_administrator
    assert "it is used by 1 child record." in verified_login(Client(), superuser).get(path).content.decode()


def test_an_organisations_usage_and_edit_pages_do_not_count_the_child_records_naming_it(
    administrator, caseworker_client, caseworker, organisation
):
    """The delete page stopped telling a portal administrator how many children at a school are in assessment, but
    Wagtail's reference index held each child record's school: the organisation's edit page said "Used 1 time" and
    its usage page listed a "(Private child record)" row for each child."""
    administrator_client = verified_login(Client(), administrator)
    added = caseworker_client.post(
        reverse("child_records:add"),
        {
            "first_name": "Wren",
            "last_name": "Halloway",
            "date_of_birth": "2015-06-01",
            "address": "8 Test Street, Testshire",
            "school": organisation.pk,
            "coordinator": caseworker.pk,
            "status": "requested",
        },
    )
    assert added.status_code == 302 and ChildRecord.objects.filter(school=organisation).count() == 1

    usage = administrator_client.get(reverse("organisation:usage", args=[organisation.pk]))
    edit = administrator_client.get(reverse("organisation:edit", args=[organisation.pk]))

    assert usage.status_code == 200 and "child record" not in usage.content.decode().lower()
    assert edit.status_code == 200 and "Used 1 time" not in edit.content.decode()
    assert not ReferenceIndex.objects.filter(base_content_type=ContentType.objects.get_for_model(ChildRecord)).exists()


def test_the_reference_index_rows_already_held_of_child_records_are_removed(organisation, caseworker):
    """Rows indexed before child records were kept out would still count the children at a school."""
    forget = importlib.import_module("advice_forms.migrations.0029_child_records_out_of_the_reference_index")
    child = ChildRecordFactory(school=organisation, coordinator=caseworker)
    child_type = ContentType.objects.get_for_model(ChildRecord)
    reference_index_row(child, "school", organisation)
    reference_index_row(child, "coordinator", caseworker)
    kept = ReferenceIndex.objects.count() - 2

    forget.forget_child_records_references(django_apps, None)

    assert not ReferenceIndex.objects.filter(base_content_type=child_type).exists()
    assert ReferenceIndex.objects.count() == kept


def test_a_deleted_accounts_emails_keep_their_rows_without_its_address_or_words(verified_admin_client):
    """The outbox kept a deleted account's address for ever, and the words of its emails (its name among them) for
    90 days, and went on trying to send it an email still waiting."""
    account = StaffUserFactory(first_name="Morwenna")
    other = StaffUserFactory()
    sent = EmailNotification.objects.create(
        key="account:x:1",
        to=account.email.upper(),
        subject="Reset your password",
        body="Dear Morwenna",
        state=EmailNotification.State.SENT,
    )
    waiting = EmailNotification.objects.create(key="account:x:2", to=account.email, subject="Hello", body="Morwenna")
    kept = EmailNotification.objects.create(key="account:x:3", to=other.email, subject="Hello", body="Dear you")

    verified_admin_client.post(_delete_url("wagtailusers_users:delete")(account.pk))

    assert not User.objects.filter(pk=account.pk).exists()
    rows = {row.key: (row.to, row.body, row.state) for row in EmailNotification.objects.all()}
    assert rows[sent.key] == ("", "", EmailNotification.State.SENT)
    assert rows[waiting.key] == ("", "", EmailNotification.State.GIVEN_UP)
    assert rows[kept.key] == (other.email, "Dear you", EmailNotification.State.PENDING)
