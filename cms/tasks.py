"""django-q2 entry points of the site core: each takes ids and calls a service, and is safe to run twice. And what
django-q2 keeps of a task that failed (``failure_error_mask``, ``failures_replace``), with the nightly removal of
old failures (``failed_tasks_remove``)."""

import logging
import re

from django.db import DatabaseError
from django_q.models import Failure
from django_q.utils import get_func_repr

from cms import retention, services
from cms.logs import scrub_text

logger = logging.getLogger(__name__)


def email_notification_send(notification_id):
    return services.email_notification_send(notification_id=notification_id)


def email_notifications_requeue(older_than_seconds=120):
    return services.email_notifications_requeue(older_than_seconds=older_than_seconds)


def sent_email_bodies_clear():
    return retention.sent_email_bodies_clear()


def failed_tasks_remove():
    return retention.failed_tasks_remove()


def review_reminders_send():
    return services.review_reminders_send()


def pages_publish_scheduled():
    return services.pages_publish_scheduled()


def failure_error_mask(sender=None, func=None, task=None, **kwargs):
    """django-q2's ``post_execute_in_worker``, before the task is recorded: a failure's error is kept, and logged,
    with every email address masked as the log lines mask it. A mail server's refusal quotes the recipient
    (``{'caseworker@…': (550, …)}``), and django-q2 keeps the error with the failed task."""
    if task is not None and not task.get("success", True):
        task["result"] = scrub_text(str(task.get("result", "")))


# A task name ending in a row's id names one piece of work: ``email-notification-<id>``, ``submission-pdf-<id>``.
ONE_PIECE_OF_WORK = re.compile(r".+-\d+")


def failures_replace(sender=None, task=None, **kwargs):
    """django-q2's ``post_execute``, once the task's failure is recorded: the earlier failures of the same work are
    removed, so each email (its task named after it) or schedule (its runs grouped by its name) keeps its newest
    failure alone. An email the mail server refuses is tried every minute until it is given up: each try left a
    failed task, some 2,880 for one email.

    Only a schedule's group, or a name ending in the id of what the task works on, says the work is the same. Tasks
    asked for by an email address share one readable name a kind ("password-reset-request"): each is another
    person's request, so every failure is kept (until the nightly removal), as for any other name."""
    if task is None or task.get("success", True):
        return
    if task.get("group") is not None:
        same_work = {"group": str(task["group"])}
    elif ONE_PIECE_OF_WORK.fullmatch(str(task.get("name") or "")):
        same_work = {"name": task["name"]}
    else:
        return
    try:
        earlier = Failure.objects.filter(func=get_func_repr(task["func"]), **same_work).exclude(id=task["id"])
        earlier.delete()
    except DatabaseError as error:
        logger.warning("Earlier failures of task %s were not removed (%s)", task["name"], type(error).__name__)
