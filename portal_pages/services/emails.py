"""What the portal's emails share: the service's name and contact details, absolute links, sending one, and sending
an account a signed link.

Every email goes through the outbox (cms.services.email_notification_queue): a row written with the request's
writes, sent by a worker after the transaction commits, so a mail server that refuses or hangs never fails or holds
the request, and what one request does no longer depends on whether an email goes out.
Emails carry no personal data about a child; never a password or a code.
"""

import uuid

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import salted_hmac
from wagtail.models import Site

from cms.emails import email_text_render
from cms.models import PortalSettings
from cms.services import email_notification_queue
from portal_pages.tokens import account_token_make


def _portal_settings():
    site = Site.objects.filter(is_default_site=True).first()
    return PortalSettings.for_site(site) if site else None


def support_email() -> str:
    """The support address set in the portal settings, or "" when none is: for words telling someone to write to it,
    which are left out without one (service_contact's falls back to the sending address, often a no-reply one)."""
    return getattr(_portal_settings(), "support_email", "") or ""


def service_contact() -> dict:
    """Where the emails and pages send people for help: the default site's portal settings."""
    portal_settings = _portal_settings()
    return {
        "council_name": getattr(portal_settings, "council_name", "") or "the council",
        "service_name": getattr(portal_settings, "service_name", "") or "SEND Professional Portal",
        "support_email": getattr(portal_settings, "support_email", "") or settings.DEFAULT_FROM_EMAIL,
        "phone": getattr(portal_settings, "phone", ""),
    }


def absolute_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def email_queue(*, to: str, subject: str, body: str, kind: str, user=None, once_for: str = "") -> None:
    """Put one account email in the outbox, sent by a worker once the transaction commits.

    Its key names the kind of email and the account (its id, or a keyed hash of the address when there is no
    account to hand), never the address or a name, and ends in a random part: each call is an email of its own.
    With ``once_for`` (what one request queued, unique to it) its key is ``email_once_key``'s instead, so a task
    django-q2 runs twice for the same request puts one email in the outbox.
    """
    if once_for:
        key = email_once_key(once_for)
    else:
        recipient = (
            f"user-{user.pk}"
            if user is not None
            else "address-" + salted_hmac("portal_pages.emails", to.lower()).hexdigest()[:16]
        )
        key = f"account:{kind}:{recipient}:{uuid.uuid4().hex}"
    email_notification_queue(key=key, to=to, subject=subject, body=body)


def once_hash(once_for: str) -> str:
    """A keyed hash of the request ``once_for`` names, showing nothing it hashed: what its email's outbox key and its
    audit entry (``password_resets``) carry, so a second run of its task finds the request answered."""
    return salted_hmac("portal_pages.emails.once", once_for).hexdigest()[:32]


def email_once_key(once_for: str) -> str:
    """The outbox key of the one email the request ``once_for`` names sends: its ``once_hash`` alone, so a second
    run of its task finds it whichever email that run would choose (the account's state may have moved since)."""
    return "account:once:" + once_hash(once_for)


def email_send(*, to: str, subject: str, template: str, context: dict, once_for: str = "") -> None:
    """Send ``portal_pages/emails/<template>.txt``, with the service's contact details in its context, through the
    outbox (after the transaction commits); ``once_for`` as ``email_queue`` takes it."""
    body = email_text_render(f"portal_pages/emails/{template}.txt", {**service_contact(), **context})
    email_queue(to=to, subject=subject, body=body, kind=template, user=context.get("user"), once_for=once_for)


def link_email_send(
    *, user, purpose: str, url_name: str, subject: str, template: str, once_for: str = "", **context
) -> None:
    """Email the account a signed single-use link (verify, invite, reset) to ``url_name``; ``once_for`` as
    ``email_queue`` takes it."""
    token = account_token_make(user=user, purpose=purpose)
    email_send(
        to=user.email,
        subject=subject,
        template=template,
        context={"user": user, "url": absolute_url(reverse(url_name, args=[token])), **context},
        once_for=once_for,
    )
