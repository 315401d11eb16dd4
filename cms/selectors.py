"""Non-trivial reads of the site core: guidance pages due for review; the outbox and the task queue and its
schedules, for operators. Search over the guidance has a module of its own (cms.search)."""

import functools
from datetime import date, datetime, timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.conf import Conf
from django_q.models import Failure, OrmQ, Schedule
from django_q.signing import SignedPackage
from wagtail import hooks
from wagtail.models import get_page_models

from cms.models import EmailNotification, GuidancePage


def email_outbox_figures() -> tuple[int, float, int]:
    """How many emails are waiting to be sent, the oldest one's age in seconds (0 when none), and how many the portal
    has given up on, ever (rows are kept, so the count only grows): one query, on the state's index."""
    State = EmailNotification.State
    pending = Q(state=State.PENDING)
    outbox = EmailNotification.objects.filter(state__in=[State.PENDING, State.GIVEN_UP]).aggregate(
        count=Count("pk", filter=pending),
        oldest=Min("created_at", filter=pending),
        given_up=Count("pk", filter=Q(state=State.GIVEN_UP)),
    )
    return outbox["count"], _age_seconds(outbox["oldest"]), outbox["given_up"]


# The outbox's states that the admin's "Emails not sent" report lists, in its words and in its filter's order.
EMAIL_NOT_SENT_STATES = {
    EmailNotification.State.PENDING: "Waiting to be sent",
    EmailNotification.State.GIVEN_UP: "Given up",
}


# The app that keeps the accounts names, through this hook, the addresses whose emails a user who is not a superuser
# may be shown on Reports → Emails not sent: ``fn(user)`` gives a queryset of addresses, one column (portal_pages: the
# team accounts', for the portal administrator, who "cannot change any staff account").
EMAILS_NOT_SENT_ADDRESSES_HOOK = "emails_not_sent_addresses"


def emails_shown_to(user):
    """The outbox's emails, in any state, whose address ``user`` may see on Reports → Emails not sent: every one for a
    superuser; for anyone else those to the addresses the ``emails_not_sent_addresses`` hooks give, none without one
    (a staff member's password reset, sent or not, names its address and is a superuser's to see)."""
    emails = EmailNotification.objects.all()
    if user.is_superuser:
        return emails
    addressed = Q(pk__in=[])
    for addresses in hooks.get_hooks(EMAILS_NOT_SENT_ADDRESSES_HOOK):
        addressed |= Q(to__in=addresses(user))
    return emails.filter(addressed)


def emails_not_sent(*, user, state: str = ""):
    """The outbox's emails not sent that ``user`` may see (``emails_shown_to``), pending and given up (one ``state`` of
    them when given), newest first."""
    states = [state] if state in EMAIL_NOT_SENT_STATES else list(EMAIL_NOT_SENT_STATES)
    return emails_shown_to(user).filter(state__in=states).order_by("-created_at", "-pk")


def emails_listed_since(*, user, shown_at: datetime | None):
    """The emails Reports → Emails not sent lists to ``user`` now, and those it could have listed when it was shown at
    ``shown_at`` that have been sent since (made by then, sent after): what "Try again now" on a list shown then may
    name. Any other email (sent before the list was shown, or one ``user`` may not see) is not there."""
    listed = Q(state__in=list(EMAIL_NOT_SENT_STATES))
    if shown_at is not None:
        listed |= Q(state=EmailNotification.State.SENT, created_at__lte=shown_at, sent_at__gt=shown_at)
    return emails_shown_to(user).filter(listed)


# Each app names, through this hook, its background tasks in plain words for Reports → Failed background tasks:
# ``fn()`` gives a dict of a task's function path ("advice_forms.tasks.submission_pdf_file") to its words.
TASK_WORDS_HOOK = "task_words"


def task_words(func: str) -> str:
    """A task's plain name from the ``task_words`` hooks, or its function path when no app names it."""
    for named in hooks.get_hooks(TASK_WORDS_HOOK):
        words = named().get(func)
        if words:
            return words
    return func


def failed_tasks():
    """The background tasks django-q2 keeps as failed (their errors already masked, cms.tasks.failure_error_mask),
    newest first, with what Reports → Failed background tasks shows of them alone."""
    return Failure.objects.only("id", "func", "stopped", "attempt_count", "result").order_by("-stopped", "-pk")


# How far back the admin dashboard's "Failed emails and tasks" panel counts (cms.wagtail_hooks).
RECENT_FAILURE_DAYS = 7


def failed_tasks_recent_count(*, days: int = RECENT_FAILURE_DAYS) -> int:
    """How many background tasks django-q2 keeps as failed that stopped in the last ``days`` days: one count."""
    return Failure.objects.filter(stopped__gte=timezone.now() - timedelta(days=days)).count()


def emails_given_up_recent_count(*, user, days: int = RECENT_FAILURE_DAYS) -> int:
    """How many emails made in the last ``days`` days the outbox gave up on that ``user`` may see on Reports → Emails
    not sent (``emails_shown_to``): one count."""
    since = timezone.now() - timedelta(days=days)
    return emails_shown_to(user).filter(state=EmailNotification.State.GIVEN_UP, created_at__gte=since).count()


def email_send_task_name(notification_id: int) -> str:
    """The name of the task that sends an outbox row (cms.services.email_notification_enqueue): its failures, kept by
    django-q2, bear it."""
    return f"email-notification-{notification_id}"


def emails_last_errors(notification_ids) -> dict:
    """The error of each email's newest failed try, by its id (none for an email with no failure kept), in one read
    however many: django-q2 keeps it, with every address masked (cms.tasks.failure_error_mask), and only the newest
    for each email (cms.tasks.failures_replace)."""
    by_name = {email_send_task_name(pk): pk for pk in notification_ids}
    failures = (
        Failure.objects.filter(func="cms.tasks.email_notification_send", name__in=by_name)
        .order_by("-stopped", "-pk")
        .values_list("name", "result")
    )
    errors = {}
    for name, result in failures:
        errors.setdefault(by_name[name], "" if result is None else str(result))
    return errors


@functools.cache
def _task_broker(orm_alias, redis_address, list_key):
    # One broker (and one Redis connection pool) per process, rebuilt only if the queue's configuration changes.
    return get_broker(list_key)


def task_broker():
    """django-q2's broker for the portal's queue (Redis, or the database's OrmQ table)."""
    return _task_broker(Conf.ORM, str(Conf.REDIS), Conf.CLUSTER_NAME)


def task_queue_pending() -> tuple[int, float]:
    """How many tasks wait in the queue, and the oldest one's age in seconds (0 when none).

    On the database broker a task's ``lock`` is when it was queued (or when its retry fell due); on Redis the
    oldest task is the list's head, and its signed package says when it was queued.
    """
    broker = task_broker()
    size = broker.queue_size()
    if not size:
        return 0, 0.0
    if Conf.ORM:
        oldest = (
            OrmQ.objects.using(Conf.ORM)
            .filter(key=broker.list_key, lock__lte=timezone.now())
            .aggregate(oldest=Min("lock"))["oldest"]
        )
        return size, _age_seconds(oldest)
    head = broker.connection.lindex(broker.list_key, 0)
    if head is None:
        return size, 0.0
    return size, _age_seconds(SignedPackage.loads(head).get("started"))


def schedule_most_overdue() -> tuple[str | None, float]:
    """The schedule whose run is most overdue, and by how many seconds: (None, 0.0) when none is due.

    A running cluster's scheduler looks every 30 seconds and moves each due schedule's next run on, so a schedule
    due for minutes means no worker is running, though the queue is empty because nobody has asked for anything.
    A schedule that will not run again (``repeats`` 0) is never due.
    """
    due = (
        Schedule.objects.exclude(repeats=0)
        .filter(next_run__lt=timezone.now())
        .order_by("next_run")
        .values_list("name", "next_run")
        .first()
    )
    if due is None:
        return None, 0.0
    name, next_run = due
    return name, _age_seconds(next_run)


def _age_seconds(moment: datetime | None) -> float:
    return max((timezone.now() - moment).total_seconds(), 0.0) if moment else 0.0


REVIEW_SOON_DAYS = 28


def guidance_page_models():
    """Every page model that is guidance (has an owner, a review date and a change history)."""
    return [model for model in get_page_models() if issubclass(model, GuidancePage)]


def pages_due_for_review(*, today=None, within_days: int = REVIEW_SOON_DAYS, pages=None) -> list:
    """Live guidance pages whose review date is past or within ``within_days`` of ``today``, or that have none,
    soonest first, with their owners. ``pages``, a queryset of Page, narrows them (e.g. to what a user may edit)."""
    today = today or timezone.localdate()
    due = Q(review_by__lte=today + timedelta(days=within_days)) | Q(review_by__isnull=True)
    found = []
    for model in guidance_page_models():
        queryset = model.objects.live().filter(due).select_related("owner_team", "owner_person")
        if pages is not None:
            queryset = queryset.filter(pk__in=pages.values("pk"))
        found.extend(queryset)
    return sorted(found, key=lambda page: (page.review_by or date.min, page.title))


def review_owners(page) -> list:
    """The people a page's review reminder goes to: its owner, or the active members of its owning team."""
    if page.owner_person_id:
        return [page.owner_person] if page.owner_person.is_active and page.owner_person.email else []
    if page.owner_team_id:
        return list(page.owner_team.user_set.filter(is_active=True).exclude(email="").order_by("pk"))
    return []
