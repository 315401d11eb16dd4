"""The one place where Wagtail's notifications to staff are made to go through the outbox, as every email of the
portal does (cms.services.email_notification_queue).

Wagtail 7.4's ``wagtail.admin.mail`` (a page or snippet submitted for moderation, approved or rejected, a comment on
it) opens a connection to the mail server with ``get_connection()`` and sends during the editor's request. With the
mail server refusing, it logged "Failed to send notification email '<subject>' to <address>" (an address in the log)
and the email was lost; with one that never answered, the editor's "Submit for moderation" waited ``EMAIL_TIMEOUT``.
``apply`` gives that module a connection that puts each message in the outbox instead: a row per recipient, sent by
a worker after the request commits, tried again until it goes or is given up. The text is kept; Wagtail's HTML
alternative (``WAGTAILADMIN_NOTIFICATION_USE_HTML``, off here) is not.

tests/cms/test_wagtail_mail_compat.py fails when Wagtail stops reaching the mail server through that name.
"""

import uuid

from django.core.mail.backends.base import BaseEmailBackend


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


def apply():
    from wagtail.admin import mail

    mail.get_connection = outbox_connection
