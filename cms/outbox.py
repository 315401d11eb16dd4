"""The email outbox as its administrators work it (Reports → Emails not sent): an email still waiting, tried again
now. Sending stays the worker's (cms.tasks.email_notification_send): this only queues that task at once, rather than
at the next minute's sweep."""

import enum

from django.db import models, transaction

from cms.events import SiteEvent
from cms.models import AuditEntry, EmailNotification
from cms.services import audit_record, email_notification_enqueue


class Retry(enum.StrEnum):
    QUEUED = "queued"
    QUEUED_ALREADY = "queued_already"  # this form was posted before (a double click): nothing more queued
    SENT = "sent"  # sent since the list was read
    GIVEN_UP = "given_up"  # its body is blank: there is nothing to send


class RetryRefused(models.TextChoices):
    """Why a "Try again now" was refused, as its audit entry keeps it."""

    NOT_LISTED = "not_listed", "Not on their list"
    OUT_OF_DATE = "out_of_date", "Their list was out of date"
    NOT_THE_LISTS = "not_the_lists", "The form did not come from their list"


def email_notification_retry(*, notification_id: int, form_token: str, actor, request=None) -> Retry:
    """Queue the sending of a pending email now, after the transaction commits, audited (the email's id alone).

    Once for each ``form_token`` (the list's form carries a new one each time it is shown): the same form posted
    again, by a double click or a browser that sends it twice, queues nothing new. The row stays locked while this
    checks and records, so two such posts at once queue one send. An email sent or given up meanwhile is left as it
    is, and the answer says which."""
    with transaction.atomic():
        notification = EmailNotification.objects.select_for_update().get(pk=notification_id)
        if notification.state != EmailNotification.State.PENDING:
            return Retry(notification.state)
        earlier = AuditEntry.objects.filter(
            action=SiteEvent.EMAIL_RETRIED, target_id=str(notification.pk), data__form_token=form_token
        )
        if earlier.exists():
            return Retry.QUEUED_ALREADY
        audit_record(
            action=SiteEvent.EMAIL_RETRIED,
            actor=actor,
            target=notification,
            request=request,
            data={"form_token": form_token},
        )
        transaction.on_commit(lambda: email_notification_enqueue(notification.pk))
    return Retry.QUEUED


def email_notification_retry_refused(*, notification_id: int, why: RetryRefused, actor, request=None) -> None:
    """Audit a "Try again now" refused (an id the list did not show, or a list out of date) by the ids alone: the
    email's, which may not exist or be one ``actor`` may not see, and never its address."""
    audit_record(
        action=SiteEvent.EMAIL_RETRY_REFUSED,
        actor=actor,
        target=EmailNotification(pk=notification_id),
        request=request,
        data={"refused": why.value},
    )
