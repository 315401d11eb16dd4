"""Writes shared by every app."""

import functools
import io
import ipaddress
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task

from cms.models import AuditEntry, EmailNotification


@functools.lru_cache(maxsize=4)
def _trusted_networks(proxies: tuple[str, ...]) -> tuple:
    try:
        return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies if proxy.strip())
    except ValueError as error:
        raise ImproperlyConfigured(f"PORTAL_TRUSTED_PROXIES: {error}") from error


def _address(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_ip(request):
    """The client's address, for the rate limits, django-axes (AXES_CLIENT_IP_CALLABLE) and the audit log.

    REMOTE_ADDR, unless it is one of PORTAL_TRUSTED_PROXIES: then the right-most X-Forwarded-For address that is
    not itself a trusted proxy, i.e. the address the outermost trusted proxy saw. Entries further left are
    written by the client and could be forged, so they are never used.
    """
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    networks = _trusted_networks(tuple(settings.PORTAL_TRUSTED_PROXIES))
    remote_address = _address(remote or "")
    if not networks or remote_address is None or not any(remote_address in net for net in networks):
        return remote
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(hop)
        if address is None:
            return remote  # a trusted proxy wrote something that is not an address: trust nothing further
        if not any(address in net for net in networks):
            return str(address)
    return remote


def audit_record(
    *,
    action: str,
    actor=None,
    target=None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    request=None,
    data: dict | None = None,
) -> AuditEntry:
    """Write one audit entry. Callers pass ids and states, never special-category data or secrets.

    ``action`` is a member of an app's one list of events (portal_pages.events, advice_forms.events), never a
    string written at the call; each list is registered for the audit log through the ``register_audit_events``
    hook.
    """
    actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    entry = AuditEntry(
        action=action,
        actor=actor,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        ip_address=client_ip(request),
        data=data or {},
    )
    if target is not None:
        entry.target = target
    entry.save()
    return entry


def email_notification_queue(*, key: str, to: str, subject: str, body: str) -> EmailNotification:
    """Record an email to send once for ``key`` and queue its sending after the transaction commits.

    Queuing the same key again returns the existing notification and queues nothing.
    """
    with transaction.atomic():
        notification, created = EmailNotification.objects.get_or_create(
            key=key, defaults={"to": to, "subject": subject, "body": body}
        )
        if created:
            transaction.on_commit(lambda: _email_notification_enqueue(notification.pk))
    return notification


def _email_notification_enqueue(notification_id: int) -> None:
    async_task(
        "cms.tasks.email_notification_send",
        notification_id,
        task_name=f"email-notification-{notification_id}",
    )


def email_notification_send(*, notification_id: int) -> bool:
    """Send a pending notification and mark it sent; True when this call sent it, False when already sent.

    The row stays locked while the mail server takes the message, so two workers never send it both; if this
    process dies first, the transaction rolls back and the notification stays pending for the next attempt.
    """
    with transaction.atomic():
        notification = EmailNotification.objects.select_for_update().get(pk=notification_id)
        if notification.state == EmailNotification.State.SENT:
            return False
        send_mail(notification.subject, notification.body, None, [notification.to], fail_silently=False)
        notification.state = EmailNotification.State.SENT
        notification.sent_at = timezone.now()
        notification.save(update_fields=["state", "sent_at"])
    return True


def email_notifications_requeue(*, older_than_seconds: int = 120) -> int:
    """Queue again every notification still pending after ``older_than_seconds``; returns how many.

    Redis hands a task to one worker and forgets it, so a worker stopped mid-task would lose it; this sweep
    (scheduled every minute) finds it again. Sending is idempotent, so a sweep that races a slow worker is harmless.
    """
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    ids = list(
        EmailNotification.objects.filter(state=EmailNotification.State.PENDING, created_at__lte=cutoff).values_list(
            "pk", flat=True
        )
    )
    for notification_id in ids:
        _email_notification_enqueue(notification_id)
    return len(ids)


PUBLISH_SCHEDULED_LOCK = "cms:publish-scheduled"


def pages_publish_scheduled() -> bool:
    """Run Wagtail's ``publish_scheduled``: publish every page and snippet revision whose go-live time has passed,
    unpublish whatever has expired. True when this call ran it, False when another worker was running it.

    Each run finds only what is still due, so running it twice in a row is harmless; the lock (in the shared cache
    when REDIS_URL is set) keeps two workers from publishing the same revision at once.
    """
    if not cache.add(PUBLISH_SCHEDULED_LOCK, "running", timeout=settings.Q_CLUSTER["timeout"]):
        return False
    try:
        call_command("publish_scheduled", stdout=io.StringIO())
    finally:
        cache.delete(PUBLISH_SCHEDULED_LOCK)
    return True
