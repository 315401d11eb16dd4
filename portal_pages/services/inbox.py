"""The portal inbox: a message to a team account, and the email that says one is waiting."""

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from cms.services import email_notification_queue
from portal_pages.models import InboxMessage, User
from portal_pages.services.emails import absolute_url, service_contact


def inbox_message_send(*, account: User, subject: str, body: str, event_key: str, advice_request=None):
    """Put a message in a team account's portal inbox and email the account that a message is waiting.

    ``body`` may name the child: it is shown only behind sign-in and two-factor codes. The email never does:
    it says only that a message is waiting, with a link. ``event_key`` (e.g. ``request-shared:12``) names the
    event, so calling this twice (a retried task, a double click) gives one message and one email.
    """
    with transaction.atomic():
        message, created = InboxMessage.objects.get_or_create(
            event_key=event_key,
            defaults={"account": account, "subject": subject, "body": body, "advice_request": advice_request},
        )
        if created:
            contact = service_contact()
            email_notification_queue(
                key=f"inbox:{event_key}",
                to=account.email,
                subject=f"You have a new message in the {contact['service_name']}",
                body=render_to_string(
                    "portal_pages/emails/new_message.txt",
                    {**contact, "inbox_url": absolute_url(reverse("portal:dashboard"))},
                ),
            )
    return message
