"""Writes shared by every app, and the guidance pages' publication records and review reminders."""

import calendar
import io
import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_q.conf import Conf
from django_q.tasks import async_task

from cms.choices import ChangeKind
from cms.circuit_breaker import task_queue_breaker
from cms.client_addresses import client_ip
from cms.formats import govuk_date
from cms.models import AuditEntry, EmailNotification, PageChangeNote
from cms.redis_cache import OUTAGE
from cms.selectors import email_send_task_name, pages_due_for_review, review_owners

logger = logging.getLogger(__name__)


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
    ip_address: str | None = None,
    commit: bool = True,
) -> AuditEntry:
    """Write one audit entry (``commit=False``: make it unsaved, for ``audit_records_write``). Callers pass ids and
    states, never special-category data or secrets: ``reason`` and ``data`` never carry free text written about a
    child (a reason on casework is kept on the casework row). The entry's IP address is the request's client
    (``client_ip``), or ``ip_address`` for a task run for one.

    ``action`` is a member of an app's one list of events (portal_pages.events, advice_forms.events), never a
    string written at the call; each list is registered for the audit log through the ``register_audit_events``
    hook.
    """
    actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    ip_address = client_ip(request) if request is not None else ip_address
    states = {"from_state": from_state, "to_state": to_state}
    entry = AuditEntry(action=action, actor=actor, reason=reason, ip_address=ip_address, data=data or {}, **states)
    if target is not None:
        entry.target = target
    if commit:
        entry.save()
    return entry


def audit_records_write(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Write entries made by ``audit_record(commit=False)`` in one query whatever their number (a role group deleted:
    one entry for each account that held it)."""
    return AuditEntry.objects.bulk_create(entries)


def email_notification_queue(*, key: str, to: str, subject: str, body: str) -> EmailNotification:
    """Record an email to send once for ``key`` and queue its sending after the transaction commits.

    Queuing the same key again returns the existing notification and queues nothing.
    """
    with transaction.atomic():
        notification, created = EmailNotification.objects.get_or_create(
            key=key, defaults={"to": to, "subject": subject, "body": body}
        )
        if created:
            transaction.on_commit(lambda: email_notification_enqueue(notification.pk))
    return notification


def task_enqueue(func: str, *args, task_name: str, refused: str = "it is left for a later run", **kwargs) -> bool:
    """Queue a django-q2 task (``kwargs``: the task's keyword arguments); False, with a warning logged (ending with
    ``refused``: what becomes of the work), when the task queue (Redis) does not take it.

    Callers queue after commit work whose row is already in the database, so a queue that is down loses nothing:
    a sweep or a later request finds the row again. The request that queued it still succeeds, and after Redis has
    failed to answer, requests skip it for a while rather than wait for it each (cms.circuit_breaker). (With the
    tests' synchronous queue the task runs here, and its failure is logged the same way.)
    """
    # A synchronous queue (the tests') runs the task here: its failures are the task's, not the queue's.
    breaker = None if Conf.SYNC else task_queue_breaker()
    if breaker is not None and not breaker.allows():
        logger.warning("Task %s was not queued (the task queue is unreachable); %s", task_name, refused)
        return False
    try:
        async_task(func, *args, task_name=task_name, **kwargs)
    except Exception as error:  # noqa: BLE001 - any broker failure (connection, timeout) leaves the row for the sweep
        if breaker is not None and isinstance(error, OUTAGE):
            breaker.failed(error)
        logger.warning("Task %s was not queued (%s: %s); %s", task_name, type(error).__name__, error, refused)
        return False
    if breaker is not None:
        breaker.succeeded()
    return True


def email_notification_enqueue(notification_id: int) -> None:
    task_enqueue("cms.tasks.email_notification_send", notification_id, task_name=email_send_task_name(notification_id))


def email_notification_send(*, notification_id: int) -> bool:
    """Send a pending notification and mark it sent; True when this call sent it, False when already sent (or given
    up).

    The row stays locked while the mail server takes the message, so two workers never send it both; if this
    process dies first, the transaction rolls back and the notification stays pending for the next attempt.
    """
    with transaction.atomic():
        notification = EmailNotification.objects.select_for_update().get(pk=notification_id)
        if notification.state != EmailNotification.State.PENDING:  # sent, or given up
            return False
        send_mail(notification.subject, notification.body, None, [notification.to], fail_silently=False)
        notification.state = EmailNotification.State.SENT
        notification.sent_at = timezone.now()
        notification.save(update_fields=["state", "sent_at"])
    return True


def email_notifications_requeue(*, older_than_seconds: int = 120) -> int:
    """Queue again every notification still pending after ``older_than_seconds``; returns how many.

    Redis hands a task to one worker and forgets it, so a worker stopped mid-task would lose it, and an email
    recorded while Redis was down was never queued; this sweep (scheduled every minute) finds both again.
    Sending is idempotent, so a sweep that races a slow worker is harmless. One still pending
    ``PORTAL_EMAIL_GIVE_UP_HOURS`` after it was made (an address the mail server always refuses, a message it
    cannot take) is given up instead of tried every minute for ever: its body is blanked and an error logged with
    its id alone.
    """
    now, hours = timezone.now(), settings.PORTAL_EMAIL_GIVE_UP_HOURS
    pending = EmailNotification.objects.filter(state=EmailNotification.State.PENDING)
    given_up = list(pending.filter(created_at__lte=now - timedelta(hours=hours)).values_list("pk", flat=True))
    if given_up:
        pending.filter(pk__in=given_up).update(state=EmailNotification.State.GIVEN_UP, body="")
        logger.error("Email notifications not sent in %s hours are given up: %s", hours, given_up)
    ids = list(pending.filter(created_at__lte=now - timedelta(seconds=older_than_seconds)).values_list("pk", flat=True))
    for notification_id in ids:
        email_notification_enqueue(notification_id)
    return len(ids)


REVIEW_AFTER_MONTHS = 6


def review_date_after(day):
    """The default review date of a page published on ``day``: 6 months on (the last day of a shorter month)."""
    index = day.month - 1 + REVIEW_AFTER_MONTHS
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def guidance_page_published(*, page, revision) -> None:
    """After a guidance page is published: its first publication and each major change go into its public change
    history and move "Last updated"; a page without a review date gets one 6 months on. A minor change moves neither.
    """
    now = page.last_published_at or timezone.now()
    first_publication = not PageChangeNote.objects.filter(page_id=page.pk).exists()
    major = page.change_kind == ChangeKind.MAJOR and page.change_note.strip()
    if first_publication or major:
        note = "First published." if first_publication else page.change_note.strip()
        defaults = {"page_id": page.pk, "note": note, "published_at": now}
        if revision is None:
            PageChangeNote.objects.create(**defaults)
        else:
            PageChangeNote.objects.get_or_create(revision=revision, defaults=defaults)
    latest = PageChangeNote.objects.filter(page_id=page.pk).order_by("-published_at", "-pk").first()
    # The live page starts the next change as minor, so a publish from code (not the editor) repeats no note.
    updates = {"last_major_update_at": latest.published_at, "change_kind": ChangeKind.MINOR, "change_note": ""}
    if page.review_by is None:
        updates["review_by"] = review_date_after(timezone.localdate(now))
    # The publish has saved the page; these are the page's own, not the revision's (see with_content_json).
    type(page).objects.filter(pk=page.pk).update(**updates)
    for name, value in updates.items():
        setattr(page, name, value)


def review_reminders_send(*, today=None) -> int:
    """Email each owner the guidance pages they own that are past or near their review date: one email per person
    per week, naming only each page's title, its review date and its admin link. Returns how many were queued."""
    today = today or timezone.localdate()
    pages_by_person, people = {}, {}
    for page in pages_due_for_review(today=today):
        for person in review_owners(page):
            people[person.pk] = person
            pages_by_person.setdefault(person.pk, []).append(page)
    week = today.isocalendar()
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    for person_id, pages in pages_by_person.items():
        lines = [
            f"- {page.title}: review by {govuk_date(page.review_by)}" if page.review_by else f"- {page.title}: no date"
            for page in pages
        ]
        links = [f"  {base_url}/admin/pages/{page.pk}/edit/" for page in pages]
        body = "\n".join(
            [
                "These guidance pages you look after are due for review. Check that each is still true, then set",
                "its next review date (or publish it with the date left blank: 6 months on).",
                "",
                *[line for pair in zip(lines, links, strict=True) for line in pair],
                "",
                f"All pages due: {base_url}/admin/reports/due-for-review/",
            ]
        )
        email_notification_queue(
            key=f"review-reminder:{week.year}-W{week.week:02d}:user:{person_id}",
            to=people[person_id].email,
            subject=f"{len(pages)} guidance page{'s' if len(pages) != 1 else ''} due for review",
            body=body,
        )
    return len(pages_by_person)


def guidance_pages_backfill(apps, app_label: str, model_names: list[str]) -> None:
    """For a migration that gives guidance pages owners, review dates and change notes: pages published before
    keep their "Last updated" (their last publication) and get a review date 6 months after it, and every page stays
    listed in its section ("Show in menus" did nothing until then)."""
    for model_name in model_names:
        model = apps.get_model(app_label, model_name)
        model.objects.update(show_in_menus=True)
        for page in model.objects.filter(live=True, last_published_at__isnull=False):
            published = timezone.localtime(page.last_published_at).date()
            model.objects.filter(pk=page.pk).update(
                last_major_update_at=page.last_published_at, review_by=review_date_after(published)
            )


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
