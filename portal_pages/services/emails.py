"""What the portal's emails share: the service's name and contact details, absolute links, and sending one.

Emails carry no personal data about a child; never a password or a code.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from wagtail.models import Site

from cms.models import PortalSettings


def service_contact() -> dict:
    """Where the emails and pages send people for help: the default site's portal settings."""
    site = Site.objects.filter(is_default_site=True).first()
    portal_settings = PortalSettings.for_site(site) if site else None
    return {
        "council_name": getattr(portal_settings, "council_name", "") or "the council",
        "service_name": getattr(portal_settings, "service_name", "") or "SEND Professional Portal",
        "support_email": getattr(portal_settings, "support_email", "") or settings.DEFAULT_FROM_EMAIL,
        "phone": getattr(portal_settings, "phone", ""),
    }


def absolute_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def email_send(*, to: str, subject: str, template: str, context: dict) -> None:
    """Send ``portal_pages/emails/<template>.txt`` with the service's contact details in its context."""
    body = render_to_string(f"portal_pages/emails/{template}.txt", {**service_contact(), **context})
    send_mail(subject, body, None, [to])
