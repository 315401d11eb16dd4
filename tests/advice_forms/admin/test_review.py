"""Staff review through the real admin views: the queue and its filters, the review page, staff PDF downloads,
accept, return with a reason, refusals from the wrong state, and the audit trail."""

import datetime
import io
import re
from pathlib import Path

import pytest
import wagtail
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from advice_forms.filing import file_private_pdf
from advice_forms.models import (
    FORM_EVIDENCE,
    AdviceRequest,
    DetailsChangeReport,
    Document,
    RequestState,
    Submission,
    SubmissionReturn,
)
from advice_forms.selectors import records_frozen, request_records, submission_history, submission_records
from advice_forms.services.documents import document_delete, document_submission_file
from advice_forms.services.drafts import draft_step_save
from advice_forms.services.requests import submission_accept, submission_return
from advice_forms.services.submissions import submission_pdf_store, submission_reference_assign, submission_submit
from advice_forms.workflow import TransitionNotAllowed
from cms.models import AuditEntry
from portal_pages.models import InboxMessage, OrganisationKind
from tests.factories.accounts import OrganisationFactory, TOTPDeviceFactory, staff_in_group, verified_login
from tests.factories.advice_forms import (
    AdviceRequestFactory,
    ChildRecordFactory,
    definition,
    pdf_bytes,
    question,
    request_page,
    section,
    submission_make,
)
from tests.refusals import (
    assert_no_menu_and_forbidden,
    messages_of,
    messages_taking_focus,
    refused_by_wagtail,
    refused_the_admin,
)

pytestmark = pytest.mark.django_db

WAGTAIL_ADMIN_CSS = Path(wagtail.__file__).parent / "admin" / "static" / "wagtailadmin" / "css" / "core.css"
# What accept's confirmation page posts with the version read: an Accept without it is shown that page first.
CONFIRMED = {"confirmed": "yes"}
FIRST = {"school": {"school_name": "Oakfield Primary"}, "needs": {"needs": "Help with reading every morning"}}
SECOND = {"school": {"school_name": "Oakfield Primary"}, "needs": {"needs": "Reading help and a quiet space"}}


def submitted(version, *, answers=FIRST, **kwargs):
    advice_request = AdviceRequestFactory(form_version=version, **kwargs)
    submission_make(advice_request, answers)
    return advice_request


def queue(client, **params):
    response = client.get(reverse("review_queue:index"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_queue_lists_submitted_requests_only_and_filters_by_kind_coordinator_and_overdue(
    caseworker_client, caseworker, ersa, appendix_b
):
    other = staff_in_group("SEND caseworker", first_name="Olive", last_name="Other")
    today = timezone.localdate()
    mine = submitted(ersa, child=ChildRecordFactory(first_name="Mira", coordinator=caseworker))
    theirs = submitted(
        appendix_b,
        child=ChildRecordFactory(first_name="Theo", coordinator=other),
        due_date=today - datetime.timedelta(days=3),
    )
    AdviceRequestFactory(form_version=ersa, child=ChildRecordFactory(first_name="Tobias"))  # to do: not in the queue
    accepted = submitted(ersa, child=ChildRecordFactory(first_name="Ada"))
    submission_accept(advice_request=accepted, actor=caseworker)

    html = queue(caseworker_client)
    assert "Mira" in html and "Theo" in html
    shown = BeautifulSoup(html, "html.parser").get_text()  # a page's random CSRF token may hold any short word
    assert "Tobias" not in shown and "Ada" not in shown
    assert reverse("review_queue:review", args=[mine.pk]) in html

    html = queue(caseworker_client, kind="appendix_b")
    assert "Theo" in html and "Mira" not in html
    html = queue(caseworker_client, coordinator=caseworker.pk)
    assert "Mira" in html and "Theo" not in html
    html = queue(caseworker_client, overdue="true")
    assert "Theo" in html and "Mira" not in html
    assert "3 days overdue" in html
    assert reverse("review_queue:review", args=[theirs.pk]) in html
    assert reverse("review_queue:review", args=[mine.pk]) not in html


def test_the_queue_query_count_does_not_grow_with_the_number_of_requests(caseworker_client, caseworker, ersa):
    def count_with(total):
        AdviceRequest.objects.filter(state=RequestState.SUBMITTED).update(state=RequestState.ACCEPTED)
        for _ in range(total):
            submitted(ersa, child=ChildRecordFactory(coordinator=caseworker))
        with CaptureQueriesContext(connection) as queries:
            response = caseworker_client.get(reverse("review_queue:index"), {"kind": "ersa"})
        assert response.status_code == 200
        assert response.content.decode().count(reverse("review_queue:index")) >= 1
        return len(queries)

    with_five = count_with(5)
    with_fifty = count_with(50)
    assert with_five == with_fifty


def test_the_queue_finds_a_request_by_its_submissions_reference_or_the_childs_name(caseworker_client, ersa, appendix_b):
    """The queue had no search: a co-ordinator given a reference on the phone could not find the submission."""
    child = ChildRecordFactory(first_name="Mira", last_name="Larkspur")
    ersa_request = submitted(ersa, child=child)
    appendix_request = submitted(appendix_b, child=child)
    submitted(ersa, child=ChildRecordFactory(first_name="Theo", last_name="Larkspur"))
    reference = submission_reference_assign(appendix_request.submissions.get())
    ersa_review, appendix_review = (
        reverse("review_queue:review", args=[r.pk]) for r in (ersa_request, appendix_request)
    )

    page = BeautifulSoup(queue(caseworker_client), "html.parser")
    assert page.find("input", attrs={"name": "q"})
    for query in (reference, f" {reference.lower().replace('-', ' ')} "):
        html = queue(caseworker_client, q=query)
        assert appendix_review in html and ersa_review not in html and "Theo" not in html
    html = queue(caseworker_client, q="larkspur mira")
    assert appendix_review in html and ersa_review in html and "Theo" not in html
    assert "Mira" not in queue(caseworker_client, q=reference[:-1])


def test_searching_the_queue_costs_the_same_queries_however_many_match(caseworker_client, ersa):
    def queries_for(query):
        with CaptureQueriesContext(connection) as queries:
            html = queue(caseworker_client, q=query)
        assert "Larkspur" in html
        return len(queries)

    first = submitted(ersa, child=ChildRecordFactory(last_name="Larkspur"))
    reference = submission_reference_assign(first.submissions.get())
    by_name, by_reference = queries_for("Larkspur"), queries_for(reference)
    for _ in range(5):
        submitted(ersa, child=ChildRecordFactory(last_name="Larkspur"))
    assert (queries_for("Larkspur"), queries_for(reference)) == (by_name, by_reference)


def test_the_review_page_shows_the_child_the_latest_answers_and_earlier_submissions(
    caseworker_client, caseworker, ersa
):
    child = ChildRecordFactory(first_name="Amelia", last_name="Quillfeather", unique_pupil_number="Z999000000001")
    advice_request = AdviceRequestFactory(form_version=ersa, child=child)
    first = submission_make(advice_request, FIRST)
    advice_request.state = RequestState.RETURNED
    advice_request.save()
    second = submission_make(advice_request, SECOND)

    response = caseworker_client.get(reverse("review_queue:review", args=[advice_request.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Amelia Quillfeather" in html and "Z999000000001" in html
    assert "Reading help and a quiet space" in html  # the latest answers
    assert "Help with reading every morning" not in html  # not the earlier ones' answers
    assert second.reference in html and first.reference in html
    assert reverse("review_queue:submission_pdf", args=[first.pk]) in html
    # Which submission a PDF link downloads is told to screen readers only, in the class Wagtail's admin hides text
    # with (it has no "visuallyhidden": the words showed on screen).
    assert f'<span class="w-sr-only"> submission {first.number}</span>' in html
    assert "w-sr-only" in WAGTAIL_ADMIN_CSS.read_text()
    assert "Accept" in html and "What is needed" in html

    entry = AuditEntry.objects.get(action="child_record.viewed")
    assert entry.target == child and entry.actor == caseworker
    assert entry.data == {"view": "review", "advice_request": advice_request.pk}


def test_the_review_page_leads_to_the_childs_documents(caseworker_client, ersa):
    """The supporting documents were only found through Child records, the child, Documents."""
    advice_request = AdviceRequestFactory(form_version=ersa)
    filed = submission_make(advice_request, FIRST)
    stored = b"%PDF-1.4 filed bytes of the submission"
    pdf = file_private_pdf(child=advice_request.child, data=stored, title="ERSA – Oakfield (T1)")
    document_submission_file(submission=filed, filed=pdf, size=len(stored))

    html = caseworker_client.get(reverse("review_queue:review", args=[advice_request.pk])).content.decode()

    documents = reverse("casework_documents", args=[advice_request.child.pk])
    assert f'<a href="{documents}">1 document on the child\'s record</a>' in html


def test_the_childs_documents_say_which_submitted_version_was_returned_and_which_accepted(caseworker_client, ersa):
    """Both versions' PDFs read "Submitted advice: submission N", "Current": nothing said the first was sent back."""
    advice_request = submitted(ersa)
    submission_pdf_store(submission_id=advice_request.submissions.get().pk)
    caseworker_client.post(
        reverse("review_queue:return", args=[advice_request.pk]), {"reason": "Add the report.", "submission": 1}
    )
    second = submission_make(advice_request, SECOND)
    submission_pdf_store(submission_id=second.pk)
    documents = reverse("casework_documents", args=[advice_request.child.pk])
    waiting = " ".join(BeautifulSoup(caseworker_client.get(documents).content, "html.parser").get_text().split())
    assert f"submission 1 of {ersa}, returned" in waiting and f"submission 2 of {ersa} ·" in waiting

    caseworker_client.post(reverse("review_queue:accept", args=[advice_request.pk]), {"submission": 2, **CONFIRMED})

    page = " ".join(BeautifulSoup(caseworker_client.get(documents).content, "html.parser").get_text().split())
    assert f"submission 1 of {ersa}, returned" in page and f"submission 2 of {ersa}, accepted" in page


def _document_states(client, child):
    """Each row of the child's documents list: (what its title cell says of its submission, its State cell)."""
    page = BeautifulSoup(client.get(reverse("casework_documents", args=[child.pk])).content, "html.parser")
    rows = [row.find_all("td") for row in page.select("main table.listing")[0].select("tbody tr")]
    return [(" ".join(cells[0].small.get_text().split()), cells[2].get_text(strip=True)) for cells in rows]


def test_the_pdf_of_a_version_returned_and_submitted_again_reads_as_replaced_not_current(
    caseworker_client, caseworker, ersa
):
    """Version 1's PDF still read "Current" beside version 2's, after version 2 replaced it; a returned version not yet
    submitted again is not replaced, and a deletion still says it was deleted and why."""
    advice_request = submitted(ersa)
    submission_pdf_store(submission_id=advice_request.submissions.get().pk)
    submission_return(advice_request=advice_request, actor=caseworker, reason="Add the report.")
    [(_, state)] = _document_states(caseworker_client, advice_request.child)
    assert state == "Current"

    second = submission_make(advice_request, SECOND)
    submission_pdf_store(submission_id=second.pk)
    states = dict(_document_states(caseworker_client, advice_request.child))
    first_row = next(words for words in states if f"submission 1 of {ersa}" in words)
    second_row = next(words for words in states if f"submission 2 of {ersa}" in words)
    assert (states[first_row], states[second_row]) == ("Replaced by submission 2", "Current")

    first = advice_request.submissions.get(number=1).document
    assert first.replaced_by == 2 and second.document.replaced_by is None  # read without the list's annotation
    document_delete(document=first, by=caseworker, reason="Sent in error")
    states = dict(_document_states(caseworker_client, advice_request.child))
    assert states[first_row] == "Deleted by a caseworker: Sent in error"


def test_the_childs_documents_read_in_the_same_number_of_queries_however_many_versions_were_replaced(
    caseworker_client, caseworker, ersa
):
    """Each replaced version's PDF says which submission replaced it, read in the list's one query: asking the
    database once a document would grow the page's queries with every version sent back and submitted again."""
    advice_request = submitted(ersa)
    submission_pdf_store(submission_id=advice_request.submissions.get().pk)

    def send_back_and_submit_again():
        submission_return(advice_request=advice_request, actor=caseworker, reason="Add the report.")
        submission_pdf_store(submission_id=submission_make(advice_request, SECOND).pk)

    def queries_reading_the_documents(replaced):
        with CaptureQueriesContext(connection) as queries:
            states = [state for _, state in _document_states(caseworker_client, advice_request.child)]
        assert sorted(states) == ["Current", *(f"Replaced by submission {replaced + 1}" for _ in range(replaced))]
        return [query["sql"] for query in queries]

    send_back_and_submit_again()
    _document_states(caseworker_client, advice_request.child)  # the first reads a content type, which Django keeps
    one_replaced = queries_reading_the_documents(1)
    send_back_and_submit_again()
    send_back_and_submit_again()
    three_replaced = queries_reading_the_documents(3)
    assert len(three_replaced) == len(one_replaced), three_replaced


def test_the_review_page_links_each_file_sent_to_the_childs_document_download(caseworker_client, caseworker):
    """An uploaded file read "plan.pdf (5 KB)" with no link: the caseworker went to Documents to open it."""
    version = definition(
        [section("Evidence", [question("file", "Support plan", key="plan")], key="evidence")], title="Evidence form"
    )
    advice_request = AdviceRequestFactory(form_version=version)
    data = pdf_bytes()
    filed = file_private_pdf(child=advice_request.child, data=data, title="Support plan", original_filename="plan.pdf")
    document = Document.objects.create(
        child=advice_request.child,
        advice_request=advice_request,
        title="Support plan",
        document_type=FORM_EVIDENCE,
        file=filed,
        original_filename="plan.pdf",
        size=len(data),
        uploaded_by=advice_request.account,
    )
    answer = {"document": document.pk, "name": "plan.pdf", "size": 5 * 1024}
    submission_make(advice_request, {"evidence": {"plan": answer}})

    page = BeautifulSoup(
        caseworker_client.get(reverse("review_queue:review", args=[advice_request.pk])).content, "html.parser"
    )

    download = reverse("casework_document_download", args=[advice_request.child.pk, document.pk])
    [link] = page.select(f'main a[href="{download}"]')
    assert " ".join(link.get_text().split()) == "Download plan.pdf (5 KB), the file sent for “Support plan”"
    assert link.select_one(".w-sr-only").get_text() == ", the file sent for “Support plan”"
    response = caseworker_client.get(download)  # the documents list's own download, which checks and audits
    assert response.status_code == 200 and b"".join(response.streaming_content) == data
    assert AuditEntry.objects.get(action="document.downloaded").actor == caseworker


def test_staff_download_a_filed_pdf_as_stored_and_an_unfiled_one_rendered_on_demand(caseworker_client, ersa):
    advice_request = AdviceRequestFactory(form_version=ersa)
    filed = submission_make(advice_request, FIRST)
    stored = b"%PDF-1.4 filed bytes of the submission"
    pdf = file_private_pdf(child=advice_request.child, data=stored, title="ERSA – Oakfield (T1)")
    document_submission_file(submission=filed, filed=pdf, size=len(stored))  # as the filing task does
    response = caseworker_client.get(reverse("review_queue:submission_pdf", args=[filed.pk]), follow=True)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{filed.reference}.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == stored

    advice_request.state = RequestState.RETURNED
    advice_request.save()
    unfiled = submission_make(advice_request, SECOND)
    response = caseworker_client.get(reverse("review_queue:submission_pdf", args=[unfiled.pk]), follow=True)
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages)
    assert "quiet space" in text
    assert "PREVIEW" not in text
    # Both went through the child's document download, which audits the record's viewing and the download.
    assert AuditEntry.objects.filter(action="child_record.viewed").count() == 2
    assert AuditEntry.objects.filter(action="document.downloaded").count() == 2


def test_a_submitted_pdf_is_in_the_childs_documents_and_downloaded_through_their_one_view(
    caseworker_client, caseworker, ersa, settings
):
    advice_request = AdviceRequestFactory(form_version=ersa)
    submission = submission_make(advice_request, FIRST)
    document = submission_pdf_store(submission_id=submission.pk)
    download = reverse("casework_document_download", args=[advice_request.child.pk, document.pk])

    page = caseworker_client.get(reverse("casework_documents", args=[advice_request.child.pk])).content.decode()
    assert document.title in page and submission.reference in page and "Submitted advice" in page
    assert f"submission 1 of {ersa}" in page and download in page

    settings.PORTAL_DOWNLOAD_ACCEL_PREFIX = "/protected-media/"
    old_link = caseworker_client.get(reverse("review_queue:submission_pdf", args=[submission.pk]))
    assert old_link.status_code == 302 and old_link.url == download
    response = caseworker_client.get(download)
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{document.file.file.name}"
    assert response["Content-Disposition"] == f'attachment; filename="{submission.reference}.pdf"'
    entry = AuditEntry.objects.get(action="document.downloaded")
    assert (entry.target, entry.actor) == (document, caseworker)


def test_accepting_locks_the_request_and_is_audited(caseworker_client, caseworker, ersa):
    advice_request = submitted(ersa)
    response = caseworker_client.post(
        reverse("review_queue:accept", args=[advice_request.pk]), {"submission": 1, **CONFIRMED}
    )
    assert response.status_code == 302 and response.url == reverse("review_queue:index")
    advice_request.refresh_from_db()
    assert advice_request.state == RequestState.ACCEPTED and not advice_request.is_editable
    entry = AuditEntry.objects.get(action="advice_request.accepted")
    assert (entry.actor, entry.target, entry.from_state, entry.to_state) == (
        caseworker,
        advice_request,
        RequestState.SUBMITTED,
        RequestState.ACCEPTED,
    )
    page = caseworker_client.get(reverse("review_queue:review", args=[advice_request.pk])).content.decode()
    assert "Your decision" not in page


def test_returning_reopens_the_form_from_the_last_submission_with_the_reason_and_tells_the_account(
    caseworker_client, caseworker, ersa, django_capture_on_commit_callbacks
):
    child = ChildRecordFactory(first_name="Amelia", last_name="Quillfeather")
    advice_request = submitted(ersa, child=child, answers=SECOND)
    advice_request.answers = {"needs": {"needs": "a draft typed after submitting"}}
    advice_request.raw_steps = {"needs": {"needs": "half typed"}}
    advice_request.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = caseworker_client.post(
            reverse("review_queue:return", args=[advice_request.pk]),
            {"reason": "  Add the speech and language therapist's recent report.  ", "submission": 1},
        )
    assert response.status_code == 302
    advice_request.refresh_from_db()
    assert advice_request.state == RequestState.RETURNED and advice_request.is_editable
    assert advice_request.return_reason == "Add the speech and language therapist's recent report."
    assert advice_request.answers == SECOND
    assert advice_request.raw_steps == {}

    message = InboxMessage.objects.get(link=request_page(advice_request))
    assert "speech and language therapist's recent report" in message.body
    # The message page links to the request ("Go to the request"); the body prints no raw path.
    assert message.link_text == "Go to the request" and "/portal/requests/" not in message.body
    assert len(mail.outbox) == 1
    assert "Amelia" not in mail.outbox[0].body and "Quillfeather" not in mail.outbox[0].subject
    assert "speech and language" not in mail.outbox[0].body
    assert mail.outbox[0].subject.startswith("Advice you submitted has been returned for more information: you have")

    entry = AuditEntry.objects.get(action="advice_request.returned")
    assert (entry.actor, entry.from_state, entry.to_state) == (caseworker, "submitted", "returned")
    # The words stay with the version returned; the entry names it by id (the audit log is read beyond casework).
    returned = advice_request.submissions.get().returned
    assert (returned.reason, returned.returned_by) == (
        "Add the speech and language therapist's recent report.",
        caseworker,
    )
    assert (entry.reason, entry.data) == ("", {"submission": returned.submission_id})


def test_a_return_reason_at_its_limit_with_line_breaks_is_taken_and_kept_with_one_character_a_line_break(
    caseworker_client, ersa
):
    advice_request = submitted(ersa)
    reason = "\r\n".join(["x" * 999] * 4) + "x"  # 4,000 characters as the browser counts them, 4,003 as sent

    response = caseworker_client.post(
        reverse("review_queue:return", args=[advice_request.pk]), {"reason": reason, "submission": 1}
    )

    assert response.status_code == 302
    advice_request.refresh_from_db()
    assert advice_request.state == RequestState.RETURNED
    assert advice_request.return_reason == reason.replace("\r\n", "\n") and len(advice_request.return_reason) == 4000


def test_returning_without_a_reason_is_refused_with_the_error_beside_the_field(caseworker_client, ersa):
    advice_request = submitted(ersa)
    response = caseworker_client.post(reverse("review_queue:return", args=[advice_request.pk]), {"reason": "   "})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("Enter what is needed before you return the advice") == 2  # summary and field
    assert 'href="#id_reason"' in html
    advice_request.refresh_from_db()
    assert advice_request.state == RequestState.SUBMITTED
    assert not AuditEntry.objects.filter(action="advice_request.returned").exists()
    assert not InboxMessage.objects.exists()


def test_the_service_refuses_a_return_without_a_reason_in_the_same_words_as_the_page(caseworker, ersa):
    advice_request = submitted(ersa)
    with pytest.raises(ValidationError) as refusal:
        submission_return(advice_request=advice_request, actor=caseworker, reason=" \n ")
    assert refusal.value.message_dict == {"reason": ["Enter what is needed before you return the advice"]}
    advice_request.refresh_from_db()
    assert advice_request.state == RequestState.SUBMITTED


def test_a_refused_return_opens_on_its_error_summary_with_error_in_the_title_and_keeps_what_was_typed(
    caseworker_client, ersa
):
    """A refused return came back with the page's usual title and its "There is a problem" about 2,600 px down, after
    every answer, with nothing focused: the co-ordinator saw the top of the same page as before."""
    advice_request = submitted(ersa)
    typed = "Please add the speech and language therapist's view. " * 80  # over the 4,000 characters allowed

    html = caseworker_client.post(reverse("review_queue:return", args=[advice_request.pk]), {"reason": typed}).content
    page = BeautifulSoup(html, "html.parser")

    assert page.title.get_text(strip=True).startswith("Error: Review advice")
    summary = page.select_one("main [role=alert]")
    assert "There is a problem" in summary.get_text() and summary.has_attr("autofocus")
    assert summary["tabindex"] == "-1" and summary.select_one("a")["href"] == "#id_reason"
    # The summary comes before everything else in the page's content, the answers included.
    html = html.decode()
    assert html.index("There is a problem") < html.index("Back to the review queue") < html.index("Oakfield Primary")
    assert html.count("There is a problem") == 1
    # The error beside the field, and what was typed still in it.
    assert page.select_one("#id_reason").get_text().removeprefix("\n") == typed  # a browser drops that first newline
    assert page.select_one("#return-advice").find(string=re.compile("Ensure this value has at most 4000 characters"))


@pytest.mark.parametrize("state", [RequestState.TO_DO, RequestState.IN_PROGRESS, RequestState.RETURNED, "accepted"])
def test_accept_and_return_are_refused_from_any_state_but_submitted(caseworker_client, caseworker, ersa, state):
    advice_request = AdviceRequestFactory(form_version=ersa, state=state)
    response = caseworker_client.post(reverse("review_queue:accept", args=[advice_request.pk]), CONFIRMED, follow=True)
    assert "so it cannot be accepted" in response.content.decode()
    response = caseworker_client.post(
        reverse("review_queue:return", args=[advice_request.pk]), {"reason": "More please"}, follow=True
    )
    assert "so it cannot be returned" in response.content.decode()
    advice_request.refresh_from_db()
    assert advice_request.state == state
    with pytest.raises(TransitionNotAllowed):
        submission_accept(advice_request=advice_request, actor=caseworker)
    with pytest.raises(TransitionNotAllowed):
        submission_return(advice_request=advice_request, actor=caseworker, reason="More please")
    assert not AuditEntry.objects.filter(action__in=["advice_request.accepted", "advice_request.returned"]).exists()


def _submitted_again_after_the_page_was_opened(caseworker_client, ersa):
    """Version 1 on the caseworker's screen; meanwhile a colleague returned it and the professional submitted 2."""
    advice_request = submitted(ersa)
    page = BeautifulSoup(
        caseworker_client.get(reverse("review_queue:review", args=[advice_request.pk])).content, "html.parser"
    )
    assert {field["value"] for field in page.select("form input[name=submission]")} == {"1"}
    submission_make(advice_request, SECOND)
    return advice_request


@pytest.mark.parametrize("decision", ["accept", "return"])
def test_a_decision_on_an_earlier_version_than_the_latest_is_refused_and_the_page_shows_the_latest(
    caseworker_client, ersa, decision
):
    """Accept or Return pressed on a page opened before the advice was returned and submitted again would have
    accepted (or returned, with words about the old answers) a version the caseworker never read."""
    advice_request = _submitted_again_after_the_page_was_opened(caseworker_client, ersa)
    typed = "Add the therapist's report."

    response = caseworker_client.post(
        reverse(f"review_queue:{decision}", args=[advice_request.pk]), {"reason": typed, "submission": 1, **CONFIRMED}
    )

    assert response.status_code == 409
    page = BeautifulSoup(response.content, "html.parser")
    assert page.title.get_text(strip=True).startswith("Error: Review advice")
    summary = page.select_one("main [role=alert]")
    assert "Version 2 of this advice was submitted after you opened this page" in summary.get_text()
    assert "Reading help and a quiet space" in page.get_text()  # version 2's answers
    assert {field["value"] for field in page.select("form input[name=submission]")} == {"2"}
    if decision == "return":
        assert page.select_one("#id_reason").get_text().strip() == typed
    advice_request.refresh_from_db()
    assert advice_request.state == RequestState.SUBMITTED
    assert not AuditEntry.objects.filter(action__in=["advice_request.accepted", "advice_request.returned"]).exists()
    assert not SubmissionReturn.objects.exists()
    assert not InboxMessage.objects.exists()

    # Read, it may be decided.
    response = caseworker_client.post(
        reverse(f"review_queue:{decision}", args=[advice_request.pk]), {"reason": typed, "submission": 2, **CONFIRMED}
    )
    assert response.status_code == 302
    advice_request.refresh_from_db()
    assert advice_request.state == (RequestState.ACCEPTED if decision == "accept" else RequestState.RETURNED)


@pytest.mark.parametrize("decision", ["accept", "return"])
def test_a_decision_that_does_not_say_which_version_it_read_is_refused_saying_so(caseworker_client, ersa, decision):
    """A page opened before decisions carried their version (or a post made by hand) was told that a newer
    version had been submitted since, though none had."""
    advice_request = submitted(ersa)

    response = caseworker_client.post(
        reverse(f"review_queue:{decision}", args=[advice_request.pk]), {"reason": "Why", **CONFIRMED}
    )

    assert response.status_code == 409
    summary = BeautifulSoup(response.content, "html.parser").select_one("main [role=alert]").get_text()
    assert "did not say which version of this advice you read. Version 1 is shown below" in summary
    assert "submitted after you opened" not in summary
    advice_request.refresh_from_db()
    assert advice_request.state == RequestState.SUBMITTED


def test_a_version_sent_again_after_a_return_marks_the_answers_that_changed(caseworker_client, ersa):
    """After a return, the caseworker read the whole resubmitted form again with nothing saying what the
    professional had changed."""
    advice_request = submitted(ersa)
    first = caseworker_client.get(reverse("review_queue:review", args=[advice_request.pk])).content.decode()
    assert "Changed" not in first and "since submission" not in first
    submission_make(advice_request, SECOND)

    page = BeautifulSoup(
        caseworker_client.get(reverse("review_queue:review", args=[advice_request.pk])).content, "html.parser"
    )

    text = " ".join(page.get_text().split())
    assert "1 answer changed since submission 1: each is marked “Changed”." in text
    marked = [" ".join(dt.get_text().split()) for dt in page.select(".advice-review__answers > dt")]
    assert marked == ["Name of the school", "What the child needs Changed since submission 1"]

    submission_make(advice_request, SECOND)
    text = caseworker_client.get(reverse("review_queue:review", args=[advice_request.pk])).content.decode()
    assert "No answer changed since submission 2." in text and "Changed<" not in text


def test_accept_only_by_post(caseworker_client, ersa):
    """A GET is sent to the confirmation page (test_post_only_actions.py) and accepts nothing."""
    advice_request = submitted(ersa)
    response = caseworker_client.get(reverse("review_queue:accept", args=[advice_request.pk]), CONFIRMED)
    assert response.status_code == 302
    advice_request.refresh_from_db()
    assert advice_request.state == RequestState.SUBMITTED


def _form(page, selector):
    """The form at ``selector``: its method, where it goes, and what its hidden fields send."""
    form = page.select_one(selector)
    data = {field["name"]: field["value"] for field in form.select("input[type=hidden]")}
    return form.get("method", "get").lower(), form["action"], data


def test_accept_asks_for_confirmation_on_a_page_that_says_what_accepting_does_and_accepts_nothing_until_then(
    caseworker_client, caseworker, ersa
):
    """Accept was one click, with no way back: a request meant to be returned was accepted at once."""
    advice_request = submitted(ersa, child=ChildRecordFactory(first_name="Amelia", last_name="Quillfeather"))
    reference = submission_reference_assign(advice_request.submissions.get())
    review = reverse("review_queue:review", args=[advice_request.pk])
    page = BeautifulSoup(caseworker_client.get(review).content, "html.parser")
    method, action, data = _form(page, ".advice-review__decision form:has(button)")
    assert (method, action, data) == (
        "get",
        reverse("review_queue:accept_confirm", args=[advice_request.pk]),
        {"submission": "1"},
    )
    audited = AuditEntry.objects.count()

    response = caseworker_client.get(action, data)  # the first press

    assert response.status_code == 200
    advice_request.refresh_from_db()
    assert advice_request.state == RequestState.SUBMITTED
    assert AuditEntry.objects.count() == audited and not InboxMessage.objects.exists() and not mail.outbox
    page = BeautifulSoup(response.content, "html.parser")
    text = " ".join(page.get_text().split())
    assert "Accept this advice" in page.title.get_text() and "Quillfeather" not in page.title.get_text()
    assert "Amelia Quillfeather" in text and f"Submission 1, {reference}" in text
    assert "you cannot undo it, or return the advice for more information afterwards" in text
    assert "the team account can no longer change its answers" in text
    assert page.select_one("main a.button-secondary").get_text(strip=True) == "Cancel"
    assert page.select_one("main a.button-secondary")["href"] == review
    assert page.select_one("main form button").get_text(strip=True) == "Accept this advice"
    method, action, data = _form(page, "main form")
    assert (method, action) == ("post", reverse("review_queue:accept", args=[advice_request.pk]))
    assert {key: value for key, value in data.items() if key != "csrfmiddlewaretoken"} == {
        "submission": "1",
        **CONFIRMED,
    }

    response = caseworker_client.post(action, data)  # the confirmation

    assert response.status_code == 302 and response.url == reverse("review_queue:index")
    advice_request.refresh_from_db()
    assert advice_request.state == RequestState.ACCEPTED
    entry = AuditEntry.objects.get(action="advice_request.accepted")
    assert (entry.actor, entry.from_state, entry.to_state) == (caseworker, "submitted", "accepted")


def test_an_accept_posted_without_the_confirmation_is_shown_it_and_accepts_nothing(caseworker_client, ersa):
    """A review page opened before Accept asked to be confirmed (or a script) posts Accept itself."""
    advice_request = submitted(ersa)
    confirm = reverse("review_queue:accept_confirm", args=[advice_request.pk])
    audited = AuditEntry.objects.count()

    response = caseworker_client.post(reverse("review_queue:accept", args=[advice_request.pk]), {"submission": 1})

    assert response.status_code == 302 and response.url == f"{confirm}?submission=1"
    advice_request.refresh_from_db()
    assert advice_request.state == RequestState.SUBMITTED
    assert AuditEntry.objects.count() == audited and not InboxMessage.objects.exists()
    response = caseworker_client.post(reverse("review_queue:accept", args=[advice_request.pk]), {"confirmed": "no"})
    assert response.url == confirm
    assert caseworker_client.get(confirm, {"submission": 1}).status_code == 200
    advice_request.refresh_from_db()
    assert advice_request.state == RequestState.SUBMITTED


def test_the_confirmation_of_a_version_changed_since_it_was_read_says_so_and_so_does_its_accept(
    caseworker_client, ersa
):
    advice_request = submitted(ersa)
    confirm = reverse("review_queue:accept_confirm", args=[advice_request.pk])
    page = BeautifulSoup(caseworker_client.get(confirm, {"submission": 1}).content, "html.parser")
    _, action, data = _form(page, "main form")
    submission_make(advice_request, SECOND)  # returned by a colleague and sent again meanwhile

    for response in (caseworker_client.post(action, data), caseworker_client.get(confirm, {"submission": 1})):
        assert response.status_code == 409
        summary = BeautifulSoup(response.content, "html.parser").select_one("main [role=alert]").get_text()
        assert "Version 2 of this advice was submitted after you opened this page" in summary
    summary = BeautifulSoup(caseworker_client.get(confirm).content, "html.parser").select_one("main [role=alert]")
    assert "did not say which version of this advice you read" in summary.get_text()
    advice_request.refresh_from_db()
    assert advice_request.state == RequestState.SUBMITTED
    assert not AuditEntry.objects.filter(action="advice_request.accepted").exists()
    assert caseworker_client.get(confirm, {"submission": 2}).status_code == 200


def test_a_version_read_in_other_digits_is_a_version_not_said(caseworker_client, ersa):
    """A "²" passes str.isdigit(), and int() refused it: a server error where the page says no version was read."""
    advice_request = submitted(ersa)
    confirm = reverse("review_queue:accept_confirm", args=[advice_request.pk])
    summary = BeautifulSoup(caseworker_client.get(confirm, {"submission": "²"}).content, "html.parser")
    assert "did not say which version of this advice you read" in summary.select_one("main [role=alert]").get_text()
    response = caseworker_client.post(reverse("review_queue:accept", args=[advice_request.pk]), {"submission": "²"})
    assert response.status_code == 302 and response.url == confirm  # to the confirmation, which says so
    advice_request.refresh_from_db()
    assert advice_request.state == RequestState.SUBMITTED


def test_the_confirmation_of_an_unknown_request_is_404(caseworker_client, ersa):
    advice_request = submitted(ersa)
    unknown = advice_request.pk + 1000
    assert (
        caseworker_client.get(reverse("review_queue:accept_confirm", args=[unknown]), {"submission": 1}).status_code
        == 404
    )
    response = caseworker_client.post(reverse("review_queue:accept", args=[unknown]), {"submission": 1})
    assert response.status_code == 404


@pytest.mark.parametrize("state", [RequestState.IN_PROGRESS, RequestState.RETURNED])
def test_the_confirmation_of_a_request_that_cannot_be_accepted_goes_back_to_the_review_saying_why(
    caseworker_client, ersa, state
):
    advice_request = submitted(ersa)
    AdviceRequest.objects.filter(pk=advice_request.pk).update(state=state)
    confirm = reverse("review_queue:accept_confirm", args=[advice_request.pk])

    response = caseworker_client.get(confirm, {"submission": 1})

    assert response.status_code == 302 and response.url == reverse("review_queue:review", args=[advice_request.pk])
    assert "so it cannot be accepted" in caseworker_client.get(response.url).content.decode()


def test_a_refused_accept_or_return_says_so_in_a_message_that_takes_focus(caseworker_client, ersa):
    """Accept and return, done, say so in a message that takes the focus; refused (the request no longer
    submitted), the red message back on the review page did not, so a keyboard user heard nothing of why."""
    advice_request = submitted(ersa)
    AdviceRequest.objects.filter(pk=advice_request.pk).update(state=RequestState.IN_PROGRESS)
    pk = advice_request.pk

    refused = [
        caseworker_client.get(reverse("review_queue:accept_confirm", args=[pk]), {"submission": 1}),
        caseworker_client.post(reverse("review_queue:accept", args=[pk]), {"submission": 1, **CONFIRMED}),
        caseworker_client.post(reverse("review_queue:return", args=[pk]), {"reason": "More please", "submission": 1}),
    ]

    for response in refused:
        assert response.status_code == 302 and response.url == reverse("review_queue:review", args=[pk])
        assert messages_taking_focus(response) == messages_of(response) != [], messages_of(response)


def test_back_to_the_confirmation_after_accepting_goes_to_the_review_saying_it_is_accepted(caseworker_client, ersa):
    """Back after accepting reopened the confirmation, which sent the caseworker to the review under a red error:
    'This request is "Accepted", so it cannot be accepted.'"""
    advice_request = submitted(ersa)
    confirm = reverse("review_queue:accept_confirm", args=[advice_request.pk])
    accepted = caseworker_client.post(
        reverse("review_queue:accept", args=[advice_request.pk]), {"submission": 1, **CONFIRMED}, follow=True
    )
    assert "Accepted: " in accepted.content.decode()
    audited = AuditEntry.objects.count()

    response = caseworker_client.get(confirm, {"submission": 1})

    assert response.status_code == 302 and response.url == reverse("review_queue:review", args=[advice_request.pk])
    assert [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)] == [
        ("info", "This advice has been accepted.")
    ]
    assert AuditEntry.objects.count() == audited  # nothing written
    page = caseworker_client.get(response.url).content.decode()
    assert "This advice has been accepted." in page and "cannot be accepted" not in page


def test_a_professional_cannot_reach_the_confirmation_even_of_their_own_request(verified_client, professional, ersa):
    advice_request = submitted(ersa, account=professional)
    confirm = reverse("review_queue:accept_confirm", args=[advice_request.pk])
    accept = reverse("review_queue:accept", args=[advice_request.pk])

    assert refused_the_admin(verified_client.get(confirm), confirm)
    assert refused_the_admin(verified_client.post(accept, {"submission": 1, **CONFIRMED}), accept)
    advice_request.refresh_from_db()
    assert advice_request.state == RequestState.SUBMITTED
    assert not AuditEntry.objects.filter(action="advice_request.accepted").exists()


@pytest.mark.parametrize("group", ["Content editor", "Form designer"])
def test_content_editors_and_form_designers_are_refused_and_get_no_casework_menu(client, ersa, group):
    advice_request = submitted(ersa)
    submission = advice_request.submissions.get()
    child = advice_request.child
    verified_login(client, staff_in_group(group))
    assert_no_menu_and_forbidden(
        client,
        "Casework",
        [
            reverse("child_records:index"),
            reverse("child_records:add"),
            reverse("child_records:inspect", args=[child.pk]),
            reverse("child_records:edit", args=[child.pk]),
            reverse("child_records:share", args=[child.pk]),
            reverse("review_queue:index"),
            reverse("review_queue:review", args=[advice_request.pk]),
            reverse("review_queue:accept_confirm", args=[advice_request.pk]) + "?submission=1",
            reverse("review_queue:submission_pdf", args=[submission.pk]),
            reverse("overdue_advice:index"),
        ],
    )
    for path in [
        reverse("review_queue:accept", args=[advice_request.pk]),
        reverse("review_queue:return", args=[advice_request.pk]),
    ]:
        assert refused_by_wagtail(client.post(path, {"reason": "x"})), path
    advice_request.refresh_from_db()
    assert advice_request.state == RequestState.SUBMITTED
    assert not AuditEntry.objects.filter(action="child_record.viewed").exists()


def test_a_caseworker_sees_the_casework_menu(caseworker_client):
    home = caseworker_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Casework" in home
    for name in ("Child records", "Review queue", "Overdue advice", "Access requests", "Reported changes"):
        assert name in home


def test_the_review_page_reads_in_sections_with_the_decision_reachable_from_the_top(caseworker_client, ersa):
    advice_request = AdviceRequestFactory(form_version=ersa)
    submission_make(advice_request, SECOND)

    html = caseworker_client.get(reverse("review_queue:review", args=[advice_request.pk])).content.decode()

    accept = html.index(reverse("review_queue:accept_confirm", args=[advice_request.pk]))
    answers = html.index("Reading help and a quiet space")
    # Accept, and a link to the return form, come before the answers; the return form itself after them.
    assert accept < answers
    assert html.index('href="#return-advice"') < answers < html.index('id="return-advice"')
    # One heading and one region per section, listed in a contents list.
    for key, title in (("school", "About the school"), ("needs", "Needs")):
        assert f'<h3 id="review-section-{key}">{title}</h3>' in html
        assert f'<li><a href="#review-section-{key}">{title}</a></li>' in html
    assert html.count('class="advice-review__section"') == 2
    # No external avatar: Wagtail's gravatar is off.
    assert "gravatar.com" not in html


def test_the_share_page_asks_the_due_date_in_a_text_box_with_six_weeks_on_written_as_typed(caseworker_client):
    child = ChildRecordFactory()

    html = caseworker_client.get(reverse("child_records:share", args=[child.pk])).content.decode()

    due = re.search(r'<input[^>]*name="due_date"[^>]*>', html).group()
    assert 'type="text"' in due
    day = timezone.localdate() + datetime.timedelta(days=settings.PORTAL_ADVICE_DUE_DAYS)
    assert f'value="{day.day}/{day.month}/{day.year}"' in due


def _reported(advice_request, when, *, resolved=False):
    report = DetailsChangeReport.objects.create(
        child=advice_request.child,
        advice_request=advice_request,
        account=advice_request.account,
        details="Their surname is spelt Pennington",
        resolved_at=timezone.now() if resolved else None,
    )
    DetailsChangeReport.objects.filter(pk=report.pk).update(created_at=when)
    return report


def _banner(html):
    found = BeautifulSoup(html, "html.parser").find(string=re.compile("this child's details"))
    return found.find_parent(class_="help-block").get_text(" ", strip=True) if found else None


REPORTED = datetime.datetime(2026, 12, 5, 10, tzinfo=datetime.UTC)


def test_the_review_page_says_a_change_to_the_childs_details_is_waiting_and_links_to_it(
    caseworker_client, caseworker, ersa
):
    """The caseworker could accept advice built on details a professional had said were wrong."""
    advice_request = submitted(ersa, child=ChildRecordFactory(coordinator=caseworker))
    _reported(advice_request, REPORTED - datetime.timedelta(days=30), resolved=True)
    report = _reported(advice_request, REPORTED)
    url = reverse("review_queue:review", args=[advice_request.pk])

    html = caseworker_client.get(url).content.decode()

    assert _banner(html) == (
        "A change to this child's details was reported on 5 December 2026 and has not been dealt with yet. Check the "
        "child's details before you accept the advice. Read the reported change"
    )
    link = BeautifulSoup(html, "html.parser").find("a", string="Read the reported change")
    assert link["href"] == f"{reverse('casework_change_reports')}?report={report.pk}#report-{report.pk}"
    listed = caseworker_client.get(link["href"], follow=True).content.decode()  # the page it is on
    assert f'id="report-{report.pk}"' in listed

    _reported(advice_request, REPORTED + datetime.timedelta(days=1))
    assert _banner(caseworker_client.get(url).content.decode()).startswith(
        "2 changes to this child's details have been reported, the first on 5 December 2026, and have not been dealt "
        "with yet."
    )


def test_a_change_dealt_with_or_about_another_child_is_not_mentioned(caseworker_client, caseworker, ersa):
    advice_request = submitted(ersa, child=ChildRecordFactory(coordinator=caseworker))
    _reported(advice_request, REPORTED, resolved=True)
    _reported(submitted(ersa), REPORTED)

    html = caseworker_client.get(reverse("review_queue:review", args=[advice_request.pk])).content.decode()

    assert _banner(html) is None


def test_a_change_about_a_child_someone_else_co_ordinates_links_to_the_childs_reported_changes(caseworker_client, ersa):
    """Reported changes lists the changes about children the caseworker co-ordinates (or with no co-ordinator); the
    child's own Reported changes page lists every one."""
    advice_request = submitted(ersa, child=ChildRecordFactory(coordinator=staff_in_group("SEND caseworker")))
    _reported(advice_request, REPORTED)

    html = caseworker_client.get(reverse("review_queue:review", args=[advice_request.pk])).content.decode()

    link = BeautifulSoup(html, "html.parser").find("a", string="Read the reported change")
    assert link["href"] == reverse("casework_child_change_reports", args=[advice_request.child.pk])


def test_the_review_page_reads_waiting_changes_in_one_query_however_many(caseworker_client, caseworker, ersa):
    advice_request = submitted(ersa, child=ChildRecordFactory(coordinator=caseworker))
    url = reverse("review_queue:review", args=[advice_request.pk])

    def queries_about_reports():
        with CaptureQueriesContext(connection) as queries:
            assert caseworker_client.get(url).status_code == 200
        table = DetailsChangeReport._meta.db_table
        return len([query for query in queries.captured_queries if table in query["sql"]]), len(queries)

    none_waiting = queries_about_reports()
    for day in range(3):
        _reported(advice_request, REPORTED + datetime.timedelta(days=day))
    assert queries_about_reports() == none_waiting == (1, none_waiting[1])


def test_the_accepted_message_naming_the_child_waits_in_the_session_not_in_a_cookie(caseworker_client, ersa):
    """Django kept flash messages in a signed, readable cookie: "Accepted: ... for <the child's name>" sat in the
    caseworker's browser (and any proxy's log of cookies) between the decision and the next page."""
    advice_request = submitted(ersa)

    response = caseworker_client.post(
        reverse("review_queue:accept", args=[advice_request.pk]), {"submission": 1, **CONFIRMED}
    )

    assert response.status_code == 302
    assert "messages" not in response.cookies
    page = caseworker_client.get(response["Location"]).content.decode()
    assert f"Accepted: {ersa.title} for {advice_request.child}" in page
    assert f"for {advice_request.child}" not in caseworker_client.get(response["Location"]).content.decode()


def test_a_childs_reported_changes_have_a_page_of_their_own_not_the_contribution_page(
    caseworker_client, caseworker, ersa
):
    """A child's reported changes were listed on its "Contribution and communication method" page, where no caseworker
    looked for a wrong date of birth."""
    advice_request = submitted(ersa, child=ChildRecordFactory(coordinator=caseworker))
    waiting = _reported(advice_request, REPORTED)
    _reported(advice_request, REPORTED - datetime.timedelta(days=3), resolved=True)
    child = advice_request.child
    own = reverse("casework_child_change_reports", args=[child.pk])

    contribution = caseworker_client.get(reverse("casework_contribution", args=[child.pk])).content.decode()
    page = BeautifulSoup(caseworker_client.get(own).content, "html.parser")
    record = BeautifulSoup(
        caseworker_client.get(reverse("child_records:inspect", args=[child.pk])).content, "html.parser"
    )

    assert "Their surname is spelt Pennington" not in contribution
    assert page.h1.get_text(strip=True).startswith("Reported changes")
    assert page.select_one("main").get_text().count("Their surname is spelt Pennington") == 2
    deal = page.find("a", string="Deal with it in Reported changes")
    assert deal["href"] == f"{reverse('casework_change_reports')}?report={waiting.pk}#report-{waiting.pk}"
    assert own in [link["href"] for link in record.select(".advice-record-links a")]


def test_the_review_page_says_when_the_childs_details_changed_since_the_advice_was_submitted(caseworker_client, ersa):
    """The header showed the corrected date of birth and the frozen answers the old one, with nothing saying why."""
    advice_request = submitted(ersa, child=ChildRecordFactory(date_of_birth=datetime.date(2016, 6, 14)))
    submission = advice_request.submissions.get()
    Submission.objects.filter(pk=submission.pk).update(records=records_frozen(request_records(advice_request)))
    url = reverse("review_queue:review", args=[advice_request.pk])

    def note():
        page = BeautifulSoup(caseworker_client.get(url).content, "html.parser")
        found = page.select_one("#child-details-changed")
        return found.get_text(" ", strip=True) if found else None

    assert note() is None
    advice_request.child.date_of_birth = datetime.date(2016, 7, 14)
    advice_request.child.save()

    assert note().startswith("The child's details have changed since this was submitted")
    submission.refresh_from_db()
    assert submission.records["child"]["date_of_birth"] == "14 June 2016"


def _details_note(client, advice_request):
    page = BeautifulSoup(client.get(reverse("review_queue:review", args=[advice_request.pk])).content, "html.parser")
    found = page.select_one("#child-details-changed")
    return found.get_text(" ", strip=True) if found else None


def test_the_review_page_says_the_childs_details_changed_only_when_the_childs_own_fields_did(caseworker_client, ersa):
    """The words the answers froze change with a school's rename or the request's choice to show the name, while the
    child's record does not: the page said the details had changed."""
    school = OrganisationFactory(name="Larkspur Primary", kind=OrganisationKind.SCHOOL)
    advice_request = submitted(ersa, child=ChildRecordFactory(school=school), shows_child_name=True)
    Submission.objects.filter(request=advice_request).update(records=submission_records(advice_request))

    school.name = "Larkspur Primary Academy"
    school.save()
    advice_request.shows_child_name = False
    advice_request.save()
    unchanged = _details_note(caseworker_client, advice_request)
    advice_request.child.unique_pupil_number = "K123456789012"
    advice_request.child.save()

    assert unchanged is None
    assert _details_note(caseworker_client, advice_request).startswith(
        "The child's details have changed since this was submitted"
    )


def _task_states(html):
    soup = BeautifulSoup(html, "html.parser")
    return {
        item.select_one(".govuk-task-list__name-and-hint").get_text(" ", strip=True): item.select_one(
            ".govuk-task-list__status"
        ).get_text(" ", strip=True)
        for item in soup.select(".govuk-task-list__item")
    }


def test_a_return_naming_sections_marks_them_on_the_task_list_and_shows_the_reason_on_those_steps_only(
    caseworker_client, ersa, django_capture_on_commit_callbacks
):
    child = ChildRecordFactory(first_name="Amelia", last_name="Quillfeather")
    advice_request = submitted(ersa, child=child, answers=SECOND)
    review = caseworker_client.get(reverse("review_queue:review", args=[advice_request.pk])).content.decode()
    boxes = BeautifulSoup(review, "html.parser").select("input[name=sections]")
    assert [(box["value"], box.find_parent().get_text(" ", strip=True)) for box in boxes] == [
        ("school", "About the school"),
        ("needs", "Needs"),
    ]

    with django_capture_on_commit_callbacks(execute=True):
        response = caseworker_client.post(
            reverse("review_queue:return", args=[advice_request.pk]),
            {"reason": "Say how often the reading help happens.", "sections": ["needs"], "submission": 1},
        )
    assert response.status_code == 302
    assert advice_request.submissions.get().returned.sections == ["needs"]
    message = InboxMessage.objects.get(link=request_page(advice_request))
    assert "Sections to change:\n- Needs" in message.body
    assert len(mail.outbox) == 1
    assert "Amelia" not in mail.outbox[0].body + mail.outbox[0].subject and "Needs" not in mail.outbox[0].body

    TOTPDeviceFactory(user=advice_request.account)
    client = verified_login(Client(), advice_request.account)
    page = client.get(request_page(advice_request)).content.decode()
    assert _task_states(page) == {"About the school": "Completed", "Needs": "Changes needed"}
    assert "You have completed 1 of 2 sections." in page
    banner = BeautifulSoup(page, "html.parser").select_one(".govuk-notification-banner").get_text(" ", strip=True)
    assert "The sections to change: Needs" in banner

    def step(key):
        url = reverse("portal:request_step", kwargs={"pk": advice_request.pk, "step": key})
        return BeautifulSoup(client.get(url).content.decode(), "html.parser")

    needs, school = step("needs"), step("school")
    assert "Say how often the reading help happens." in needs.select_one(".advice-returned-reason").get_text()
    assert school.select_one(".advice-returned-reason") is None
    assert "asked for changes to other sections" in school.select_one(".advice-returned-reason-line").get_text()
    check = client.get(reverse("portal:request_check_answers", args=[advice_request.pk])).content.decode()
    assert "Say how often the reading help happens." in check

    advice_request.refresh_from_db()
    draft_step_save(
        advice_request=advice_request,
        section_key="needs",
        data={"needs": "Reading help every morning with Mrs Patel"},
        actor=advice_request.account,
    )
    page = client.get(request_page(advice_request)).content.decode()
    assert _task_states(page) == {"About the school": "Completed", "Needs": "Completed"}


def test_the_review_page_and_the_history_name_the_sections_a_return_asked_to_change(
    caseworker_client, caseworker, ersa
):
    """Staff see which sections they asked to change, under the reason, titled as the returned version titles them;
    a return naming none (the whole form) adds no line."""
    advice_request = submitted(ersa, answers=SECOND)
    submission_return(advice_request=advice_request, actor=caseworker, reason="Say how often.", sections=["needs"])
    review = caseworker_client.get(reverse("review_queue:review", args=[advice_request.pk])).content.decode()
    line = BeautifulSoup(review, "html.parser").select_one("#returned-sections")
    assert line is not None and line.get_text(" ", strip=True) == "Sections to change: Needs"
    assert [row["sections"] for row in submission_history(advice_request)] == [["Needs"]]
    TOTPDeviceFactory(user=advice_request.account)
    page = verified_login(Client(), advice_request.account).get(request_page(advice_request)).content.decode()
    history = BeautifulSoup(page, "html.parser").select(".govuk-summary-list__row")[-1].get_text(" ", strip=True)
    assert "What was needed: Say how often. Sections to change: Needs" in history

    whole = submitted(ersa, answers=SECOND)
    submission_return(advice_request=whole, actor=caseworker, reason="More, please.")
    review = caseworker_client.get(reverse("review_queue:review", args=[whole.pk])).content.decode()
    assert "More, please." in review and "Sections to change" not in review
    assert [row["sections"] for row in submission_history(whole)] == [[]]


def test_a_return_naming_a_section_the_version_does_not_have_is_refused_beside_the_field_storing_nothing(
    caseworker_client, caseworker, ersa
):
    advice_request = submitted(ersa, answers=SECOND)
    response = caseworker_client.post(
        reverse("review_queue:return", args=[advice_request.pk]),
        {"reason": "More, please.", "sections": ["needs", "outcomes"], "submission": 1},
    )
    assert response.status_code == 200
    assert response.context["return_form"].errors["sections"] == [
        "Choose only sections of the version you are returning"
    ]
    advice_request.refresh_from_db()
    assert advice_request.state == RequestState.SUBMITTED and not SubmissionReturn.objects.exists()
    # The service refuses it too, writing nothing, whoever calls it.
    with pytest.raises(ValidationError) as refused:
        submission_return(advice_request=advice_request, actor=caseworker, reason="More", sections=["outcomes"])
    assert refused.value.message_dict == {"sections": ["Choose only sections of the version you are returning"]}
    advice_request.refresh_from_db()
    assert advice_request.state == RequestState.SUBMITTED and not SubmissionReturn.objects.exists()


def test_a_resubmission_says_its_new_reference_replaces_the_earlier_one_on_the_confirmation_and_in_the_receipt(
    caseworker, ersa
):
    advice_request = submitted(ersa, answers=SECOND)
    first = advice_request.submissions.get()
    TOTPDeviceFactory(user=advice_request.account)
    client = verified_login(Client(), advice_request.account)

    def confirmation(number):
        url = reverse("portal:request_confirmation", kwargs={"pk": advice_request.pk, "number": number})
        return BeautifulSoup(client.get(url).content.decode(), "html.parser").select_one("#advice-replaces")

    assert confirmation(1) is None
    submission_return(advice_request=advice_request, actor=caseworker, reason="Add the reading age.")
    advice_request.refresh_from_db()
    second = submission_submit(advice_request=advice_request, actor=advice_request.account, idempotency_key="again")
    assert second.reference != first.reference

    said = confirmation(2).get_text(" ", strip=True)
    assert f"replaces the one you submitted before, reference {first.reference}" in said
    receipt = InboxMessage.objects.filter(subject__startswith="We have received").latest("pk")
    assert f"reference {second.reference}. It replaces version 1, reference {first.reference}." in receipt.body


def test_the_return_forms_section_boxes_are_a_group_named_by_its_question_and_described_by_its_hint_and_error(
    caseworker_client, ersa
):
    """A screen reader names each box with the question it answers: the boxes are a fieldset whose legend is the
    question, described by the hint (and the error, once there is one), not boxes after a label that names none."""
    advice_request = submitted(ersa, answers=SECOND)
    review = BeautifulSoup(
        caseworker_client.get(reverse("review_queue:review", args=[advice_request.pk])).content, "html.parser"
    )
    group = review.select_one("input[name=sections]").find_parent("fieldset")
    assert group.legend.get_text(" ", strip=True) == "Sections that need changing (optional)"
    assert (
        group.select_one(f"#{group['aria-describedby']}")
        .get_text(" ", strip=True)
        .startswith("The team account's task list marks the sections you tick")
    )
    assert not review.select("#return-advice label:not([for])")

    refused = caseworker_client.post(
        reverse("review_queue:return", args=[advice_request.pk]),
        {"reason": "More, please.", "sections": ["outcomes"], "submission": 1},
    )
    group = BeautifulSoup(refused.content, "html.parser").select_one("input[name=sections]").find_parent("fieldset")
    described = [group.select_one(f"#{part}").get_text(" ", strip=True) for part in group["aria-describedby"].split()]
    assert described[1] == "Choose only sections of the version you are returning"


def test_the_inbox_message_of_a_return_lists_its_sections_and_its_email_stays_plain_text(
    caseworker, ersa, django_capture_on_commit_callbacks
):
    """The message page wrote the sections as "- About the school" lines in one paragraph, read as dashes: they are a
    bulleted list now, which a screen reader counts. The message's words, which its email would carry, are as they
    were."""
    advice_request = submitted(ersa, answers=SECOND)
    with django_capture_on_commit_callbacks(execute=True):
        submission_return(
            advice_request=advice_request, actor=caseworker, reason="Say how often.", sections=["school", "needs"]
        )
    message = InboxMessage.objects.get(link=request_page(advice_request))
    assert message.body.endswith("What is needed:\nSay how often.\n\nSections to change:\n- About the school\n- Needs")

    TOTPDeviceFactory(user=advice_request.account)
    client = verified_login(Client(), advice_request.account)
    page = BeautifulSoup(client.get(reverse("portal:inbox_message", args=[message.pk])).content, "html.parser")

    listed = page.select_one("main ul.govuk-list--bullet")
    assert [item.get_text() for item in listed.select("li")] == ["About the school", "Needs"]
    assert listed.find_previous_sibling("p").get_text() == "Sections to change:"
    assert "- " not in page.select_one("main").get_text()
    paragraphs = [p.get_text(" ") for p in page.select("main p.govuk-body")]
    assert paragraphs[0].startswith("About ")  # the line that says which child, then the message's words
    assert paragraphs[2:4] == [
        "What is needed: Say how often.",
        "Sections to change:",
    ]
