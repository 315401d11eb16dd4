"""Reports → Emails not sent: the emails the outbox has not sent (waiting, or given up), why (the last try's error,
addresses masked) and since when, for the portal administrator and the superuser; a waiting one tried again now,
queued once, audited. Before it, an administrator whose mail server refused mail had to read logs or the database."""

import html
import re
import uuid
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_q.models import Task

from cms.admin_views import EMAIL_LIST_MAX_AGE, EMAIL_LIST_OUT_OF_DATE, _email_list_token, task_error_words
from cms.events import SiteEvent
from cms.models import AuditEntry, EmailNotification
from cms.outbox import email_notification_retry
from portal_pages.models import User
from portal_pages.roles import emails_not_sent_viewers_ensure
from tests.cms.test_failed_tasks import RECIPIENT, RefusingServer  # noqa: F401 - the backend's dotted path
from tests.factories.accounts import UserFactory, staff_in_group, verified_login
from tests.task_worker import run_in_worker

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/emails-not-sent/"
State = EmailNotification.State


def _email(
    key, *, to="senco@school.example.org", state=State.PENDING, hours_ago=0, subject="A message is waiting", team=True
):
    """An outbox row; to a team account's address (made when none has it) unless ``team`` is False."""
    if team and not User.objects.filter(email=to).exists():
        UserFactory(email=to)
    email = EmailNotification.objects.create(
        key=key, to=to, subject=subject, body="" if state == State.GIVEN_UP else "Sign in.", state=state
    )
    made = timezone.now() - timedelta(hours=hours_ago)
    EmailNotification.objects.filter(pk=email.pk).update(created_at=made)
    email.created_at = made
    return email


def _failure(email, error, *, minutes_ago=0):
    stopped = timezone.now() - timedelta(minutes=minutes_ago)
    return Task.objects.create(
        id=uuid.uuid4().hex,
        name=f"email-notification-{email.pk}",
        func="cms.tasks.email_notification_send",
        args=(email.pk,),
        result=error,
        started=stopped,
        stopped=stopped,
        success=False,
    )


def _rows(response):
    """The table's rows, each a list of its cells' text."""
    page = response.content.decode()
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in page else ""
    return [
        [
            html.unescape(" ".join(re.sub(r"<[^>]+>", " ", cell).split()))
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


@pytest.fixture
def administrator_client(client, role_groups):
    """A portal administrator in the role group as migrations make it (its permissions, not a bare group)."""
    return verified_login(client, staff_in_group("Portal administrator"))


def test_the_report_lists_waiting_and_given_up_emails_newest_first_with_their_state_wait_and_masked_error(
    administrator_client, settings
):
    settings.PORTAL_EMAIL_GIVE_UP_HOURS = 48
    given_up = _email("old", to="old@school.example.org", state=State.GIVEN_UP, hours_ago=50)
    waiting = _email("new", to="new@school.example.org", hours_ago=3, subject="Confirm your email address")
    _email("sent", state=State.SENT)
    _failure(waiting, "SMTPRecipientsRefused: {'[email]': (550, b'5.1.1 <[email]>: Recipient address rejected')}")
    _failure(waiting, "[Errno 111] Connection refused", minutes_ago=5)  # an older try, not the last
    # A failure kept from before errors were masked still shows no address.
    _failure(given_up, "SMTPRecipientsRefused: {'old@school.example.org': (550, b'refused')}")

    response = administrator_client.get(REPORT)

    assert response.status_code == 200
    assert "<h1" in response.content.decode() and "Emails not sent" in response.content.decode()
    rows = _rows(response)
    assert [row[1:5] for row in rows] == [
        ["new@school.example.org", "Confirm your email address", "Waiting to be sent", "3 hours"],
        ["old@school.example.org", "A message is waiting", "Given up", "Given up after 48 hours"],
    ]
    assert "Recipient address rejected" in rows[0][5] and "[email]" in rows[0][5]
    assert "Connection refused" not in rows[0][5]
    assert rows[1][5] == "SMTPRecipientsRefused: {'[email]': (550, b'refused')}"
    assert "Try again now" in rows[0][6]
    assert rows[1][6] == "Cannot be tried again: its words were removed when it was given up"


def test_an_email_refused_by_the_mail_server_shows_its_error_without_the_address(administrator_client, settings):
    settings.EMAIL_BACKEND = "tests.cms.test_failed_tasks.RefusingServer"
    email = _email("refused", to=RECIPIENT)
    run_in_worker("cms.tasks.email_notification_send", email.pk, task_name=f"email-notification-{email.pk}")

    (row,) = _rows(administrator_client.get(REPORT))

    # The exception as it was raised, without the worker's traceback (file paths and code, for a developer).
    assert row[5] == "smtplib.SMTPRecipientsRefused: {'[email]': (550, b'5.1.1 <[email]>: Recipient address rejected')}"
    assert row[1] == RECIPIENT  # the address is shown where it is asked for: To


def test_the_report_filters_by_state(administrator_client):
    _email("waiting", to="waiting@school.example.org")
    _email("given-up", to="given-up@school.example.org", state=State.GIVEN_UP, hours_ago=50)

    def listed(state):
        return [row[1] for row in _rows(administrator_client.get(REPORT, {"state": state}))]

    assert listed("pending") == ["waiting@school.example.org"]
    assert listed("given_up") == ["given-up@school.example.org"]
    # All, and a state the filter does not offer (a link changed by hand): both.
    assert listed("") == listed("sent") == ["waiting@school.example.org", "given-up@school.example.org"]


def test_the_report_pages_20_at_a_time(administrator_client):
    for number in range(25):
        _email(f"email-{number}", to=f"person{number}@school.example.org", hours_ago=number)

    first, second = administrator_client.get(REPORT), administrator_client.get(REPORT, {"p": "2"})

    assert [row[1] for row in _rows(first)] == [f"person{n}@school.example.org" for n in range(20)]
    assert [row[1] for row in _rows(second)] == [f"person{n}@school.example.org" for n in range(20, 25)]
    assert "Page 2 of 2" in second.content.decode()


def test_no_email_says_so(administrator_client):
    _email("sent", state=State.SENT)

    assert "Every email has been sent." in administrator_client.get(REPORT).content.decode()


def _queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(REPORT).status_code == 200
    return len(queries)


def test_the_report_reads_as_many_queries_for_1_email_as_for_40(administrator_client):
    first = _email("first")
    _failure(first, "[Errno 111] Connection refused")
    one = _queries(administrator_client)
    for number in range(39):
        email = _email(f"more-{number}", state=State.GIVEN_UP if number % 3 else State.PENDING)
        _failure(email, "[Errno 111] Connection refused")

    assert _queries(administrator_client) == one


# --- Who may see it ---------------------------------------------------------------------------------------------


# Each staff role, and whether it may see a report kept for portal administrators (and the superuser).
PORTAL_ADMINISTRATORS_ONLY = [
    ("SEND caseworker", False),
    ("Form designer", False),
    ("Content editor", False),
    ("Guidance approvers", False),
    ("Portal administrator", True),
]


@pytest.mark.parametrize(("role", "allowed"), PORTAL_ADMINISTRATORS_ONLY)
def test_the_report_and_its_menu_item_are_the_portal_administrators_and_superusers(client, role_groups, role, allowed):
    waiting = _email("waiting")
    verified_login(client, staff_in_group(role))

    report = client.get(REPORT)
    token = _token(client) if allowed else "made-up"
    retry = client.post(reverse("cms_email_retry", args=[waiting.pk]), {"token": token})
    home = client.get(reverse("wagtailadmin_home")).content.decode()

    assert (report.status_code == 200) is allowed
    assert (retry.status_code == 302 and retry["Location"].startswith(REPORT)) is allowed
    if not allowed:
        assert report["Location"] == retry["Location"] == reverse("wagtailadmin_home")
    assert (REPORT in home) is allowed
    assert AuditEntry.objects.filter(action=SiteEvent.EMAIL_RETRIED).exists() is allowed


def test_the_superuser_sees_the_report(verified_admin_client):
    _email("waiting", to="waiting@school.example.org")

    assert [row[1] for row in _rows(verified_admin_client.get(REPORT))] == ["waiting@school.example.org"]


def test_a_made_up_id_is_refused_before_it_is_looked_up(client, role_groups):
    verified_login(client, staff_in_group("Content editor"))

    assert client.post(reverse("cms_email_retry", args=[999999]))["Location"] == reverse("wagtailadmin_home")


# --- Try again now ----------------------------------------------------------------------------------------------


@pytest.fixture
def queued():
    """The tasks queued, as the queue (django-q2's async_task, through cms.services.task_enqueue) is given them."""
    with mock.patch("cms.services.async_task") as async_task:
        yield async_task


def _said(response):
    return [str(message).strip() for message in response.context["messages"]]


def _token(client):
    return re.search(r'name="token" value="([^"]+)"', client.get(REPORT).content.decode()).group(1)


def test_try_again_now_queues_the_send_task_once_audited_without_the_address(
    administrator_client, requests_commit, queued
):
    waiting = _email("waiting", to="waiting@school.example.org")
    token = _token(administrator_client)
    url = reverse("cms_email_retry", args=[waiting.pk])

    first = administrator_client.post(url, {"token": token, "state": "pending", "p": "1"}, follow=True)
    again = administrator_client.post(url, {"token": token, "state": "pending", "p": "1"}, follow=True)

    assert [c.args for c in queued.call_args_list] == [("cms.tasks.email_notification_send", waiting.pk)]
    assert queued.call_args.kwargs["task_name"] == f"email-notification-{waiting.pk}"
    assert first.redirect_chain[0][0] == f"{REPORT}?state=pending&p=1#email-{waiting.pk}"
    said = _said(first)
    assert said == [
        "The email to waiting@school.example.org is queued to be sent now. It leaves this list once the mail server "
        "takes it; if it is refused again, its new error shows here."
    ]
    assert _said(again) == ["The email to waiting@school.example.org was queued already: nothing more was queued."]
    waiting.refresh_from_db()
    assert waiting.state == State.PENDING  # nothing was sent in the request
    (entry,) = AuditEntry.objects.filter(action=SiteEvent.EMAIL_RETRIED)
    assert entry.actor.groups.filter(name="Portal administrator").exists()
    assert entry.target_type == ContentType.objects.get_for_model(EmailNotification)
    assert entry.target_id == str(waiting.pk)
    assert "waiting@school.example.org" not in str(entry.data) and "school.example.org" not in entry.reason
    assert entry.action_label == "Email tried again now"

    # The list shown again carries a new form: trying again later queues again.
    administrator_client.post(url, {"token": _token(administrator_client)})
    assert queued.call_count == 2


def test_a_given_up_email_is_not_tried_again_and_the_banner_says_why(administrator_client, queued, settings):
    settings.PORTAL_EMAIL_GIVE_UP_HOURS = 48
    given_up = _email("given-up", to="given-up@school.example.org", state=State.GIVEN_UP, hours_ago=50)
    _email("waiting", to="waiting@school.example.org")  # its form carries the list's token

    response = administrator_client.post(
        reverse("cms_email_retry", args=[given_up.pk]), {"token": _token(administrator_client)}, follow=True
    )

    assert not queued.called
    assert not AuditEntry.objects.filter(action=SiteEvent.EMAIL_RETRIED).exists()
    assert _said(response) == [
        "The email to given-up@school.example.org cannot be tried again. It was given up 48 hours after it was made, "
        "and its words were removed then, so there is nothing to send."
    ]


def _sent(email, *, hours_ago=0):
    EmailNotification.objects.filter(pk=email.pk).update(
        state=State.SENT, sent_at=timezone.now() - timedelta(hours=hours_ago)
    )


def test_an_email_sent_since_the_list_was_shown_is_not_queued_again_and_the_banner_names_no_address(
    administrator_client, queued
):
    waiting = _email("sent", to="sent@school.example.org", hours_ago=1)
    token = _token(administrator_client)
    _sent(waiting)  # by a worker, after the list was shown

    response = administrator_client.post(reverse("cms_email_retry", args=[waiting.pk]), {"token": token}, follow=True)

    assert not queued.called
    assert _said(response) == ["That email has been sent since this list was shown."]
    assert "sent@school.example.org" not in response.content.decode()


def test_an_email_sent_before_the_list_was_shown_is_not_found_whatever_the_token(
    administrator_client, verified_admin_client, queued
):
    """The penetration test's walk: a sent email's id, posted with the list's token or a made-up one, answered "The
    email to <address> has been sent since this list was shown" for any email ever sent, staff password resets
    included. An email the list never showed is a 404, for the superuser too, like an id that does not exist."""
    sent = _email("sent-yesterday", to="sent@school.example.org", hours_ago=26)
    _sent(sent, hours_ago=25)
    made_after = _email("made-after", to="later@school.example.org")
    _email("waiting", to="waiting@school.example.org")  # its form carries the list's token
    url = reverse("cms_email_retry", args=[sent.pk])

    for client in (administrator_client, verified_admin_client):
        token = _token(client)
        EmailNotification.objects.filter(pk=made_after.pk).update(created_at=timezone.now())
        _sent(made_after)  # made and sent after the list was shown: never on it
        for posted in (token, uuid.uuid4().hex, ""):
            response = client.post(url, {"token": posted})
            assert response.status_code == 404
            assert "sent@school.example.org" not in response.content.decode()
        assert client.post(reverse("cms_email_retry", args=[made_after.pk]), {"token": token}).status_code == 404
        assert client.post(reverse("cms_email_retry", args=[999999]), {"token": token}).status_code == 404
    assert not queued.called
    assert not AuditEntry.objects.filter(action=SiteEvent.EMAIL_RETRIED).exists()


def test_a_token_not_made_by_the_list_is_refused(administrator_client, queued):
    """The token says when the list was shown, signed: one written by hand cannot move that time back to reach an
    email sent before."""
    waiting = _email("waiting", to="waiting@school.example.org")
    forged = _token(administrator_client)[:-2] + "xx"

    response = administrator_client.post(reverse("cms_email_retry", args=[waiting.pk]), {"token": forged}, follow=True)

    assert not queued.called
    assert _said(response) == [EMAIL_LIST_OUT_OF_DATE]
    assert _refusals() == [(str(waiting.pk), {"refused": "not_the_lists"})]


def _refusals():
    return [(e.target_id, e.data) for e in AuditEntry.objects.filter(action=SiteEvent.EMAIL_RETRY_REFUSED)]


def test_a_list_shown_more_than_a_day_ago_tries_nothing_says_so_and_is_audited_by_ids_only(
    administrator_client, requests_commit, queued
):
    """A page left open for weeks still tried its emails: its token said when the list was shown, but had no age."""
    waiting = _email("waiting", to="waiting@school.example.org")
    url = reverse("cms_email_retry", args=[waiting.pk])
    with time_machine.travel(timezone.now() - EMAIL_LIST_MAX_AGE - timedelta(minutes=1)):
        day_old = _email_list_token()
    with time_machine.travel(timezone.now() - EMAIL_LIST_MAX_AGE + timedelta(minutes=1)):
        nearly_day_old = _email_list_token()

    refused = administrator_client.post(url, {"token": day_old, "state": "pending"}, follow=True)

    assert not queued.called
    assert refused.redirect_chain[0][0] == f"{REPORT}?state=pending#email-{waiting.pk}"
    assert _said(refused) == [
        "This list was out of date, so nothing was queued. Check the email is still listed below and choose Try "
        "again now once more"
    ]
    (entry,) = AuditEntry.objects.filter(action=SiteEvent.EMAIL_RETRY_REFUSED)
    assert entry.actor.groups.filter(name="Portal administrator").exists()
    assert (entry.target_type, entry.target_id) == (
        ContentType.objects.get_for_model(EmailNotification),
        str(waiting.pk),
    )
    assert entry.data == {"refused": "out_of_date"} and entry.reason == ""
    assert not AuditEntry.objects.filter(action=SiteEvent.EMAIL_RETRIED).exists()
    # A list shown less than a day ago still tries it.
    administrator_client.post(url, {"token": nearly_day_old})
    assert queued.call_count == 1 and AuditEntry.objects.filter(action=SiteEvent.EMAIL_RETRIED).count() == 1


def test_a_try_of_an_email_the_list_did_not_show_is_a_404_audited_by_ids_only(administrator_client, queued):
    sent = _email("sent-yesterday", to="sent@school.example.org", hours_ago=26)
    _sent(sent, hours_ago=25)
    staff = _email("staff", to="caseworker@council.example.org", team=False)  # the superuser's list alone shows it
    _email("waiting", to="waiting@school.example.org")  # its form carries the list's token
    token = _token(administrator_client)

    for pk in (sent.pk, staff.pk, 999999):
        assert administrator_client.post(reverse("cms_email_retry", args=[pk]), {"token": token}).status_code == 404

    assert not queued.called
    assert _refusals() == [(str(pk), {"refused": "not_listed"}) for pk in (999999, staff.pk, sent.pk)]
    written = " ".join(f"{e.data} {e.reason}" for e in AuditEntry.objects.all())
    assert "school.example.org" not in written and "council.example.org" not in written
    # The log says why in words.
    entry = AuditEntry.objects.filter(action=SiteEvent.EMAIL_RETRY_REFUSED).first()
    inspect = administrator_client.get(reverse("audit_log:inspect", args=[entry.pk])).content.decode()
    assert "Refused: Not on their list" in inspect and "Email not tried again: refused" in inspect


# --- Whose emails ------------------------------------------------------------------------------------------------


def test_a_portal_administrator_sees_and_tries_again_only_the_emails_to_team_accounts(
    administrator_client, role_groups, queued
):
    """The role manages team accounts and no staff account (README's roles): a caseworker's password reset, or an
    email to an address no account has, is the superuser's to see."""
    caseworker = staff_in_group("SEND caseworker", email="caseworker@council.example.org")
    staff_email = _email("staff-reset", to=caseworker.email, hours_ago=2, subject="Password reset")
    _email("nobody", to="nobody@elsewhere.example.org", hours_ago=1, team=False)
    _email("team", to="senco@school.example.org")

    page = administrator_client.get(REPORT)
    token = _token(administrator_client)
    retry = administrator_client.post(reverse("cms_email_retry", args=[staff_email.pk]), {"token": token})

    assert [row[1] for row in _rows(page)] == ["senco@school.example.org"]
    assert "caseworker@council.example.org" not in page.content.decode()
    assert "Those to staff (a password reset, a notice to a caseworker) are" in page.content.decode()
    assert retry.status_code == 404
    assert not queued.called


def test_the_superuser_sees_and_tries_again_every_email(verified_admin_client, role_groups, requests_commit, queued):
    caseworker = staff_in_group("SEND caseworker", email="caseworker@council.example.org")
    staff_email = _email("staff-reset", to=caseworker.email, hours_ago=2, subject="Password reset")
    _email("nobody", to="nobody@elsewhere.example.org", hours_ago=1, team=False)
    _email("team", to="senco@school.example.org")

    page = verified_admin_client.get(REPORT)
    token = _token(verified_admin_client)
    retry = verified_admin_client.post(reverse("cms_email_retry", args=[staff_email.pk]), {"token": token})

    assert [row[1] for row in _rows(page)] == [
        "senco@school.example.org",
        "nobody@elsewhere.example.org",
        "caseworker@council.example.org",
    ]
    assert "are listed for superusers only" not in page.content.decode()
    assert retry.status_code == 302
    assert [c.args for c in queued.call_args_list] == [("cms.tasks.email_notification_send", staff_email.pk)]


def test_a_post_without_the_forms_token_queues_nothing(administrator_client, queued):
    waiting = _email("waiting")

    response = administrator_client.post(reverse("cms_email_retry", args=[waiting.pk]), {"token": "x"}, follow=True)

    assert not queued.called
    assert _said(response) == [EMAIL_LIST_OUT_OF_DATE]


def test_try_again_now_answers_only_a_post(administrator_client, queued):
    waiting = _email("waiting")

    assert administrator_client.get(reverse("cms_email_retry", args=[waiting.pk])).status_code == 405
    assert not queued.called


def test_a_portal_administrator_group_made_before_the_report_is_given_its_permission(role_groups):
    """portal_pages 0018: the group migrations made earlier gains the permission; no other role does."""
    permission = Permission.objects.get(content_type__app_label="cms", codename="view_emailnotification")
    administrators = Group.objects.get(name="Portal administrator")
    administrators.permissions.remove(permission)

    emails_not_sent_viewers_ensure(apps)

    assert administrators.permissions.filter(pk=permission.pk).exists()
    assert list(permission.group_set.values_list("name", flat=True)) == ["Portal administrator"]


def test_an_error_is_shown_as_its_last_exception_says_it_without_the_traceback():
    stored = (
        "timed out : Traceback (most recent call last):\n"
        '  File "/srv/portal/cms/services.py", line 170, in email_notification_send\n'
        "    send_mail(notification.subject, notification.body, None, [notification.to])\n"
        "ConnectionRefusedError: [Errno 111] Connection refused\n"
        "\n"
        "During handling of the above exception, another exception occurred:\n"
        "\n"
        "Traceback (most recent call last):\n"
        '  File "/usr/lib/python3.11/socket.py", line 836, in create_connection\n'
        "TimeoutError: timed out\n"
    )

    assert task_error_words(stored) == "TimeoutError: timed out"
    assert task_error_words("SMTPSenderRefused: (553, b'refused')\n") == "SMTPSenderRefused: (553, b'refused')"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite takes one writer at a time and has no FOR UPDATE")
def test_try_again_now_locks_the_email_before_it_looks_for_the_same_forms_earlier_post(superuser, queued):
    """Two posts of one form at once (a double click) each wait for the other's lock: the second finds the first's
    entry and queues nothing."""
    waiting = _email("waiting")

    with CaptureQueriesContext(connection) as queries:
        email_notification_retry(notification_id=waiting.pk, form_token=uuid.uuid4().hex, actor=superuser)

    sql = [query["sql"] for query in queries]
    locked = next(
        i for i, statement in enumerate(sql) if "FOR UPDATE" in statement and "cms_emailnotification" in statement
    )
    looked = next(i for i, statement in enumerate(sql) if 'FROM "cms_auditentry"' in statement)
    assert locked < looked
