"""A team account is a shared mailbox: one person may be typing in a step while another submits the form. The typing
then cannot be saved, and is never silently dropped: the step's POST shows it again with a banner saying what
happened and how to keep it, autosave answers with that banner, and nothing is written."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from advice_forms.models import AdviceRequest, Document, RequestState, Submission
from cms.formats import govuk_time
from tests.advice_forms.portal.test_saved_elsewhere import about, autosave_url, evidence_request, opened, step_url
from tests.advice_forms.portal.test_wizard import fill_all_steps, submit
from tests.factories.accounts import verified_login
from tests.factories.advice_forms import AdviceRequestFactory, ChildRecordFactory, pdf_bytes

pytestmark = pytest.mark.django_db

A_WORDS = "Session A: typed while a colleague submitted the form from another computer."
HEADING = "This form has been submitted, so what you typed on this page has not been saved"


@pytest.fixture
def advice_request(professional, small_form):
    return AdviceRequestFactory(account=professional, form_version=small_form, child=ChildRecordFactory())


def other_session(professional):
    return verified_login(Client(), professional)


def stored(advice_request):
    return (
        AdviceRequest.objects.values().get(pk=advice_request.pk),
        list(Submission.objects.filter(request=advice_request).values()),
        list(Document.objects.filter(advice_request=advice_request).values_list("pk", flat=True)),
    )


def submitted_by_session_b(professional, advice_request):
    session_b = other_session(professional)
    with time_machine.travel(timezone.now(), tick=False):
        fill_all_steps(session_b, advice_request)
        response, _key = submit(session_b, advice_request)
        when = govuk_time(timezone.now())
    assert response.status_code == 302
    return when


def test_a_step_saved_after_another_session_submitted_shows_the_typing_again_and_writes_nothing(
    verified_client, professional, advice_request
):
    copy = opened(verified_client, advice_request)
    when = submitted_by_session_b(professional, advice_request)
    before = stored(advice_request)

    for action in ("continue", "later", "back"):
        response = verified_client.post(step_url(advice_request), {**about(A_WORDS), **copy, "action": action})

        assert response.status_code == 403, action
        html = response.content.decode()
        assert A_WORDS in html
        assert HEADING in html and 'role="alert"' in html
        assert f"It was submitted at {when}, after you opened this page" in html
        assert "by someone else signed in to your team account" in html
        assert "copy it into another document before you leave this page" in html
        assert "ask them to return the form to you" in html
        assert 'data-unsaved="true"' in html and "There is a problem" not in html
        assert stored(advice_request) == before  # nothing written, the submitted answers as they were


def test_autosave_after_another_session_submitted_is_refused_with_the_banner_and_writes_nothing(
    verified_client, professional, advice_request
):
    copy = opened(verified_client, advice_request)
    when = submitted_by_session_b(professional, advice_request)
    before = stored(advice_request)

    refused = verified_client.post(autosave_url(advice_request), {**about(A_WORDS), **copy})

    assert refused.status_code == 403
    answer = refused.json()
    assert answer["saved"] is False and answer["closed"] is True
    assert answer["message"].startswith("Not saved. This form has been submitted")
    assert HEADING in answer["banner"] and f"It was submitted at {when}" in answer["banner"]
    assert stored(advice_request) == before


def test_a_step_saved_after_the_advice_was_accepted_says_so_and_names_a_chosen_file(verified_client, professional):
    request_ = evidence_request(professional)
    copy = opened(verified_client, request_, "evidence")
    session_b = other_session(professional)
    session_b.post(step_url(request_, "evidence"), {"summary": "Session B summary", "action": "continue"})
    assert submit(session_b, request_)[0].status_code == 302
    AdviceRequest.objects.filter(pk=request_.pk).update(state=RequestState.ACCEPTED)
    before = stored(request_)

    upload = SimpleUploadedFile("Summer report.pdf", pdf_bytes(), content_type="application/pdf")
    response = verified_client.post(
        step_url(request_, "evidence"), {"summary": "Session A summary", "report": upload, **copy, "action": "continue"}
    )

    assert response.status_code == 403
    html = response.content.decode()
    assert "Session A summary" in html and HEADING in html
    assert "The SEND service has since accepted it." in html
    assert "The file you chose was not uploaded: Summer report.pdf." in html
    assert "tell them what needs adding to the accepted advice" in html
    assert stored(request_) == before
