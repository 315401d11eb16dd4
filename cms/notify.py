"""GOV.UK Notify as the email transport (EMAIL_TRANSPORT=notify): a Django email backend, so the outbox
(cms.services.email_notification_send) and everything else that sends mail use it unchanged, with the outbox's
retries: a send that Notify refuses or does not answer raises, the outbox row stays pending and the sweep queues it
again.

Every portal email goes through one Notify template whose subject is ``((subject))`` and whose body is
``((body))``: the message's own subject and plain-text body are its personalisation. Nothing else is sent.
"""

import logging

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from notifications_python_client.notifications import NotificationsAPIClient

logger = logging.getLogger(__name__)


class NotifyEmailBackend(BaseEmailBackend):
    def __init__(self, fail_silently=False, **kwargs):
        super().__init__(fail_silently=fail_silently)
        self.client = None

    def open(self):
        if self.client is None:
            self.client = NotificationsAPIClient(
                settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL, timeout=settings.EMAIL_TIMEOUT
            )
        return True

    def close(self):
        self.client = None

    def send_messages(self, email_messages):
        """Send each message to each of its recipients; returns how many messages were sent in full."""
        if not email_messages:
            return 0
        self.open()
        sent = 0
        for message in email_messages:
            try:
                for address in message.recipients():
                    self.client.send_email_notification(
                        email_address=address,
                        template_id=settings.NOTIFY_TEMPLATE_ID,
                        personalisation={"subject": message.subject, "body": message.body},
                    )
            except Exception as error:
                # The Notify client's error carries its status code and Notify's message, never the request body.
                logger.warning("GOV.UK Notify did not take an email: %s", error)
                if not self.fail_silently:
                    raise
                continue
            sent += 1
        return sent
