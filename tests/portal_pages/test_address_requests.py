"""The pages that answer "if the address has an account, we have emailed it" (a password reset at the portal's door
and the admin's, a new confirmation link, registration) do the same work in the request for every address: they
queue one task, and the task looks the account up, audits and emails. A reset did that work in the request for a
known address alone, and answered in 266 ms against 107 for an unknown one, so its time told who has an account.
Counted here (queries, tasks, emails), never timed."""

import inspect
import pathlib
import re
from unittest import mock

import pytest
from django.contrib.auth.hashers import check_password
from django.core import mail
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django_q.models import Task
from django_q.tasks import async_task

import portal_pages
from cms import services as cms_services
from cms.models import AuditEntry, EmailNotification
from portal_pages import tasks
from portal_pages.events import AccountEvent
from portal_pages.models import AccountState, JoinRequest, User
from portal_pages.services import accounts as account_services
from portal_pages.services import password_resets
from tests.factories.accounts import StaffUserFactory, UserFactory
from tests.task_worker import run_in_worker

# Each request commits when it ends, as on a server, and runs what it left for after its commit (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("requests_commit")

CLIENT_IP = "192.0.2.44"
UNKNOWN = "nobody@oakfield-primary.example.org"
NEW_PASSWORD = "kettle marmalade lighthouse"


def _ask(client, path, data):
    """POST ``data`` to ``path`` with the task queue observed: the response, the tasks queued and the request's
    queries. Nothing queued runs."""
    with (
        mock.patch.object(cms_services, "async_task", autospec=True) as queue,
        CaptureQueriesContext(connection) as queries,
    ):
        response = client.post(path, data, REMOTE_ADDR=CLIENT_IP)
    return response, queue.call_args_list, queries.captured_queries


def _writes(queries):
    """The request's writes to the database, other than its session's (the same for every address)."""
    return [
        query["sql"]
        for query in queries
        if query["sql"].split(None, 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}
        and "django_session" not in query["sql"]
    ]


def _asked_alike(client, path, known, unknown, task):
    """Ask for the known and the unknown address: the same answer, one task each, of the same function, no write and
    no email in either request, as many queries. Returns the two tasks' calls."""
    answers, calls, counts = [], [], []
    # Asked once before, so that both requests find the session the first one made: making a session and saving
    # again into one (cms/session_backends/) are not the same work, and which request makes it is the order asked,
    # not the address.
    _ask(client, path, unknown)
    for data in (known, unknown):
        response, queued, queries = _ask(client, path, data)
        assert response.status_code == 302, response.content.decode()[:500]
        assert [call.args for call in queued] == [(f"portal_pages.tasks.{task}",)]
        assert _writes(queries) == []
        assert mail.outbox == []
        answers.append(response.url)
        calls.append(queued[0])
        counts.append(len(queries))
    assert answers[0] == answers[1]
    assert counts[0] == counts[1]
    return calls


def _run(call, django_capture_on_commit_callbacks):
    """Run a task as it was queued, through django-q2 itself (tests' tasks run synchronously), and what it left
    for after its commit (the outbox's sending)."""
    with django_capture_on_commit_callbacks(execute=True):
        async_task(*call.args, **call.kwargs)


def _reset_requested(user):
    return AuditEntry.objects.filter(action=AccountEvent.PASSWORD_RESET_REQUESTED, target_id=str(user.pk))


def test_a_password_reset_does_the_same_work_in_the_request_for_a_known_and_an_unknown_address(
    client, professional, django_capture_on_commit_callbacks
):
    known, unknown = _asked_alike(
        client, "/portal/password-reset/", {"email": professional.email}, {"email": UNKNOWN}, "password_reset_request"
    )
    assert not _reset_requested(professional).exists()

    _run(unknown, django_capture_on_commit_callbacks)
    assert mail.outbox == [] and not AuditEntry.objects.exists()

    _run(known, django_capture_on_commit_callbacks)
    assert [(email.to, email.subject) for email in mail.outbox] == [([professional.email], "Reset your password")]
    assert "/portal/password-reset/" in mail.outbox[0].body
    assert [entry.ip_address for entry in _reset_requested(professional)] == [CLIENT_IP]


def test_a_task_asked_for_by_address_is_recorded_without_what_was_typed(
    client, professional, django_capture_on_commit_callbacks
):
    """django-q2 keeps each task it runs, with its arguments, in its table of finished tasks."""
    (known, _unknown) = _asked_alike(
        client, "/portal/password-reset/", {"email": professional.email}, {"email": UNKNOWN}, "password_reset_request"
    )
    _run(known, django_capture_on_commit_callbacks)

    task = Task.objects.get(func="portal_pages.tasks.password_reset_request")
    assert task.success and task.args in ((), None) and task.kwargs in ({}, None)
    assert len(mail.outbox) == 1


def test_a_new_confirmation_link_does_the_same_work_for_a_known_and_an_unknown_address(
    client, organisation, django_capture_on_commit_callbacks
):
    waiting = UserFactory(
        email="senco@oakfield-primary.example.org",
        organisation=organisation,
        account_state=AccountState.PENDING_VERIFICATION,
    )
    known, unknown = _asked_alike(
        client,
        "/portal/register/new-link/",
        {"email": waiting.email},
        {"email": UNKNOWN},
        "account_verification_resend",
    )

    _run(unknown, django_capture_on_commit_callbacks)
    assert mail.outbox == []

    _run(known, django_capture_on_commit_callbacks)
    assert [(email.to, email.subject) for email in mail.outbox] == [([waiting.email], "Confirm your email address")]
    assert "/portal/verify/" in mail.outbox[0].body


def test_the_admins_password_reset_does_the_same_work_for_a_staff_and_an_unknown_address(
    client, superuser, django_capture_on_commit_callbacks
):
    """Wagtail's reset view saves Django's form in the request, which looks the account up and emails it there."""
    known, unknown = _asked_alike(
        client,
        "/admin/password_reset/",
        {"email": superuser.email},
        {"email": "nobody@council.example.org"},
        "admin_password_reset_request",
    )

    _run(unknown, django_capture_on_commit_callbacks)
    assert mail.outbox == []

    _run(known, django_capture_on_commit_callbacks)
    assert [email.to for email in mail.outbox] == [[superuser.email]]
    assert "http://testserver/admin/password_reset/confirm/" in mail.outbox[0].body


def test_the_admins_password_reset_sends_an_invited_staff_account_its_invitation_as_the_portals_does(
    client, django_capture_on_commit_callbacks
):
    """A staff account that has not yet used its invitation has no password to reset: the admin's door sent it
    nothing, where the portal's sends the invitation again. Both now do, once for each request, audited as the
    portal's; and the request does the same work as for an unknown address."""
    invited = StaffUserFactory(
        email="new.caseworker@council.example.org", account_state=AccountState.INVITED, is_active=False
    )
    invited.set_unusable_password()
    invited.save()
    known, unknown = _asked_alike(
        client,
        "/admin/password_reset/",
        {"email": "New.Caseworker@council.example.org"},
        {"email": "nobody@council.example.org"},
        "admin_password_reset_request",
    )
    _run(unknown, django_capture_on_commit_callbacks)
    assert mail.outbox == []

    _run(known, django_capture_on_commit_callbacks)
    assert [(email.to, email.subject) for email in mail.outbox] == [
        ([invited.email], "You have been invited to the SEND portal")
    ]
    assert "/portal/invitation/" in mail.outbox[0].body and "made you a staff account" in mail.outbox[0].body
    assert [entry.ip_address for entry in _reset_requested(invited)] == [CLIENT_IP]
    _run(known, django_capture_on_commit_callbacks)  # the task run again: nothing more
    assert len(mail.outbox) == 1 and _reset_requested(invited).count() == 1


def test_registration_does_the_same_work_for_a_known_and_a_new_address_and_queues_no_password(
    client, professional, django_capture_on_commit_callbacks
):
    """The password is hashed in the request for both (the slow part); the task gets the hash, never the password."""
    form = {"organisation": "Oakfield Primary School", "display_name": "Oakfield SENCO", "password": NEW_PASSWORD}
    new_address = "office@oakfield-primary.example.org"
    known, new = _asked_alike(
        client,
        "/portal/register/",
        {**form, "email": professional.email},
        {**form, "email": new_address},
        "account_register",
    )
    assert not User.objects.filter(email=new_address).exists()
    for call in (known, new):
        assert NEW_PASSWORD not in repr(call) and check_password(NEW_PASSWORD, call.kwargs["password_hash"])

    _run(known, django_capture_on_commit_callbacks)
    assert [(email.to, email.subject) for email in mail.outbox] == [
        ([professional.email], "Someone tried to register your address")
    ]
    professional.refresh_from_db()
    assert not professional.check_password(NEW_PASSWORD)

    _run(new, django_capture_on_commit_callbacks)
    account = User.objects.get(email=new_address)
    assert account.account_state == AccountState.PENDING_VERIFICATION and account.check_password(NEW_PASSWORD)
    assert account.organisation.name == "Oakfield Primary School"
    entry = AuditEntry.objects.get(action=AccountEvent.REGISTERED, target_id=str(account.pk))
    assert entry.ip_address == CLIENT_IP
    assert [(email.to, email.subject) for email in mail.outbox[1:]] == [([new_address], "Confirm your email address")]


def test_a_request_to_join_made_by_the_task_keeps_the_clients_address(
    client, organisation, django_capture_on_commit_callbacks
):
    form = {
        "organisation": "Nowhere Academy",
        "organisation_kind": "school",
        "organisation_address": "1 High Street",
        "display_name": "Nowhere SENCO",
        "password": NEW_PASSWORD,
        "email": "senco@nowhere-academy.example.org",
    }
    response, queued, _queries = _ask(client, "/portal/register/", form)
    assert response.status_code == 302 and len(queued) == 1

    _run(queued[0], django_capture_on_commit_callbacks)
    account = User.objects.get(email=form["email"])
    entries = AuditEntry.objects.filter(target_id=str(account.pk)).order_by("pk")
    assert [(entry.action, entry.ip_address) for entry in entries] == [
        (AccountEvent.REGISTERED, CLIENT_IP),
        (AccountEvent.JOIN_REQUESTED, CLIENT_IP),
    ]


def test_when_the_task_queue_does_not_take_it_the_reset_is_done_in_the_request_not_lost(client, professional, caplog):
    """Redis down: the task is not queued, so the request does the work (the email waits in the outbox), and the log
    says so: it said the task "is left for a later run", which no run would ever take up."""
    with mock.patch.object(cms_services, "async_task", autospec=True, side_effect=ConnectionError("refused")):
        response = client.post("/portal/password-reset/", {"email": professional.email}, REMOTE_ADDR=CLIENT_IP)

    assert (
        "Task password-reset-request was not queued (ConnectionError: refused); it is done in the request instead"
        in (caplog.text)
    )
    assert "password-reset-request was not queued (ConnectionError: refused); it is left" not in caplog.text
    assert professional.email not in caplog.text

    assert response.url == "/portal/password-reset/check-your-email/"
    assert [entry.ip_address for entry in _reset_requested(professional)] == [CLIENT_IP]
    # The outbox's row is written; its sending is the task the queue refused too, which the minute's sweep retries.
    assert EmailNotification.objects.filter(to=professional.email, subject="Reset your password").exists()


def _run_in_worker(func, **kwargs):
    return run_in_worker(f"portal_pages.tasks.{func}", **kwargs)


def _registration(email):
    return {"organisation_id": None, "email": email, "display_name": "Oakfield SENCO", "password_hash": "x"}


def test_registering_a_new_address_twice_at_once_makes_one_account_and_neither_task_fails(db):
    """Two tasks for one new address (a double click, two workers) both found no account; on PostgreSQL the second
    INSERT failed with a duplicate-key error quoting the address, kept with the failed task for ever."""
    first = _run_in_worker("account_register", **_registration(UNKNOWN))
    with mock.patch("portal_pages.services.accounts.account_registered", return_value=None):  # it looked first
        second = _run_in_worker("account_register", **_registration(UNKNOWN))

    assert (first.success, second.success) == (True, True)
    assert User.objects.filter(email=UNKNOWN).count() == 1


def test_registration_that_fails_on_another_constraint_says_so_rather_than_that_no_account_exists(db):
    """Only the address registered meanwhile is answered as a known address: any other integrity error (no account
    with the address) is raised as it was, not turned into "User matching query does not exist"."""
    other = IntegrityError("another constraint")
    creating = mock.patch("portal_pages.services.accounts._account_create", side_effect=other)
    with creating, pytest.raises(IntegrityError) as raised:
        account_services.account_register(
            organisation=None, email=UNKNOWN, display_name="Oakfield SENCO", password_hash="x"
        )
    assert raised.value is other


def test_a_failed_address_task_keeps_no_address_in_its_record_or_the_log(db, caplog):
    """django-q2 keeps a failure's error text for ever, and logs it: the error may quote what was typed."""
    failing = mock.patch(
        "portal_pages.services.accounts.account_registered", side_effect=RuntimeError(f"no luck with {UNKNOWN}")
    )
    with failing, caplog.at_level("DEBUG"):
        task = _run_in_worker("account_register", **_registration(UNKNOWN))

    assert not task.success
    assert UNKNOWN not in f"{task.result} {task.args} {task.kwargs}"
    assert task.result == "The task failed; its details are not kept because they may hold an email address."
    assert UNKNOWN not in caplog.text


def test_every_task_given_an_address_is_marked_so_its_arguments_and_errors_are_not_kept():
    """The marked tasks were a list kept by hand beside the tasks: a fifth address task missing from it would have kept
    what was typed in django-q2's table, and no test would have failed."""
    queued = set()
    for source in pathlib.Path(portal_pages.__file__).parent.rglob("*.py"):
        queued.update(re.findall(r"address_request_queue\(\s*\"(\w+)\"", source.read_text()))
    services = (password_resets, account_services)
    by_address = {
        name
        for module in services
        for name, func in inspect.getmembers(module, inspect.isfunction)
        if func.__module__ == module.__name__ and "email" in inspect.signature(func).parameters and hasattr(tasks, name)
    }
    given_email = {
        name
        for name, func in inspect.getmembers(tasks, inspect.isfunction)
        if func.__module__ == tasks.__name__ and "email" in inspect.signature(func).parameters
    }

    assert queued >= {"account_register", "password_reset_request"}
    assert {getattr(tasks, name) for name in queued | by_address | given_email} <= tasks.ASKED_BY_ADDRESS


@pytest.mark.parametrize("address", ["office@oakfield-primary.example.org", "senco@oakfield-primary.example.org"])
def test_registration_for_an_organisation_closed_before_its_task_runs_is_refused_as_the_form_refuses_it(
    client, professional, organisation, address, django_capture_on_commit_callbacks
):
    """The form lists active organisations alone; one switched off between the form and its task got a new account
    (or, for a known address, an email about it) all the same. Refused, it left the person the page told to check
    their email with nothing: the address gets one email saying the organisation can no longer register and whom to
    contact, the same whether or not it has an account, and nothing is written."""
    form = {"organisation": organisation.name, "display_name": "Oakfield SENCO", "password": NEW_PASSWORD}
    response, queued, _queries = _ask(client, "/portal/register/", {**form, "email": address})
    assert response.status_code == 302 and len(queued) == 1
    accounts = set(User.objects.values_list("pk", flat=True))
    organisation.is_active = False
    organisation.save()

    _run(queued[0], django_capture_on_commit_callbacks)

    assert set(User.objects.values_list("pk", flat=True)) == accounts
    assert not JoinRequest.objects.exists()
    assert not AuditEntry.objects.exists()
    assert [(email.to, email.subject) for email in mail.outbox] == [
        ([address], "Registration with your email address was not made")
    ]
    body = " ".join(mail.outbox[0].body.split())
    # Word for word, so it is the same for an address with an account and one without, and names no organisation.
    assert body == (
        "Hello, Someone tried to register on the SEND Professional Portal with this email address, for an "
        "organisation that can no longer register on the portal. Nothing was registered. If you work there and need "
        "to use the portal, contact the SEND service at send@testshire.example.org or call 01632 960 111. If it was "
        "not you, you need do nothing. Testshire County Council SEND service"
    )


def test_a_refused_registrations_email_goes_once_when_its_task_runs_twice(
    client, professional, organisation, django_capture_on_commit_callbacks
):
    """django-q2 may run a task twice (a worker lost after it ran it): the refusal's outbox key ended in a random
    part, so each run queued an email of its own. Keyed by the registration, the second run queues nothing; another
    registration for the same address is answered again, and the key shows no address."""
    address = "office@oakfield-primary.example.org"
    form = {"organisation": organisation.name, "display_name": "Oakfield SENCO", "password": NEW_PASSWORD}
    _response, queued, _queries = _ask(client, "/portal/register/", {**form, "email": address})
    _response, again, _queries = _ask(client, "/portal/register/", {**form, "email": address})
    organisation.is_active = False
    organisation.save()

    _run(queued[0], django_capture_on_commit_callbacks)
    _run(queued[0], django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    _run(again[0], django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    keys = list(EmailNotification.objects.values_list("key", flat=True))
    assert len(keys) == 2 and not any("oakfield" in key for key in keys)


# django-q2 may run a task twice (a worker lost after the work and before its acknowledgement, or a retry): each run
# of an address task put an email of its own in the outbox, with a link of its own, and audited the request again.
# Each request is given its own id when it is queued, and its work is done once for it.


def _run_twice_and_ask_again(client, path, data, capture):
    """Ask twice; run the first request's task twice, then the second's: the subjects emailed after each run and the
    audit entries written after each."""
    _response, first, _queries = _ask(client, path, data)
    _response, second, _queries = _ask(client, path, data)
    emailed, audited = [], []
    for call in (first[0], first[0], second[0]):
        _run(call, capture)
        emailed.append([email.subject for email in mail.outbox])
        audited.append(list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)))
    return emailed, audited


@pytest.mark.parametrize(
    ("state", "is_active", "subject"),
    [
        (AccountState.ACTIVE, True, "Reset your password"),
        (AccountState.DORMANT, True, "Your SEND portal account needs to be reactivated"),
        (AccountState.PENDING_VERIFICATION, True, "Confirm your email address"),
        (AccountState.INVITED, True, "You have been invited to the SEND portal"),
        # Switched off by an administrator: no email, so none in the outbox to tell a second run the work is done.
        (AccountState.ACTIVE, False, None),
        # Waiting for, or refused, approval: an email that says why no link is sent (since fff0e380).
        (AccountState.AWAITING_APPROVAL, False, "Your SEND portal password was not reset"),
        (AccountState.REFUSED, False, "Your SEND portal password was not reset"),
    ],
)
def test_a_password_reset_emails_and_audits_once_however_often_its_task_runs(
    client, professional, state, is_active, subject, django_capture_on_commit_callbacks
):
    professional.account_state = state
    professional.is_active = is_active
    professional.save()
    emailed, audited = _run_twice_and_ask_again(
        client, "/portal/password-reset/", {"email": professional.email}, django_capture_on_commit_callbacks
    )

    sent = [subject] if subject else []
    assert emailed == [sent, sent, sent + sent]
    requested = AccountEvent.PASSWORD_RESET_REQUESTED
    assert audited == [[requested], [requested], [requested, requested]]


@pytest.mark.parametrize(
    ("path", "subject"),
    [
        ("/admin/password_reset/", "Reset your password for the SEND Professional Portal staff admin"),
        ("/portal/register/new-link/", "Confirm your email address"),
    ],
)
def test_the_admins_reset_and_a_new_confirmation_link_email_once_however_often_their_task_runs(
    client, superuser, organisation, path, subject, django_capture_on_commit_callbacks
):
    """Neither is audited."""
    address = superuser.email
    if path == "/portal/register/new-link/":
        address = "office@oakfield-primary.example.org"
        UserFactory(email=address, organisation=organisation, account_state=AccountState.PENDING_VERIFICATION)
    emailed, audited = _run_twice_and_ask_again(client, path, {"email": address}, django_capture_on_commit_callbacks)

    assert emailed == [[subject], [subject], [subject, subject]]
    assert audited == [[], [], []]


def test_a_registration_makes_one_account_and_one_email_however_often_its_task_runs(
    client, organisation, django_capture_on_commit_callbacks
):
    """The second registration of the same address, another request, is answered too: its owner is sent a new link."""
    form = {"organisation": organisation.name, "display_name": "Oakfield SENCO", "password": NEW_PASSWORD}
    emailed, audited = _run_twice_and_ask_again(
        client, "/portal/register/", {**form, "email": UNKNOWN}, django_capture_on_commit_callbacks
    )

    subject = "Confirm your email address"
    assert emailed == [[subject], [subject], [subject, subject]]
    registered = AccountEvent.REGISTERED
    assert audited == [[registered], [registered], [registered]]
    assert User.objects.filter(email=UNKNOWN).count() == 1


def test_a_registrations_task_run_again_after_the_address_is_confirmed_sends_nothing(
    client, organisation, django_capture_on_commit_callbacks
):
    """Run again late (a retry) for an account confirmed meanwhile, it told the owner someone had tried to register
    their address: their own registration. The request has had its one email, whichever the second run would send."""
    form = {"organisation": organisation.name, "display_name": "Oakfield SENCO", "password": NEW_PASSWORD}
    _response, queued, _queries = _ask(client, "/portal/register/", {**form, "email": UNKNOWN})
    _run(queued[0], django_capture_on_commit_callbacks)
    User.objects.filter(email=UNKNOWN).update(account_state=AccountState.ACTIVE)

    _run(queued[0], django_capture_on_commit_callbacks)

    assert [email.subject for email in mail.outbox] == ["Confirm your email address"]
