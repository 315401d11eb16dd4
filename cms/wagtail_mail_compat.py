"""The one place where Wagtail's notifications to staff are made to go through the outbox, as every email of the
portal does (cms.services.email_notification_queue).

Wagtail 7.4's ``wagtail.admin.mail`` (a page or snippet submitted for moderation, approved or rejected, a comment on
it) opens a connection to the mail server with ``get_connection()`` and sends during the editor's request. With the
mail server refusing, it logged "Failed to send notification email '<subject>' to <address>" (an address in the log)
and the email was lost; with one that never answered, the editor's "Submit for moderation" waited ``EMAIL_TIMEOUT``.
``apply`` gives that module a connection that puts each message in the outbox instead: a row per recipient, sent by
a worker after the request commits, tried again until it goes or is given up. The text is kept; Wagtail's HTML
alternative (``WAGTAILADMIN_NOTIFICATION_USE_HTML``, off here) is not.

It also keeps a superuser to one email for a page sent for approval. Wagtail sends two: the approvers' (its
``task_submitted`` notifier, to the task's group and every superuser) and a second about the same event to every
superuser alone (its ``workflow_submitted`` notifier, connected under ``WORKFLOW_SUBMITTED_UID``; it even goes to a
superuser who sent the page themselves). ``apply`` takes that second one away, and holds its uid, as Django connects
no second receiver under a uid already held, whether Wagtail's admin app is made ready before or after ``cms``.
The words of the emails are ours: cms/templates/wagtailadmin/notifications/.

tests/cms/test_wagtail_mail_compat.py fails when Wagtail stops reaching the mail server through that name, and
tests/cms/test_workflow_emails.py when a superuser gets the second email again.
"""

import uuid

from django.core.mail.backends.base import BaseEmailBackend

WORKFLOW_SUBMITTED_UID = "workflow_state_submitted_email_notification"


class OutboxConnection(BaseEmailBackend):
    """A mail connection whose messages go to the outbox: opening and closing it reach no server."""

    def send_messages(self, email_messages):
        from cms.services import email_notification_queue

        for message in email_messages:
            for to in message.recipients():
                # The key names no address: the notification's own random part makes each a row of its own.
                key = f"wagtail-notification:{uuid.uuid4().hex}"
                email_notification_queue(key=key, to=to, subject=message.subject, body=message.body)
        return len(email_messages)


def outbox_connection(*args, **kwargs):
    return OutboxConnection(fail_silently=bool(kwargs.get("fail_silently")))


def superusers_told_by_the_approvers_email(sender, **kwargs):
    """Held under Wagtail's uid for its second email on a submission: the approvers' email reaches superusers."""


def apply():
    from wagtail.admin import mail
    from wagtail.models import WorkflowState
    from wagtail.signals import workflow_submitted

    mail.get_connection = outbox_connection
    workflow_submitted.disconnect(sender=WorkflowState, dispatch_uid=WORKFLOW_SUBMITTED_UID)
    workflow_submitted.connect(
        superusers_told_by_the_approvers_email, sender=WorkflowState, dispatch_uid=WORKFLOW_SUBMITTED_UID
    )
