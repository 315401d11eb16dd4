"""The email outbox: each event's email is sent once, however often its task runs; staff can send a test email."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.utils import timezone

from cms.models import EmailNotification
from cms.services import email_notification_queue, email_notification_send, email_notifications_requeue
from tests.factories.accounts import StaffUserFactory, TOTPDeviceFactory, verified_login

pytestmark = pytest.mark.django_db


def _queue(key="request-shared:1:account:2"):
    return email_notification_queue(
        key=key, to="senco@school.example.org", subject="A message is waiting", body="Sign in to read it."
    )


def test_a_queued_email_is_sent_once_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = _queue()

    notification.refresh_from_db()
    assert notification.state == EmailNotification.State.SENT
    assert [m.to for m in mail.outbox] == [["senco@school.example.org"]]
    assert mail.outbox[0].subject == "A message is waiting"


def test_queuing_the_same_event_twice_sends_one_email(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _queue()
        second = _queue()

    assert first.pk == second.pk
    assert EmailNotification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_running_the_task_again_sends_nothing_more(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = _queue()

    assert email_notification_send(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


def test_an_email_still_not_sent_after_two_days_is_given_up_not_tried_every_minute_for_ever(
    settings, caplog, django_capture_on_commit_callbacks
):
    """An email the mail server always refused stayed pending with its body and was queued again every minute."""
    settings.PORTAL_EMAIL_GIVE_UP_HOURS = 48
    stuck, recent = _queue("never-sent"), _queue("still-trying")
    EmailNotification.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - timezone.timedelta(hours=49))
    EmailNotification.objects.filter(pk=recent.pk).update(created_at=timezone.now() - timezone.timedelta(hours=47))

    with caplog.at_level("ERROR", logger="cms.services"):
        assert email_notifications_requeue(older_than_seconds=120) == 1  # the recent one only

    stuck.refresh_from_db()
    assert (stuck.state, stuck.body, stuck.sent_at) == (EmailNotification.State.GIVEN_UP, "", None)
    [record] = [r for r in caplog.records if r.levelname == "ERROR"]
    assert str(stuck.pk) in record.getMessage() and "senco@" not in record.getMessage()
    # A task queued before it was given up sends nothing (it would have sent an empty body).
    assert email_notification_send(notification_id=stuck.pk) is False
    assert [m.subject for m in mail.outbox] == ["A message is waiting"]  # the recent one, sent by its requeue
    assert email_notifications_requeue(older_than_seconds=120) == 0


def test_the_sweep_queues_again_only_emails_left_pending(django_capture_on_commit_callbacks):
    pending = _queue("left-pending")  # its on-commit queueing never ran: as if the worker had died
    with django_capture_on_commit_callbacks(execute=True):
        _queue("sent-already")
    assert len(mail.outbox) == 1
    EmailNotification.objects.update(created_at=timezone.now() - timezone.timedelta(minutes=5))

    assert email_notifications_requeue(older_than_seconds=120) == 1

    pending.refresh_from_db()
    assert pending.state == EmailNotification.State.SENT
    assert len(mail.outbox) == 2
    assert email_notifications_requeue(older_than_seconds=0) == 0


def test_a_failed_send_leaves_the_email_pending(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.cms.test_email_notifications.RefusingBackend"
    notification = _queue()

    with pytest.raises(ConnectionRefusedError):
        email_notification_send(notification_id=notification.pk)

    notification.refresh_from_db()
    assert notification.state == EmailNotification.State.PENDING


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


def _form(client):
    page = client.get("/admin/send-test-email/")
    assert page.status_code == 200
    return re.search(r'name="token" value="([0-9a-f]{32})"', page.content.decode()).group(1)


def test_an_administrator_sends_a_test_email_once_even_when_posting_twice(
    verified_admin_client, superuser, django_capture_on_commit_callbacks
):
    token = _form(verified_admin_client)

    with django_capture_on_commit_callbacks(execute=True):
        first = verified_admin_client.post("/admin/send-test-email/", {"token": token}, follow=True)
        verified_admin_client.post("/admin/send-test-email/", {"token": token})

    assert f"A test email to {superuser.email} is queued" in first.content.decode()
    assert [m.to for m in mail.outbox] == [[superuser.email]]


def test_a_tampered_form_sends_nothing(verified_admin_client):
    response = verified_admin_client.post("/admin/send-test-email/", {"token": "not-a-token"}, follow=True)

    assert "The form had expired" in response.content.decode()
    assert not EmailNotification.objects.exists()
    assert mail.outbox == []


def test_a_token_with_a_new_line_after_it_is_refused(verified_admin_client):
    """The token is checked whole: "$" with ``match`` let a final new line through."""
    token = _form(verified_admin_client)

    response = verified_admin_client.post("/admin/send-test-email/", {"token": f"{token}\n"}, follow=True)

    assert "The form had expired" in response.content.decode()
    assert not EmailNotification.objects.exists()


def test_only_administrators_may_send_a_test_email(client, home_page):
    staff = StaffUserFactory()
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    TOTPDeviceFactory(user=staff)
    verified_login(client, staff)
    assert client.get("/admin/").status_code == 200  # signed in and verified: the admin opens

    response = client.post("/admin/send-test-email/", {"token": "0" * 32}, follow=True)

    # Wagtail answers a refusal in the admin by returning to the dashboard with its message.
    assert response.redirect_chain[-1][0] == "/admin/"
    assert "you do not have permission" in response.content.decode()
    assert not EmailNotification.objects.exists()
