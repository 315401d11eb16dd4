"""Submissions as the professional side leaves them, for casework tests; the record factories are in advice.py."""

import uuid

from django.conf import settings
from django.utils import timezone

from advice_forms.models import RequestState, Submission
from tests.factories.advice import AdviceRequestFactory, ChildRecordFactory

__all__ = ["AdviceRequestFactory", "ChildRecordFactory", "submission_make"]


def submission_make(advice_request, answers, *, state=RequestState.SUBMITTED, when=None):
    """A frozen Submission of ``answers`` (the next number) and the request moved to ``state``, as the professional
    side's submit would leave it."""
    number = advice_request.submissions.count() + 1
    submission = Submission.objects.create(
        request=advice_request,
        number=number,
        form_version=advice_request.form_version,
        answers=answers,
        reference=f"{settings.PORTAL_REFERENCE_PREFIX}-TEST-{advice_request.pk:04d}-{number:06d}",
        submitted_by=advice_request.account,
        submitted_by_name=advice_request.account.display_name,
        submitted_at=when or timezone.now(),
        idempotency_key=uuid.uuid4().hex,
    )
    advice_request.answers = answers
    advice_request.state = state
    advice_request.save()
    return submission
