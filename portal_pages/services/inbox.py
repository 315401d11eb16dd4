"""The portal inbox: a message to a team account, the email that says one is waiting, and marking it read."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cms.emails import email_text_render
from cms.services import email_notification_queue
from portal_pages.models import InboxMessage, User
from portal_pages.services.emails import absolute_url, service_contact


def inbox_message_send(
    *,
    account: User,
    subject: str,
    body: str,
    event_key: str,
    link: str = "",
    link_text: str = "",
    email_news: str = "",
):
    """Put a message in a team account's portal inbox and email the account that a message is waiting.

        ``body`` may name the child: it is shown only behind sign-in and two-factor codes. The email never does:
        it says only that a message is waiting, with a link, and, where given, ``email_news``: a fixed phrase written
        in the code (e.g. "Advice you submitted has been accepted"), never a child's, a form's or a person's details
        and never text someone typed. ``link`` and ``link_text`` lead from the message to a portal page (the page checks
    who may see it). ``event_key`` (e.g. ``request-shared:12``) names the event, so calling this twice
        (a retried task, a double click) gives one message and one email. An account that cannot sign in
        (``User.can_sign_in``: switched off, dormant, ...) gets the message, read if it can sign in again, and no
        email: it would ask someone to open a portal they cannot open.
    """
    with transaction.atomic():
        message, created = InboxMessage.objects.get_or_create(
            event_key=event_key,
            defaults={"account": account, "subject": subject, "body": body, "link": link, "link_text": link_text},
        )
        if created and account.can_sign_in:
            contact = service_contact()
            waiting = f"a new message in the {contact['service_name']}"
            email_notification_queue(
                key=f"inbox:{event_key}",
                to=account.email,
                subject=f"{email_news}: you have {waiting}" if email_news else f"You have {waiting}",
                body=email_text_render(
                    "portal_pages/emails/new_message.txt",
                    {**contact, "news": email_news, "inbox_url": absolute_url(reverse("portal:dashboard"))},
                ),
            )
    return message


def inbox_message_read(*, message: InboxMessage) -> InboxMessage:
    """The account opened its message: marked read the first time, and that time is kept on later readings."""
    if message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
    return message
