"""A caseworker's actions on overdue advice, through the real admin views: the Overdue tag with "Change due date"
and "Send a reminder" where an overdue request is shown, the reminder sent now (inbox, an email naming no child,
audited, refused once the request has left the account, and one per double click), and the due date changed."""

import datetime

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from advice_forms.events import CaseworkEvent
from advice_forms.models import RequestState
from advice_forms.services.submissions import submission_reference_assign
from cms.flash_messages import TAKES_FOCUS
from cms.models import AuditEntry
from portal_pages.models import InboxMessage
from tests.factories.accounts import staff_in_group, verified_login
from tests.factories.advice_forms import AdviceRequestFactory, ChildRecordFactory, request_page, submission_make
from tests.refusals import messages_of, messages_taking_focus, refused_by_wagtail

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def overdue(ersa, caseworker):
    """Amelia Quillfeather's ERSA, with Oakfield's team account, due five days ago and already reminded by the
    daily run."""
    with time_machine.travel(NOW, tick=False):
        return AdviceRequestFactory(
            form_version=ersa,
            child=ChildRecordFactory(first_name="Amelia", last_name="Quillfeather", coordinator=caseworker),
            state=RequestState.IN_PROGRESS,
            due_date=timezone.localdate() - datetime.timedelta(days=5),
            reminded_overdue_at=timezone.now() - datetime.timedelta(days=4),
        )


def remind(client, advice_request, **data):
    return client.post(reverse("review_queue:remind", args=[advice_request.pk]), data)


def remind_at(moment, client, advice_request, capture):
    with time_machine.travel(moment, tick=False), capture(execute=True):
        return remind(client, advice_request)


def test_an_overdue_request_offers_its_actions_wherever_it_is_shown(caseworker_client, overdue):
    with time_machine.travel(NOW, tick=False):
        pages = {
            "overdue list": caseworker_client.get(reverse("overdue_advice:index")),
            "child record": caseworker_client.get(reverse("child_records:inspect", args=[overdue.child_id])),
            "request page": caseworker_client.get(reverse("review_queue:review", args=[overdue.pk])),
        }
    due_date_url = reverse("review_queue:due_date", args=[overdue.pk])
    remind_url = reverse("review_queue:remind", args=[overdue.pk])
    for where, response in pages.items():
        html = response.content.decode()
        assert response.status_code == 200, where
        assert "Overdue</strong>" in html, where
        assert f'href="{due_date_url}' in html and ">Change due date<" in html, where
        assert f'<form method="post" action="{remind_url}">' in html and ">Send a reminder<" in html, where
        assert 'name="csrfmiddlewaretoken"' in html.split(remind_url, 1)[1].split("</form>", 1)[0], where


def test_an_accepted_request_offers_neither_action(caseworker_client, overdue):
    overdue.state = RequestState.ACCEPTED
    overdue.save()
    html = caseworker_client.get(reverse("review_queue:review", args=[overdue.pk])).content.decode()
    assert "Send a reminder" not in html and "Change due date" not in html and "Overdue</strong>" not in html


def test_a_reminder_goes_to_the_inbox_and_its_email_names_no_child(
    caseworker_client, caseworker, overdue, django_capture_on_commit_callbacks
):
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        response = remind(caseworker_client, overdue, back="overdue")
    assert response.status_code == 302 and response["Location"] == reverse("overdue_advice:index")
    assert messages_of(response) == [
        f"A reminder has been sent to {overdue.account.display_name}. You can send another in 10 minutes."
    ]
    message = InboxMessage.objects.get(account=overdue.account)
    assert message.subject == "Overdue: Test ERSA"
    assert "Amelia Quillfeather" in message.body and "was due on 25 February 2026" in message.body
    assert message.link == request_page(overdue)
    [email] = mail.outbox
    assert email.to == [overdue.account.email]
    for words in ("Amelia", "Quillfeather", "AQ", "Test ERSA"):
        assert words not in email.subject and words not in email.body
    entry = AuditEntry.objects.get(action=CaseworkEvent.REQUEST_REMINDED)
    assert entry.actor == caseworker and entry.target_id == str(overdue.pk)
    assert entry.data == {"account": overdue.account_id, "due_date": "2026-02-25", "overdue": True}
    assert "Amelia" not in f"{entry.data} {entry.reason}" and entry.created_at == NOW


def test_a_double_click_sends_one_reminder_and_says_when_another_may_go(
    caseworker_client, overdue, django_capture_on_commit_callbacks
):
    remind_at(NOW, caseworker_client, overdue, django_capture_on_commit_callbacks)
    again = remind_at(
        NOW + datetime.timedelta(seconds=1), caseworker_client, overdue, django_capture_on_commit_callbacks
    )
    assert again.status_code == 302 and again["Location"] == reverse("review_queue:review", args=[overdue.pk])
    assert messages_of(again) == [
        f"A reminder was sent to {overdue.account.display_name} at 9am. You can send another from 9:10am: one every "
        "10 minutes at most."
    ]
    assert InboxMessage.objects.filter(account=overdue.account).count() == 1 and len(mail.outbox) == 1
    assert AuditEntry.objects.filter(action=CaseworkEvent.REQUEST_REMINDED).count() == 1

    remind_at(NOW + datetime.timedelta(minutes=10), caseworker_client, overdue, django_capture_on_commit_callbacks)
    assert InboxMessage.objects.filter(account=overdue.account).count() == 2 and len(mail.outbox) == 2


@pytest.mark.parametrize("state", [RequestState.SUBMITTED, RequestState.ACCEPTED])
def test_no_reminder_once_the_request_has_left_the_account(caseworker_client, overdue, state):
    overdue.state = state
    overdue.save()
    response = remind(caseworker_client, overdue)
    assert response.status_code == 302
    assert messages_of(response) == [f"This request is “{state.label}”, so it cannot be reminded."]
    assert not InboxMessage.objects.exists() and not mail.outbox
    assert not AuditEntry.objects.filter(action=CaseworkEvent.REQUEST_REMINDED).exists()


def test_a_reminder_is_sent_by_post_with_its_csrf_token_only(caseworker, overdue):
    client = Client(enforce_csrf_checks=True)
    verified_login(client, caseworker)
    url = reverse("review_queue:remind", args=[overdue.pk])
    assert client.get(url)["Location"] == reverse("review_queue:review", args=[overdue.pk])  # sends nothing
    assert client.post(url).status_code == 403
    assert not InboxMessage.objects.exists()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("Form designer", False), ("Content editor", False), ("Portal administrator", False), ("SEND caseworker", True)],
)
def test_only_caseworkers_may_remind_or_change_a_due_date(client, overdue, role, allowed):
    verified_login(client, staff_in_group(role))
    reminded = remind(client, overdue)
    due = client.post(reverse("review_queue:due_date", args=[overdue.pk]), {"due_date": "2099-01-31"})
    for response in (reminded, due):
        assert response.status_code == 302 and refused_by_wagtail(response) != allowed
    assert InboxMessage.objects.exists() == allowed


def test_a_request_that_does_not_exist_is_not_found(caseworker_client, overdue):
    missing = overdue.pk + 1000
    assert remind(caseworker_client, type(overdue)(pk=missing)).status_code == 404
    assert caseworker_client.get(reverse("review_queue:due_date", args=[missing])).status_code == 404


def test_a_new_due_date_is_saved_told_audited_and_reminded_again(
    caseworker_client, caseworker, overdue, django_capture_on_commit_callbacks
):
    url = reverse("review_queue:due_date", args=[overdue.pk])
    with time_machine.travel(NOW, tick=False):
        form = caseworker_client.get(url, {"back": "overdue"})
        assert form.status_code == 200
        assert 'value="25/2/2026"' in form.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            response = caseworker_client.post(url, {"due_date": "2026-03-16", "back": "overdue"})
    assert response.status_code == 302 and response["Location"] == reverse("overdue_advice:index")
    assert messages_of(response) == [
        f"The due date is now 16 March 2026. {overdue.account.display_name} is told in its portal inbox with the new"
        " date, and by an email that says only that a due date has changed."
    ]
    overdue.refresh_from_db()
    assert overdue.due_date == datetime.date(2026, 3, 16)
    assert overdue.reminded_overdue_at is None and overdue.reminded_due_soon_at is None
    message = InboxMessage.objects.get(account=overdue.account)
    assert message.subject == "New due date: Test ERSA" and "It is now due on 16 March 2026." in message.body
    [email] = mail.outbox
    assert "Amelia" not in email.body and "Quillfeather" not in email.subject
    entry = AuditEntry.objects.get(action=CaseworkEvent.REQUEST_DUE_DATE_CHANGED)
    assert entry.actor == caseworker
    assert entry.data == {"account": overdue.account_id, "from": "2026-02-25", "to": "2026-03-16"}
    with time_machine.travel(NOW, tick=False):
        html = caseworker_client.get(reverse("overdue_advice:index")).content.decode()
    assert "Amelia" not in html  # no longer overdue


def test_a_due_date_in_the_past_is_refused_beside_the_field_and_kept(caseworker_client, overdue):
    url = reverse("review_queue:due_date", args=[overdue.pk])
    with time_machine.travel(NOW, tick=False):
        response = caseworker_client.post(url, {"due_date": "2026-03-01", "back": "record"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("The due date must be today or in the future") == 2  # the summary and beside the field
    assert 'value="2026-03-01"' in html and 'name="back" value="record"' in html
    overdue.refresh_from_db()
    assert overdue.due_date == datetime.date(2026, 2, 25)
    assert not AuditEntry.objects.filter(action=CaseworkEvent.REQUEST_DUE_DATE_CHANGED).exists()


@pytest.mark.parametrize("typed", ["16/3/2026", "16/03/2026", "2026-03-16"])
def test_a_due_date_typed_as_a_uk_reader_writes_it_is_saved(caseworker_client, overdue, typed):
    with time_machine.travel(NOW, tick=False):
        response = caseworker_client.post(reverse("review_queue:due_date", args=[overdue.pk]), {"due_date": typed})
    assert response.status_code == 302
    overdue.refresh_from_db()
    assert overdue.due_date == datetime.date(2026, 3, 16)


def test_an_impossible_due_date_is_refused_beside_the_field_in_a_box_whose_hint_gives_the_format(
    caseworker_client, overdue
):
    """A text box: the browser's own date box sent nothing for 31/02/2027, and was told to enter the due date."""
    with time_machine.travel(NOW, tick=False):
        response = caseworker_client.post(
            reverse("review_queue:due_date", args=[overdue.pk]), {"due_date": "31/02/2027"}
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("Enter a real due date, like 30/3/2026") == 2  # the summary and beside the field
    box = BeautifulSoup(html, "html.parser").find("input", attrs={"name": "due_date"})
    assert (box["type"], box["value"]) == ("text", "31/02/2027")
    overdue.refresh_from_db()
    assert overdue.due_date == datetime.date(2026, 2, 25)


def test_the_due_dates_example_is_a_date_it_takes(caseworker, overdue):
    """The hint gave a fixed 27/3/2027: after that day its example was a date in the past, refused."""
    url = reverse("review_queue:due_date", args=[overdue.pk])
    with time_machine.travel(datetime.datetime(2027, 6, 1, 9, tzinfo=datetime.UTC), tick=False):
        client = verified_login(Client(), caseworker)
        html = BeautifulSoup(client.get(url).content, "html.parser")
        box = html.find("input", attrs={"name": "due_date"})
        example = html.find(id=box["aria-describedby"]).get_text(strip=True).removeprefix("For example, ")
        response = client.post(url, {"due_date": example})

    assert example == "29/6/2027" and response.status_code == 302
    overdue.refresh_from_db()
    assert overdue.due_date == datetime.date(2027, 6, 29)


def test_a_post_without_a_date_asks_for_one(caseworker_client, overdue):
    response = caseworker_client.post(reverse("review_queue:due_date", args=[overdue.pk]), {})
    assert response.status_code == 200
    assert response.content.decode().count("Enter the due date") == 2  # the summary and beside the field


def test_a_submitted_request_keeps_its_due_date(caseworker_client, overdue):
    overdue.state = RequestState.SUBMITTED
    overdue.save()
    url = reverse("review_queue:due_date", args=[overdue.pk])
    for response in (caseworker_client.get(url), caseworker_client.post(url, {"due_date": "2099-01-31"})):
        assert response.status_code == 302
        assert messages_of(response) == ["This request is “Submitted”, so it cannot be given a new due date."]
    overdue.refresh_from_db()
    assert overdue.due_date == datetime.date(2026, 2, 25)


def test_the_overdue_list_finds_a_request_by_its_submissions_reference_or_the_childs_name(
    caseworker_client, caseworker, ersa, overdue
):
    """The overdue list had no search box, where the review queue and child records find a submission by reference."""
    with time_machine.travel(NOW, tick=False):
        returned = AdviceRequestFactory(
            form_version=ersa,
            child=ChildRecordFactory(first_name="Bartholomew", last_name="Quillfeather", coordinator=caseworker),
            due_date=timezone.localdate() - datetime.timedelta(days=2),
        )
        reference = submission_reference_assign(submission_make(returned, {}, state=RequestState.RETURNED))

        def found(query):
            html = caseworker_client.get(reverse("overdue_advice:index"), {"q": query}).content.decode()
            return {name for name in ("Amelia Quillfeather", "Bartholomew Quillfeather") if name in html}

        assert found(reference) == found(reference.lower().replace("-", " ")) == {"Bartholomew Quillfeather"}
        assert found("quillfeather amelia") == {"Amelia Quillfeather"}
        assert found("Quillfeather") == {"Amelia Quillfeather", "Bartholomew Quillfeather"}


def test_the_overdue_list_and_the_review_queue_write_the_due_day_as_the_records_do(caseworker_client, overdue):
    """They said "25 Feb 2026" while the child record and the request page said "25 February 2026"."""
    submission_make(overdue, {"school": {"school_name": "Oakfield"}})
    overdue.state = RequestState.IN_PROGRESS
    overdue.save(update_fields=["state"])
    with time_machine.travel(NOW, tick=False):
        overdue_list = caseworker_client.get(reverse("overdue_advice:index")).content.decode()
        submission_make(overdue, {"school": {"school_name": "Oakfield"}})
        queue = caseworker_client.get(reverse("review_queue:index")).content.decode()
        record = caseworker_client.get(reverse("child_records:inspect", args=[overdue.child_id])).content.decode()

    assert "25 February 2026 (5 days overdue)" in overdue_list
    assert "25 February 2026" in queue and "25 February 2026" in record
    for page in (overdue_list, queue):
        assert "25 Feb 2026" not in page


def test_a_reminder_sent_and_a_due_date_changed_say_so_in_a_message_that_takes_focus(caseworker_client, overdue):
    """Back on the list, what was done is said in Wagtail's list of messages, which screen readers do not announce as
    the page opens: the message takes the focus (cms/static/cms/admin/message-focus.js), as accept and return do."""
    with time_machine.travel(NOW, tick=False):
        reminded = remind(caseworker_client, overdue, back="overdue")
        url = reverse("review_queue:due_date", args=[overdue.pk])
        changed = caseworker_client.post(url, {"due_date": "2026-03-16", "back": "overdue"})

    for response in (reminded, changed):
        [message] = response.wsgi_request._messages._queued_messages
        assert TAKES_FOCUS in message.tags.split(), message.message


def test_a_refused_reminder_and_a_refused_due_date_say_so_in_a_message_that_takes_focus(
    caseworker_client, overdue, django_capture_on_commit_callbacks
):
    """A second reminder within ten minutes came back to the record under a red message that did not take the focus,
    as the first one's did, so a keyboard or screen reader user heard nothing of why no reminder went."""
    remind_at(NOW, caseworker_client, overdue, django_capture_on_commit_callbacks)
    too_soon = remind_at(NOW, caseworker_client, overdue, django_capture_on_commit_callbacks)
    overdue.state = RequestState.SUBMITTED
    overdue.save()
    url = reverse("review_queue:due_date", args=[overdue.pk])
    with time_machine.travel(NOW, tick=False):
        refused = [too_soon, remind(caseworker_client, overdue), caseworker_client.get(url)]

    for response in refused:
        assert response.status_code == 302
        assert messages_taking_focus(response) == messages_of(response) != [], messages_of(response)
