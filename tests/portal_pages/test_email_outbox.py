"""Every email of an account (the portal's own, and the admin's "Forgotten password?") goes through the outbox: a row
written in the request and sent by a worker after the commit, so a mail server that refuses or never answers
neither fails the request nor loses the email, and the request makes no connection to it."""

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from cms.models import EmailNotification
from cms.services import email_notifications_requeue

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every connection."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


# Each door: its address, where it says "check your email", the email's subject and the link it carries.
DOORS = {
    "portal": ("/portal/password-reset/", "/portal/password-reset/check-your-email/", "Reset your password"),
    "admin": (
        "/admin/password_reset/",
        "/admin/password_reset/done/",
        "Reset your password for the SEND Professional Portal staff admin",
    ),
}


def _account(door, professional, superuser):
    return superuser if door == "admin" else professional


@pytest.mark.parametrize("door", DOORS)
def test_a_refusing_mail_server_neither_fails_a_reset_nor_loses_its_email(
    door, client, professional, superuser, settings, django_capture_on_commit_callbacks
):
    path, done, subject = DOORS[door]
    account = _account(door, professional, superuser)
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    client.raise_request_exception = False

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path, {"email": account.email})

    assert (response.status_code, response.get("Location")) == (302, done)
    assert client.get(done).status_code == 200
    notification = EmailNotification.objects.get(to=account.email)
    assert (notification.state, notification.subject) == (EmailNotification.State.PENDING, subject)
    assert notification.key.startswith("account:") and account.email not in notification.key
    assert len(notification.key) <= EmailNotification._meta.get_field("key").max_length
    assert mail.outbox == []

    # The mail server is back: the worker's sweep sends it.
    settings.EMAIL_BACKEND = LOCMEM
    assert email_notifications_requeue(older_than_seconds=0) == 1
    notification.refresh_from_db()
    assert notification.state == EmailNotification.State.SENT
    assert [(email.to, email.subject) for email in mail.outbox] == [([account.email], subject)]
    assert f"http://testserver{path}" in mail.outbox[0].body  # the reset link, in the door's own words


@pytest.mark.parametrize("door", DOORS)
def test_asking_for_a_reset_connects_to_no_mail_server_in_the_request(
    door, client, professional, superuser, django_capture_on_commit_callbacks
):
    path, done, subject = DOORS[door]
    account = _account(door, professional, superuser)

    with django_capture_on_commit_callbacks() as after_commit:
        response = client.post(path, {"email": account.email})

    assert (response.status_code, response.get("Location")) == (302, done)
    assert mail.outbox == []  # nothing sent while the request ran
    for callback in after_commit:
        callback()
    assert [(email.to, email.subject) for email in mail.outbox] == [([account.email], subject)]


def test_the_admins_reset_sends_nothing_to_a_professional(client, professional, requests_commit):
    """A professional's account signs in at the portal: the admin's reset sent it a link to set a password through a
    door it cannot use (the page looks the same as for anyone)."""
    response = client.post("/admin/password_reset/", {"email": professional.email})

    assert response.status_code == 302 and response["Location"] == "/admin/password_reset/done/"
    assert not EmailNotification.objects.filter(to=professional.email).exists()
    assert mail.outbox == []


def test_the_admins_reset_email_names_the_portal_and_how_long_its_link_lasts(client, superuser, requests_commit):
    """Wagtail's email said only "Please follow the link below to reset your password", naming no service, and
    "Password reset" as its subject: an email anyone could have sent."""
    client.post("/admin/password_reset/", {"email": superuser.email})

    (email,) = mail.outbox
    assert email.subject == "Reset your password for the SEND Professional Portal staff admin"
    assert "your account on the SEND Professional Portal staff admin" in email.body
    assert "It works once, for 3 days:" in email.body and "/admin/password_reset/confirm/" in email.body
    assert "If you did not ask for this, you can ignore this email" in email.body
