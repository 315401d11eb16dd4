"""Child records, advice requests and submissions for casework tests (fictional people, example.org)."""

import datetime
import uuid

import factory
from django.conf import settings
from django.utils import timezone

from advice_forms.models import AdviceRequest, ChildRecord, RequestState, Submission
from tests.factories.accounts import ProfessionalFactory


class ChildRecordFactory(factory.django.DjangoModelFactory):
    first_name = factory.Sequence(lambda n: f"Testchild{n}")
    last_name = factory.Sequence(lambda n: f"Zephyrson{n}")
    date_of_birth = datetime.date(2016, 3, 14)
    address = "1 Test Lane, Testshire"

    class Meta:
        model = ChildRecord


class AdviceRequestFactory(factory.django.DjangoModelFactory):
    """A request in any state; pass form_version (a published FormDefinitionVersion)."""

    child = factory.SubFactory(ChildRecordFactory)
    account = factory.SubFactory(ProfessionalFactory)

    class Meta:
        model = AdviceRequest


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
