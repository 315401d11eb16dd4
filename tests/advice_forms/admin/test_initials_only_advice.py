"""Advice from a team account that sees the child by initials only, as the SEND service reads it: the review page
and the PDF staff download identify the child from the child record (staff see every child) and say the team saw
only the initials; the submission, and the team's own copy of its PDF, keep no more than the initials."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from advice_forms.models import ChildRecord, Document
from advice_forms.services.requests import submission_return
from advice_forms.services.submissions import submission_pdf_store, submission_submit
from portal_pages.models import Organisation
from tests.factories.accounts import verified_login
from tests.factories.advice_forms import ChildRecordFactory, advice_request, definition, question, section
from tests.pdfs import pdf_text

pytestmark = pytest.mark.django_db

SHARED = "Only the child's initials (E. P.); the details above are from the child record"


@pytest.fixture
def submitted(professional):
    """An initials-only request's advice, submitted and filed."""
    school = Organisation.objects.create(name="Heronsgate Primary", email_domains="heronsgate.example.org")
    child = ChildRecordFactory(
        first_name="Ellis",
        last_name="Pemberton",
        date_of_birth=datetime.date(2016, 3, 9),
        address="7 Wren Close\nKestrelford KF2 9XY",
        school=school,
        unique_pupil_number="P123456789012",
    )
    version = definition(
        [
            section(
                "The child",
                [
                    question("child_details", "About the child", key="child"),
                    question("short_text", "What helps them learn?", key="helps"),
                ],
                key="about",
            )
        ],
        title="Psychology advice",
    )
    ar = advice_request(professional, version=version, child=child, shows_child_name=False)
    ar.answers = {"about": {"helps": "Short tasks with breaks"}}
    ar.save()
    submission = submission_submit(advice_request=ar, actor=professional, idempotency_key="initials-only-1")
    submission_pdf_store(submission_id=submission.pk)
    return submission


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def _answers(html):
    rows = BeautifulSoup(html, "html.parser").select(".advice-review__answers dt")
    return [(dt.get_text(strip=True), dt.find_next_sibling("dd").get_text(" ", strip=True)) for dt in rows]


def test_the_review_page_identifies_the_child_from_the_record_and_says_the_team_saw_initials(
    caseworker_client, submitted
):
    assert "Pemberton" not in json.dumps(submitted.records), "the submission keeps no more than the team saw"

    html = caseworker_client.get(reverse("review_queue:review", args=[submitted.request_id])).content.decode()

    answers = _answers(html)
    for row in (
        ("Name", "Ellis Pemberton"),
        ("Date of birth", "9 March 2016"),
        ("Address", "7 Wren Close Kestrelford KF2 9XY"),
        ("School or setting", "Heronsgate Primary"),
        ("Unique pupil number", "P123456789012"),
        ("Shared with the team account", SHARED),
    ):
        assert row in answers, answers
    assert "Not shared with your team" not in html and ("Initials", "E. P.") not in answers


def test_a_correction_to_the_record_shows_on_the_review_page_without_saying_the_answers_differ(
    caseworker_client, submitted
):
    """The answers show the record's details now, so the note that they show the details as submitted is not true."""
    ChildRecord.objects.filter(pk=submitted.request.child_id).update(address="12 Kite Lane")

    html = caseworker_client.get(reverse("review_queue:review", args=[submitted.request_id])).content.decode()

    assert ("Address", "12 Kite Lane") in _answers(html)
    assert 'id="child-details-changed"' not in html


def test_the_pdf_staff_download_identifies_the_child_and_the_teams_own_copy_keeps_the_initials(
    caseworker_client, submitted, professional
):
    document = Document.objects.get(submission=submitted)

    staff = caseworker_client.get(reverse("review_queue:submission_pdf", args=[submitted.pk]), follow=True)
    assert staff.status_code == 200 and staff["Content-Type"] == "application/pdf"
    assert f'filename="{submitted.reference}.pdf"' in staff["Content-Disposition"]
    text = " ".join(pdf_text(_body(staff)).split())
    for shown in ("For: Ellis Pemberton", "9 March 2016", "7 Wren Close", "Heronsgate Primary", "P123456789012"):
        assert shown in text, shown
    assert "Shared with the team account: only the child's initials (E. P.)" in text
    assert "Not shared with your team" not in text and "Short tasks with breaks" in text
    # The admin's documents list downloads the same copy.
    listed = caseworker_client.get(reverse("casework_document_download", args=[document.child_id, document.pk]))
    assert " ".join(pdf_text(_body(listed)).split()) == text

    team = verified_login(Client(), professional)
    own = team.get(reverse("portal:request_document", args=[submitted.request_id, document.pk]))
    assert own.status_code == 200
    own_text = pdf_text(_body(own))
    assert "E. P." in own_text and "Not shared with your team" in own_text
    for hidden in ("Ellis", "Pemberton", "Wren", "Heronsgate", "P123456789012", "2016"):
        assert hidden not in own_text, hidden


def test_the_staff_copy_made_on_download_says_the_version_was_returned_then_replaced(
    caseworker, caseworker_client, submitted, professional
):
    """The SEND service's copy of an initials-only version is made on each download: it says what became of the
    version since, as the staff's documents list does. The team's filed copy is frozen at submission."""
    ar = submitted.request

    def staff_text():
        response = caseworker_client.get(reverse("review_queue:submission_pdf", args=[submitted.pk]), follow=True)
        return " ".join(pdf_text(_body(response)).split())

    under_review = staff_text()
    submission_return(advice_request=ar, actor=caseworker, reason="Please add the school's view")
    returned = staff_text()
    ar.refresh_from_db()
    newer = submission_submit(advice_request=ar, actor=professional, idempotency_key="initials-only-2")
    replaced = staff_text()

    assert "Returned for more information" not in under_review and "Replaced by" not in under_review
    assert "Returned for more information" in returned
    assert f"Replaced by version 2, reference {newer.reference}" in replaced
