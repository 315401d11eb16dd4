"""The review page's "Earlier submissions": each returned version with the reason it was returned for and the sections
the return named (its SubmissionReturn, as the child's history and the latest return show them), read in as many
queries however many versions came before."""

import re

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advice_forms.models import Document, RequestState
from advice_forms.services.requests import submission_return
from advice_forms.services.submissions import submission_pdf_store
from tests.factories.advice_forms import AdviceRequestFactory, submission_make

pytestmark = pytest.mark.django_db

ANSWERS = {"school": {"school_name": "Oakfield Primary"}, "needs": {"needs": "Reading help"}}


def returned_and_sent_again(advice_request, caseworker, reason, sections=()):
    """The latest version returned with ``reason`` (naming ``sections``), then a new version submitted."""
    advice_request.refresh_from_db()
    submission_return(advice_request=advice_request, actor=caseworker, reason=reason, sections=list(sections))
    advice_request.refresh_from_db()
    return submission_make(advice_request, ANSWERS)


def earlier_submissions(client, advice_request):
    """Each earlier submission's words on the review page, by number."""
    response = client.get(reverse("review_queue:review", args=[advice_request.pk]))
    assert response.status_code == 200
    section = BeautifulSoup(response.content, "html.parser").select_one("section[aria-labelledby=review-earlier]")
    words = [" ".join(item.get_text(" ", strip=True).split()) for item in section.select("li")]
    return {int(re.match(r"Submission (\d+),", said).group(1)): said for said in words}


def test_each_earlier_submission_shows_why_it_was_returned_and_the_sections_named(caseworker_client, caseworker, ersa):
    advice_request = AdviceRequestFactory(form_version=ersa)
    submission_make(advice_request, ANSWERS)
    returned_and_sent_again(advice_request, caseworker, "Add the reading age.", sections=["needs"])
    returned_and_sent_again(advice_request, caseworker, "Say who gives the help.")

    shown = earlier_submissions(caseworker_client, advice_request)
    assert sorted(shown) == [1, 2]  # the latest, 3, is the one under review above
    assert "Returned for more information on " in shown[1]
    assert "What was needed: Add the reading age. Sections to change: Needs" in shown[1]
    assert "What was needed: Say who gives the help." in shown[2]
    assert "Sections to change" not in shown[2]  # a return of the whole form names none


def test_the_earlier_submissions_are_read_in_as_many_queries_however_many_were_returned(
    caseworker_client, caseworker, ersa
):
    def queries_of_the_page(advice_request):
        with CaptureQueriesContext(connection) as captured:
            response = caseworker_client.get(reverse("review_queue:review", args=[advice_request.pk]))
        assert response.status_code == 200
        return len(captured)

    def returned_times(count):
        advice_request = AdviceRequestFactory(form_version=ersa)
        submission_make(advice_request, ANSWERS)
        for n in range(count):
            returned_and_sent_again(advice_request, caseworker, f"Reason {n}.", sections=["school", "needs"])
        assert advice_request.state == RequestState.SUBMITTED
        return advice_request

    once, four_times = returned_times(1), returned_times(4)
    queries_of_the_page(once)  # the first page read fills the caches every page shares
    assert len(earlier_submissions(caseworker_client, four_times)) == 4
    assert queries_of_the_page(four_times) == queries_of_the_page(once)


def test_an_earlier_submissions_link_ends_with_the_pdfs_type_and_size(caseworker_client, caseworker, ersa):
    """It read "download the PDF (38 KB)": GOV.UK's links to a file end with its type and size, "(PDF, 38 KB)"."""
    advice_request = AdviceRequestFactory(form_version=ersa)
    first = submission_make(advice_request, ANSWERS)
    submission_pdf_store(submission_id=first.pk)
    returned_and_sent_again(advice_request, caseworker, "Add the reading age.")

    size = Document.objects.get(submission=first).size_display
    assert f"download submission 1 (PDF, {size})" in earlier_submissions(caseworker_client, advice_request)[1]
