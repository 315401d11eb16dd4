"""Due dates of advice requests: reminding team accounts of due and overdue advice (daily, and by a caseworker's
hand) and a caseworker's change of a due date. Each goes through the workflow table (advice_forms.workflow) for the
states it may happen in, and tells the account in its inbox, whose email names no child."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from advice_forms import workflow
from advice_forms.events import CaseworkEvent
from advice_forms.models import AdviceRequest
from advice_forms.selectors import last_reminder_by_hand, requests_due_soon_unreminded, requests_overdue_unreminded
from advice_forms.services.requests import request_inbox_link
from advice_forms.workflow import Action
from cms.formats import govuk_date, govuk_time, with_full_stop
from cms.services import audit_record
from portal_pages.services.inbox import inbox_message_send


def advice_requests_remind(*, today=None) -> dict:
    """Remind each editable request's account once, PORTAL_REMINDER_DAYS_BEFORE days before its due date (or
    later, if a run was missed, while it is still not due), and once on the first day it is overdue (or later).

    Safe to run twice: each reminder is a stamped field and an inbox event key. Returns counts sent.
    """
    today = today or timezone.localdate()
    soon_by = today + datetime.timedelta(days=settings.PORTAL_REMINDER_DAYS_BEFORE)
    return {
        "due_soon": _remind(
            requests_due_soon_unreminded(today=today, soon_by=soon_by), "reminded_due_soon_at", _due_soon
        ),
        "overdue": _remind(requests_overdue_unreminded(today=today), "reminded_overdue_at", _overdue),
    }


def _due_soon(advice_request) -> tuple[str, str, str]:
    """A due-soon reminder's subject, first paragraph and event key."""
    days, title = advice_request.days_left, advice_request.form_version.title
    return (
        f"Due in {days} day{'s' if days != 1 else ''}: {title}" if days else f"Due today: {title}",
        f"Your {title} for {advice_request.child_display_name} is due on {govuk_date(advice_request.due_date)}.",
        "request-due-soon",
    )


def _overdue(advice_request) -> tuple[str, str, str]:
    """An overdue reminder's subject, first paragraph and event key."""
    title = advice_request.form_version.title
    return (
        f"Overdue: {title}",
        f"Your {title} for {advice_request.child_display_name} was due on {govuk_date(advice_request.due_date)}. "
        "Please submit it as soon as you can, or contact the SEND service.",
        "request-overdue",
    )


def _remind(requests, stamp_field: str, reminder) -> int:
    """Send each of ``requests`` its ``reminder`` once, stamping ``stamp_field``; return how many were sent."""
    sent = 0
    for pk in requests.values_list("pk", flat=True):
        with transaction.atomic():
            advice_request = _lock_for_reminder(pk, stamp_field)
            if advice_request is None:
                continue
            subject, body, key = reminder(advice_request)
            inbox_message_send(
                account=advice_request.account,
                subject=subject,
                body=body,
                event_key=f"{key}:{advice_request.pk}:{advice_request.due_date.isoformat()}",
                **request_inbox_link(advice_request),
            )
            setattr(advice_request, stamp_field, timezone.now())
            advice_request.save(update_fields=[stamp_field])
            sent += 1
    return sent


def _lock_for_reminder(pk, stamp_field):
    """The request, locked, if it still needs this reminder (a concurrent run may have sent it)."""
    advice_request = (
        AdviceRequest.objects.select_for_update()
        .select_related("account", "form_version", "child")
        .filter(pk=pk, state__in=workflow.states_allowing(Action.REMIND), **{f"{stamp_field}__isnull": True})
        .first()
    )
    return advice_request


# A caseworker's reminder waits this long after the last one, so a double click (or two colleagues) sends one.
REMINDER_AGAIN_AFTER = datetime.timedelta(minutes=10)


def _lock_for(advice_request, *, action: str, actor):
    """The request's row, locked (two caseworkers at once wait for each other), if the workflow lets ``actor`` take
    ``action`` from its state now; else what workflow.transition_check raises."""
    locked = AdviceRequest.objects.select_for_update().select_related("account", "form_version", "child")
    locked = locked.get(pk=advice_request.pk)
    workflow.transition_check(action, state=locked.state, actor=actor, account_id=locked.account_id)
    return locked


@transaction.atomic
def advice_request_remind_now(*, advice_request, actor, request=None):
    """A caseworker reminds the team account now: the automatic reminder's inbox message (overdue, or due on its
    date), whose email says only that a message is waiting; audited with ids and dates. Refused (ValidationError, in
    words fit to show) when the account cannot sign in (``User.can_sign_in``: nothing is stored or sent), within
    REMINDER_AGAIN_AFTER of the last one (its audit entry, read under the request's lock), and, as
    workflow.transition_check says, when the request is no longer with the account or ``actor`` may not
    remind. Returns the request."""
    locked = _lock_for(advice_request, action=Action.REMIND_NOW, actor=actor)
    if not locked.account.can_sign_in:
        raise ValidationError(
            f"No reminder was sent: {locked.account.display_name} cannot sign in "
            f"({locked.account.cannot_sign_in_because}). Share the form with another team account"
        )
    now = timezone.now()
    last = last_reminder_by_hand(locked)
    if last is not None and now - last < REMINDER_AGAIN_AFTER:
        minutes = int(REMINDER_AGAIN_AFTER.total_seconds() // 60)
        raise ValidationError(
            f"A reminder was sent to {locked.account.display_name} at {govuk_time(last)}. You can send another "
            f"from {govuk_time(last + REMINDER_AGAIN_AFTER)}: one every {minutes} minutes at most."
        )
    overdue = locked.is_overdue
    subject, body, _key = (_overdue if overdue else _due_soon)(locked)
    inbox_message_send(
        account=locked.account,
        subject=subject,
        body=body,
        event_key=f"request-reminder:{locked.pk}:{now.isoformat()}",
        **request_inbox_link(locked),
    )
    if overdue and locked.reminded_overdue_at is None:  # the daily run need not send the same message tomorrow
        locked.reminded_overdue_at = now
        locked.save(update_fields=["reminded_overdue_at"])
    audit_record(
        action=CaseworkEvent.REQUEST_REMINDED,
        actor=actor,
        target=locked,
        request=request,
        data={"account": locked.account_id, "due_date": locked.due_date.isoformat(), "overdue": overdue},
    )
    return locked


@transaction.atomic
def advice_request_due_date_change(*, advice_request, due_date: datetime.date, actor, request=None):
    """A caseworker gives a request still with its team account a new due date: audited (from, to), the account
    told in its inbox (the email says only that a due date changed), and the daily reminders due again for the new
    date. The same date again changes nothing. Refused as workflow.transition_check says. Returns the request."""
    locked = _lock_for(advice_request, action=Action.CHANGE_DUE_DATE, actor=actor)
    previous = locked.due_date
    if due_date == previous:
        return locked
    locked.due_date = due_date
    locked.reminded_due_soon_at = locked.reminded_overdue_at = None
    locked.save(update_fields=["due_date", "reminded_due_soon_at", "reminded_overdue_at", "updated_at"])
    entry = audit_record(
        action=CaseworkEvent.REQUEST_DUE_DATE_CHANGED,
        actor=actor,
        target=locked,
        request=request,
        data={"account": locked.account_id, "from": previous.isoformat(), "to": due_date.isoformat()},
    )
    title = locked.form_version.title
    inbox_message_send(
        account=locked.account,
        subject=f"New due date: {title}",
        body=f"The SEND service has changed the due date of your {title} for "
        f"{with_full_stop(locked.child_display_name)} "
        f"It is now due on {govuk_date(due_date)}.",
        event_key=f"request-due-date:{locked.pk}:{entry.pk}",
        **request_inbox_link(locked),
        email_news="The due date of a request has changed",
    )
    return locked
