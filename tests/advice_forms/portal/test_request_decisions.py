"""What becomes of a submission is announced and shown: accepting tells the account in its inbox and by an email
with nothing about the child, and the request page and confirmation show the real state (being reviewed, returned
with the reason, accepted) and every submitted version."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advice_forms.events import CaseworkEvent
from advice_forms.services.requests import submission_accept, submission_return
from advice_forms.workflow import TransitionNotAllowed
from cms.models import AuditEntry
from portal_pages.models import InboxMessage
from tests.factories.accounts import staff_in_group
from tests.factories.advice_forms import AdviceRequestFactory, ChildRecordFactory, request_page, submission_make

pytestmark = pytest.mark.django_db

ANSWERS = {"about": {"summary": "Reads slowly"}}


@pytest.fixture
def caseworker(db):
    return staff_in_group("SEND caseworker")


@pytest.fixture
def advice_request(professional, small_form):
    child = ChildRecordFactory(first_name="Robin", last_name="Marchwood")
    advice_request = AdviceRequestFactory(account=professional, form_version=small_form, child=child)
    submission_make(advice_request, ANSWERS)
    return advice_request


def page(client, advice_request, name="portal:request_detail", **kwargs):
    response = client.get(reverse(name, kwargs={"pk": advice_request.pk, **kwargs}))
    assert response.status_code == 200
    return response.content.decode()


def test_accepting_puts_a_message_in_the_inbox_and_emails_without_the_childs_details(
    advice_request, caseworker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submission_accept(advice_request=advice_request, actor=caseworker)
    message = InboxMessage.objects.get(link=request_page(advice_request))
    assert message.subject == f"Accepted: {advice_request.form_version.title}"
    assert "has accepted your" in message.body and "Robin Marchwood" in message.body
    assert "/portal/requests/" not in message.body
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [advice_request.account.email]
    assert "Robin" not in email.body + email.subject and "Marchwood" not in email.body + email.subject
    assert advice_request.form_version.title not in email.body + email.subject
    # The email says what happened, in a fixed phrase that names nothing of the request.
    assert email.subject.startswith("Advice you submitted has been accepted: you have a new message in the ")
    assert email.body.startswith("Advice you submitted has been accepted.\n")

    # Accepting twice is refused; no second message.
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(TransitionNotAllowed):
        submission_accept(advice_request=advice_request, actor=caseworker)
    assert InboxMessage.objects.filter(link=request_page(advice_request)).count() == 1


def test_the_request_page_and_confirmation_follow_the_state_and_list_every_version(
    verified_client, advice_request, caseworker
):
    html = page(verified_client, advice_request)
    assert "The EHC co-ordinator is reviewing it" in html and "Being reviewed" in html
    html = page(verified_client, advice_request, "portal:request_confirmation", number=1)
    assert "You cannot change the form while it is being reviewed" in html

    submission_return(advice_request=advice_request, actor=caseworker, reason="Add the reading age.")
    html = page(verified_client, advice_request, "portal:request_confirmation", number=1)
    assert "being reviewed" not in html
    assert "Returned for more information" in html and "Add the reading age." in html

    submission_make(advice_request, ANSWERS)
    submission_accept(advice_request=advice_request, actor=caseworker)
    html = page(verified_client, advice_request)
    assert "The SEND service has accepted your advice" in html
    assert "Version 1" in html and "Version 2" in html
    assert html.count("Returned for more information") == 1 and "What was needed: Add the reading age." in html
    assert 'govuk-tag--green">Accepted' in html
    html = page(verified_client, advice_request, "portal:request_confirmation", number=2)
    assert "being reviewed" not in html and "There is nothing more you need to do" in html
    html = page(verified_client, advice_request, "portal:request_confirmation", number=1)
    assert "Add the reading age." in html and "Change your answers" not in html


def test_the_history_dates_and_words_a_return_from_its_row_and_counts_a_version_returned_without_one(
    verified_client, advice_request, caseworker
):
    """A return's row is its one store: the history takes its date and words from the row, not from the audit log
    (an entry can be dated otherwise, or missing); a version with a later one was returned, even with no row."""
    submission_return(advice_request=advice_request, actor=caseworker, reason="Add the reading age.")
    returned = advice_request.submissions.get(number=1).returned
    returned.returned_at = returned.returned_at.replace(year=2025, month=3, day=14)
    returned.save()
    AuditEntry.objects.filter(action=CaseworkEvent.REQUEST_RETURNED).delete()
    submission_make(advice_request, ANSWERS)
    html = page(verified_client, advice_request)
    assert "Returned for more information</strong> on 14 March 2025" in html
    assert "What was needed: Add the reading age." in html

    # A version sent back before its words were kept on a row (none here): still returned, with no date or words.
    returned.delete()
    html = page(verified_client, advice_request)
    assert html.count("Returned for more information") == 1 and "Being reviewed" in html
    assert 'govuk-tag--orange">Returned for more information</strong></p>' in html


def test_a_submitted_request_page_reads_no_records_for_a_task_list_it_does_not_show(verified_client, advice_request):
    """The page worked out the task list (reading the child's outcomes, contacts and contribution for the form's
    record-backed questions) for a submitted or accepted request, whose page shows no task list."""
    with CaptureQueriesContext(connection) as queries:
        html = page(verified_client, advice_request)
    assert "govuk-task-list" not in html
    rows_read = [
        query["sql"]
        for query in queries.captured_queries
        if not query["sql"].startswith("SELECT COUNT(*)")  # the counts by the links to the child's pages
        and ("portal_pages_outcome" in query["sql"] or "portal_pages_professionalcontact" in query["sql"])
    ]
    assert rows_read == []


def test_the_reason_for_a_return_is_in_govuk_body_text_wherever_it_shows(verified_client, advice_request, caseworker):
    """``linebreaks`` put the reason's paragraphs, unstyled, inside a div.govuk-body: each line now sits in one
    p.govuk-body, a blank line between paragraphs kept as line breaks."""
    submission_return(advice_request=advice_request, actor=caseworker, reason="Add the reading age.\n\nAnd the date.")

    for name, kwargs, holder in (
        ("portal:request_detail", {}, ".govuk-notification-banner__content"),
        ("portal:request_step", {"step": "about"}, ".advice-returned-reason"),
        ("portal:request_check_answers", {}, ".advice-returned-reason"),
    ):
        shown = BeautifulSoup(page(verified_client, advice_request, name, **kwargs), "html.parser").select_one(holder)
        reason = [p for p in shown.find_all("p") if "Add the reading age." in p.get_text()]
        assert len(reason) == 1 and reason[0]["class"] == ["govuk-body"], name
        assert " ".join(reason[0].get_text(" ").split()) == "Add the reading age. And the date.", name
        assert len(reason[0].find_all("br")) == 2, name
        assert not shown.select("div.govuk-body"), name


def test_the_reason_for_a_return_shows_on_each_step_and_on_check_answers_while_returned(
    verified_client, advice_request, caseworker
):
    """The reason showed on the request page alone: not where the professional changes the answer it asks about."""
    steps = ["portal:request_step", "portal:request_check_answers"]

    def reasons(name, **kwargs):
        soup = BeautifulSoup(page(verified_client, advice_request, name, **kwargs), "html.parser")
        return [" ".join(inset.get_text(" ", strip=True).split()) for inset in soup.select(".advice-returned-reason")]

    submission_return(advice_request=advice_request, actor=caseworker, reason="Add the reading age.\nAnd the date.")

    shown = "The EHC co-ordinator has asked for more information Add the reading age. And the date."
    for key in ("about", "outcomes", "other"):
        assert reasons(steps[0], step=key) == [shown], key
    assert reasons(steps[1]) == [shown]
    assert "Add the reading age." in page(verified_client, advice_request)

    never_returned = AdviceRequestFactory(account=advice_request.account, form_version=advice_request.form_version)
    for html in (
        page(verified_client, never_returned, steps[0], step="about"),
        page(verified_client, never_returned, steps[1]),
    ):
        assert "advice-returned-reason" not in html and "has asked for more information" not in html
