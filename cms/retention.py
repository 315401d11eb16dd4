"""What the site core stops keeping once its time is up: the words of emails sent long ago, and failed tasks.

An email's body holds the greeting and the links it carried (sign-in, invitation and reset links, long expired by
then), which nobody needs once it has gone. The row itself stays, with its address, subject and times: it answers
"did that email go, and when?", and its key is what stops the same event being emailed twice, so deleting it would
let a retried or repeated job send that email again.

django-q2 keeps its latest successes (``save_limit``) and every failure: a failed task's row (its function, the ids
it was given, its error with any address masked, cms.tasks) is removed PORTAL_FAILED_TASK_DAYS after it failed.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django_q.models import Failure

from cms.models import EmailNotification

logger = logging.getLogger(__name__)


def sent_emails_past_retention(*, now=None) -> QuerySet:
    """Sent emails whose body is still kept PORTAL_SENT_EMAIL_BODY_DAYS after they went; never one not yet sent."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.PORTAL_SENT_EMAIL_BODY_DAYS)
    return EmailNotification.objects.filter(state=EmailNotification.State.SENT, sent_at__lt=cutoff).exclude(body="")


def sent_email_bodies_clear(*, now=None) -> int:
    """Blank the body of every sent email past its retention, keeping who, when and the subject; how many were
    blanked. Safe to run twice: a blanked body is not counted again."""
    cleared = sent_emails_past_retention(now=now).update(body="")
    logger.info("Cleared the bodies of %s sent emails past their retention", cleared)
    return cleared


def failed_tasks_remove(*, now=None) -> int:
    """Remove every failed task that failed more than PORTAL_FAILED_TASK_DAYS ago; how many were removed."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.PORTAL_FAILED_TASK_DAYS)
    removed, _by_model = Failure.objects.filter(stopped__lt=cutoff).delete()
    logger.info("Removed %s failed tasks past their retention", removed)
    return removed
