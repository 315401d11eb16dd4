"""The statutory clock: reminders 7 days before the due date and on the first overdue day, once each, for requests
still with the team account; the daily schedule; and the overdue list in the admin."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule

from advice_forms.casework_setup import REMINDER_SCHEDULE_NAME, REMINDER_TASK
from advice_forms.models import RequestState
from advice_forms.tasks import advice_requests_remind
from portal_pages.models import InboxMessage
from tests.factories.accounts import staff_in_group, verified_login
from tests.factories.advice_forms import AdviceRequestFactory, ChildRecordFactory, request_page

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 7, 0, tzinfo=datetime.UTC)


def run_on(day_offset, django_capture_on_commit_callbacks):
    """Run the daily task as the schedule would, day_offset days after START."""
    moment = START + datetime.timedelta(days=day_offset)
    with time_machine.travel(moment, tick=False), django_capture_on_commit_callbacks(execute=True):
        return advice_requests_remind()


def test_reminders_go_out_on_the_right_days_once_each(ersa, django_capture_on_commit_callbacks):
    with time_machine.travel(START, tick=False):
        child = ChildRecordFactory(first_name="Amelia", last_name="Quillfeather")
        due_in_ten = AdviceRequestFactory(
            form_version=ersa, child=child, due_date=timezone.localdate() + datetime.timedelta(days=10)
        )
        submitted = AdviceRequestFactory(form_version=ersa, state=RequestState.SUBMITTED, due_date=due_in_ten.due_date)
        accepted = AdviceRequestFactory(form_version=ersa, state=RequestState.ACCEPTED, due_date=due_in_ten.due_date)

    sent_by_day = {day: run_on(day, django_capture_on_commit_callbacks) for day in range(0, 14)}
    sent_by_day[3.5] = run_on(3.5, django_capture_on_commit_callbacks)  # a second run on the reminder day

    assert {day: sent for day, sent in sent_by_day.items() if sent != {"due_soon": 0, "overdue": 0}} == {
        3: {"due_soon": 1, "overdue": 0},  # 7 days before the due date (day 10)
        11: {"due_soon": 0, "overdue": 1},  # the first day it is overdue
    }
    messages = list(InboxMessage.objects.order_by("created_at", "pk"))
    assert [m.link for m in messages] == [request_page(due_in_ten)] * 2
    assert messages[0].subject == "Due in 7 days: Test ERSA"
    assert messages[1].subject == "Overdue: Test ERSA"
    assert "Amelia Quillfeather" in messages[0].body
    assert len(mail.outbox) == 2
    for email in mail.outbox:
        assert email.to == [due_in_ten.account.email]
        assert "Amelia" not in email.body and "Quillfeather" not in email.subject
    assert not InboxMessage.objects.filter(link__in=[request_page(r) for r in (submitted, accepted)]).exists()
    due_in_ten.refresh_from_db()
    assert due_in_ten.reminded_due_soon_at and due_in_ten.reminded_overdue_at


def test_returned_and_in_progress_requests_are_reminded_too(ersa, django_capture_on_commit_callbacks):
    with time_machine.travel(START, tick=False):
        due = timezone.localdate() + datetime.timedelta(days=7)
        returned = AdviceRequestFactory(form_version=ersa, state=RequestState.RETURNED, due_date=due)
        in_progress = AdviceRequestFactory(form_version=ersa, state=RequestState.IN_PROGRESS, due_date=due)
    assert run_on(0, django_capture_on_commit_callbacks) == {"due_soon": 2, "overdue": 0}
    assert InboxMessage.objects.filter(link__in=[request_page(r) for r in (returned, in_progress)]).count() == 2


def test_the_daily_schedule_runs_the_reminders():
    schedule = Schedule.objects.get(name=REMINDER_SCHEDULE_NAME)
    assert schedule.func == REMINDER_TASK == "advice_forms.tasks.advice_requests_remind"
    assert schedule.schedule_type == Schedule.DAILY and schedule.repeats == -1


def test_the_overdue_list_shows_my_children_by_default_and_everyone_on_a_filter(client, caseworker, ersa):
    other = staff_in_group("SEND caseworker", first_name="Olive", last_name="Other")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    AdviceRequestFactory(
        form_version=ersa, child=ChildRecordFactory(first_name="Mira", coordinator=caseworker), due_date=yesterday
    )
    AdviceRequestFactory(
        form_version=ersa, child=ChildRecordFactory(first_name="Theo", coordinator=other), due_date=yesterday
    )
    AdviceRequestFactory(
        form_version=ersa,
        child=ChildRecordFactory(first_name="Sami", coordinator=caseworker),
        due_date=yesterday,
        state=RequestState.SUBMITTED,
    )
    AdviceRequestFactory(form_version=ersa, child=ChildRecordFactory(first_name="Nell", coordinator=caseworker))
    verified_login(client, caseworker)

    html = client.get(reverse("overdue_advice:index")).content.decode()
    assert "Mira" in html and "1 day overdue" in html
    assert "Theo" not in html and "Sami" not in html and "Nell" not in html
    html = client.get(reverse("overdue_advice:index"), {"whose": "all"}).content.decode()
    assert "Mira" in html and "Theo" in html
    assert "Sami" not in html and "Nell" not in html
