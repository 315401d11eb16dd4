"""Telling a child's co-ordinator of something a team account did that waits in the admin: an email that names
the page to look at, never the child."""

from django.urls import reverse

from advice_forms.selectors import coordinator_does_casework
from cms.emails import email_text_render
from cms.services import email_notification_queue
from portal_pages.services.emails import absolute_url, service_contact


def coordinator_notify(*, child, key: str, news: str, template: str, admin_url_name: str) -> None:
    """Email the child's co-ordinator (or the service's address when none is allocated, or the one allocated can no
    longer do casework: selectors.coordinator_does_casework) that a team account did something waiting in the admin
    (``news``, e.g. "asked for access to a document"), with a link to the admin page ``admin_url_name``: never a
    child's details."""
    contact = service_contact()
    told = coordinator_does_casework(child) and child.coordinator.email
    to = child.coordinator.email if told else contact["support_email"]
    email_notification_queue(
        key=key,
        to=to,
        subject=f"A team account {news} in the {contact['service_name']}",
        body=email_text_render(
            f"advice_forms/emails/{template}.txt", {**contact, "admin_url": absolute_url(reverse(admin_url_name))}
        ),
    )
