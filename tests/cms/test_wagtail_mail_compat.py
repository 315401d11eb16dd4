"""Wagtail's notifications to staff go through the outbox (cms/wagtail_mail_compat.py): an editor's "Submit to
Guidance approval" with the mail server refusing neither logs an address nor loses the approvers' email, and the
request reaches no mail server; the worker sends it when the server is back."""

import inspect
import logging

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from wagtail.admin import mail as wagtail_mail

from cms.models import EmailNotification
from cms.services import email_notifications_requeue
from portal_pages.roles import GUIDANCE_APPROVERS
from tests.cms.guidance_admin import GUIDANCE_PAGE_FIELDS
from tests.factories.accounts import staff_in_group, verified_login
from tests.factories.cms import HelpPageFactory
from tests.portal_pages.test_email_outbox import LOCMEM

pytestmark = pytest.mark.django_db


def test_wagtail_still_reaches_the_mail_server_through_the_name_the_patch_replaces():
    """When this fails, Wagtail sends its notifications another way: cms/wagtail_mail_compat.py no longer applies."""
    assert "get_connection()" in inspect.getsource(wagtail_mail.send_notification)
    assert "get_connection()" in inspect.getsource(wagtail_mail.EmailNotificationMixin.send_emails)


def test_a_page_sent_for_approval_puts_the_approvers_email_in_the_outbox(
    home_page, role_groups, settings, caplog, django_capture_on_commit_callbacks
):
    page = HelpPageFactory(parent=home_page, title="Signing in", slug="signing-in", intro="Old words.")
    page.save_revision().publish()
    editor = verified_login(Client(), staff_in_group("Content editor"))
    approver = staff_in_group(GUIDANCE_APPROVERS)
    settings.EMAIL_BACKEND = "tests.portal_pages.test_email_outbox.RefusingBackend"
    form = {"title": "Signing in", "slug": "signing-in", "intro": "New words.", "body-count": "0"}

    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            reverse("wagtailadmin_pages:edit", args=[page.pk]),
            {**form, **GUIDANCE_PAGE_FIELDS, "action-submit": "action-submit"},
        )

    assert response.status_code == 302
    assert approver.email not in caplog.text and "Failed to send" not in caplog.text
    (notification,) = EmailNotification.objects.filter(to=approver.email)
    assert notification.state == EmailNotification.State.PENDING and "Signing in" in notification.subject
    assert approver.email not in notification.key
    assert mail.outbox == []

    settings.EMAIL_BACKEND = LOCMEM
    email_notifications_requeue(older_than_seconds=0)
    assert [email.to for email in mail.outbox] == [[approver.email]]
