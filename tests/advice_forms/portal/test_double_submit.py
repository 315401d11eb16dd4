"""One submission per idempotency key: a key reused for another request, a resent POST after a return, and two
submits of one key arriving at once. A file withdrawn or deleted as Submit is pressed is never sent."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models.signals import post_save

from advice_forms.models import AdviceRequest, Document, DocumentState, RequestState, Submission
from advice_forms.services.documents import document_upload
from advice_forms.services.submissions import SubmissionRefused, submission_submit
from portal_pages.models import InboxMessage
from tests.advice_forms.portal.test_wizard import fill_all_steps, submit, url
from tests.factories.advice_forms import (
    AdviceRequestFactory,
    ChildRecordFactory,
    definition,
    pdf_bytes,
    question,
    section,
)

KEY = "d" * 32


@pytest.fixture
def advice_request(professional, small_form):
    return AdviceRequestFactory(account=professional, form_version=small_form)


def test_a_key_used_for_another_request_is_refused_with_a_message_and_writes_nothing(
    verified_client, advice_request, professional, small_form
):
    other = AdviceRequestFactory(account=professional, form_version=small_form, child=ChildRecordFactory())
    fill_all_steps(verified_client, advice_request)
    fill_all_steps(verified_client, other)
    first, _key = submit(verified_client, advice_request, key=KEY)
    assert first.url == url("request_confirmation", advice_request, number=1)

    response = verified_client.post(url("request_submit", other), {"idempotency_key": KEY}, follow=True)

    assert response.redirect_chain == [(url("request_check_answers", other), 302)]
    assert "This form was already used for another request." in response.content.decode()
    assert list(Submission.objects.values_list("request_id", flat=True)) == [advice_request.pk]
    other.refresh_from_db()
    assert other.state == RequestState.IN_PROGRESS


@pytest.mark.parametrize("posted", [{}, {"idempotency_key": "not-a-key"}])
def test_a_submit_without_a_usable_key_says_plainly_that_nothing_was_sent(verified_client, advice_request, posted):
    """It said "Something went wrong. Check your answers and submit again.": not what happened nor which button."""
    fill_all_steps(verified_client, advice_request)

    response = verified_client.post(url("request_submit", advice_request), posted, follow=True)

    assert response.redirect_chain == [(url("request_check_answers", advice_request), 302)]
    page = response.content.decode()
    assert "Your form was not submitted. Check your answers, then select Accept and submit again." in page
    assert "Something went wrong" not in page
    assert not Submission.objects.exists()


def test_a_submit_resent_after_a_return_gives_back_the_first_submission(verified_client, advice_request):
    fill_all_steps(verified_client, advice_request)
    submit(verified_client, advice_request, key=KEY)
    AdviceRequest.objects.filter(pk=advice_request.pk).update(state=RequestState.RETURNED)

    # The browser resends the first submit (the same key) after the caseworker returned the request.
    response = verified_client.post(url("request_submit", advice_request), {"idempotency_key": KEY})

    assert response.status_code == 302
    assert response.url == url("request_confirmation", advice_request, number=1)
    assert list(Submission.objects.values_list("number", flat=True)) == [1]
    advice_request.refresh_from_db()
    assert advice_request.state == RequestState.RETURNED


@pytest.mark.django_db(transaction=True)
def test_two_submits_of_one_key_arriving_at_once_give_one_submission(client, professional, small_form, home_page):
    """The second submit reads "no submission with this key" while the first is still being written, then waits
    for the first to commit: it must hand back the first submission, not refuse or write a second."""
    from tests.otp import sign_in

    shared = AdviceRequestFactory(account=professional, form_version=small_form)
    sign_in(client, professional)
    fill_all_steps(client, shared)

    first_written = threading.Event()
    second_looked = threading.Event()
    results = {}
    first_thread = []

    def hold_the_first_open(sender, instance, created, **kwargs):
        if created and threading.get_ident() in first_thread:
            first_written.set()
            second_looked.wait(timeout=20)

    def note_the_second_look(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if "idempotency_key" in sql and not second_looked.is_set():
            second_looked.set()
        return result

    def first():
        first_thread.append(threading.get_ident())
        try:
            results["first"] = submission_submit(advice_request=shared, actor=professional, idempotency_key=KEY)
        except Exception as error:
            results["first"] = error
        finally:
            connection.close()

    def second():
        first_written.wait(timeout=20)
        try:
            with connection.execute_wrapper(note_the_second_look):
                request = AdviceRequest.objects.get(pk=shared.pk)
                results["second"] = submission_submit(advice_request=request, actor=professional, idempotency_key=KEY)
        except Exception as error:
            results["second"] = error
        finally:
            second_looked.set()
            connection.close()

    post_save.connect(hold_the_first_open, sender=Submission, dispatch_uid="hold-the-first-open")
    try:
        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        post_save.disconnect(sender=Submission, dispatch_uid="hold-the-first-open")

    assert isinstance(results["first"], Submission), results
    assert isinstance(results["second"], Submission), results
    assert results["first"].pk == results["second"].pk
    assert Submission.objects.count() == 1
    assert InboxMessage.objects.filter(event_key__startswith="submission-received:").count() == 1


def test_a_file_no_longer_current_as_submit_is_pressed_is_never_sent(professional):
    """The draft still names a document withdrawn or deleted in the same moment (its answer not yet taken out):
    a required file is then missing, so the submit is refused; an optional one is left out of what is sent."""
    files = [question("file", "Report", key="report"), question("file", "Plan", key="plan", required=False)]
    shared = AdviceRequestFactory(account=professional, form_version=definition([section("Evidence", files)]))

    def answer(title):
        upload = SimpleUploadedFile(f"{title}.pdf", pdf_bytes(), content_type="application/pdf")
        document = document_upload(
            advice_request=shared, account=professional, uploaded=upload, title=title, document_type=""
        )
        return {"document": document.pk, "name": f"{title}.pdf", "size": document.size}

    shared.answers = {"evidence": {"report": answer("report"), "plan": answer("plan")}}
    shared.completed_sections = ["evidence"]
    shared.save()
    Document.objects.update(state=DocumentState.DELETED)

    with pytest.raises(SubmissionRefused) as refused:
        submission_submit(advice_request=shared, actor=professional, idempotency_key=KEY)
    assert [m.field_key for m in refused.value.missing] == ["report"]
    shared.answers = {"evidence": {"report": answer("newer"), "plan": shared.answers["evidence"]["plan"]}}
    shared.save()

    submission = submission_submit(advice_request=shared, actor=professional, idempotency_key=KEY)
    assert submission.answers == {"evidence": {"report": shared.answers["evidence"]["report"]}}
