"""The demo casework: fictional children and requests in every state, loaded idempotently, usable in the admin."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from advice_forms.casework_demo import CASEWORKER
from advice_forms.form_builder import FormBuilder
from advice_forms.models import AdviceRequest, ChildRecord, RequestState, Submission
from tests.factories.accounts import verified_login

pytestmark = pytest.mark.django_db


def test_demo_casework_loads_every_state_once_with_complete_submissions(client):
    call_command("load_demo_content", stdout=StringIO())
    counts = (ChildRecord.objects.count(), AdviceRequest.objects.count(), Submission.objects.count())
    call_command("load_demo_content", stdout=StringIO())
    assert (ChildRecord.objects.count(), AdviceRequest.objects.count(), Submission.objects.count()) == counts
    assert counts == (5, 5, 3)

    states = set(AdviceRequest.objects.values_list("state", flat=True))
    assert states == {choice.value for choice in RequestState}
    kinds = set(AdviceRequest.objects.values_list("form_version__kind", flat=True))
    assert kinds == {"ersa", "appendix_b"}
    for child in ChildRecord.objects.all():
        assert child.unique_pupil_number.startswith("DEMO")
        assert child.coordinator.email == CASEWORKER
        assert "@" not in child.parent_carer_contact or "example.org" in child.parent_carer_contact
    for submission in Submission.objects.select_related("form_version"):
        assert re.fullmatch(r"KBC-APPB-\d{4}-\d{6}", submission.reference)
        assert FormBuilder(submission.form_version).missing_required(submission.answers) == []
    returned = AdviceRequest.objects.get(state=RequestState.RETURNED)
    assert returned.return_reason and returned.answers == returned.submissions.get().answers
    assert AdviceRequest.objects.get(state=RequestState.IN_PROGRESS).answers

    verified_login(client, ChildRecord.objects.first().coordinator)
    queue = client.get(reverse("review_queue:index")).content.decode()
    assert "Rowan Ashdown" in queue and "Maisie" not in queue
    submitted = AdviceRequest.objects.get(state=RequestState.SUBMITTED)
    review = client.get(reverse("review_queue:review", args=[submitted.pk])).content.decode()
    assert "visual task plans" in review.lower()
    overdue = client.get(reverse("overdue_advice:index")).content.decode()
    assert "Idris Fenwick" in overdue and "Ezra" not in overdue
