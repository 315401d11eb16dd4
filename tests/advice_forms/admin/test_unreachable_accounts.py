"""A team account that cannot sign in (switched off by a portal administrator, or dormant) still holding a request:
marked where a caseworker sees who holds it, "Send a reminder" refused with what to do instead (nothing stored or
sent), the daily reminders left until it can sign in again, and sharing the form with another account still open."""

import datetime

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from advice_forms.events import CaseworkEvent
from advice_forms.models import AdviceRequest, RequestState
from advice_forms.services.due_dates import advice_requests_remind
from cms.formats import govuk_date
from cms.models import AuditEntry
from portal_pages.models import SHOWN_STATES, AccountState, InboxMessage, User
from tests.advice_forms.admin.test_sharing import share_data, share_url
from tests.factories.accounts import ProfessionalFactory
from tests.factories.advice_forms import AdviceRequestFactory, ChildRecordFactory
from tests.refusals import messages_of

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)

# How each way of not being able to sign in is set, and the words beside the account's name.
CANNOT_SIGN_IN = {
    "switched off": {"is_active": False},
    "dormant": {"account_state": AccountState.DORMANT},
    "not confirmed": {"account_state": AccountState.PENDING_VERIFICATION, "is_active": False},
    "not approved": {"account_state": AccountState.AWAITING_APPROVAL, "is_active": False},
}


@pytest.mark.parametrize("state", [value for value, _label in SHOWN_STATES if value != AccountState.ACTIVE])
def test_the_mark_beside_a_name_is_a_word_or_two_for_every_state_that_cannot_sign_in(state):
    account = User(display_name="Oakfield SENCO", account_state=state, is_active=True)
    if state == "switched_off":
        account.account_state, account.is_active = AccountState.ACTIVE, False
    assert not account.can_sign_in
    mark = account.cannot_sign_in_because
    assert mark and "(" not in mark and "," not in mark and len(mark.split()) <= 2


@pytest.fixture
def held(ersa, caseworker, team_account):
    """Maisie Thornbury's ERSA, overdue with Oakfield's team account."""
    with time_machine.travel(NOW, tick=False):
        return AdviceRequestFactory(
            form_version=ersa,
            account=team_account,
            child=ChildRecordFactory(first_name="Maisie", last_name="Thornbury", coordinator=caseworker),
            state=RequestState.IN_PROGRESS,
            due_date=timezone.localdate() - datetime.timedelta(days=5),
        )


def cannot_sign_in(account, how):
    for field, value in CANNOT_SIGN_IN[how].items():
        setattr(account, field, value)
    account.save()


def pages_showing(client, advice_request):
    with time_machine.travel(NOW, tick=False):
        return {
            "overdue list": client.get(reverse("overdue_advice:index")),
            "child record": client.get(reverse("child_records:inspect", args=[advice_request.child_id])),
            "request page": client.get(reverse("review_queue:review", args=[advice_request.pk])),
        }


@pytest.mark.parametrize("how", CANNOT_SIGN_IN)
def test_an_account_that_cannot_sign_in_is_marked_where_its_requests_are_shown(
    caseworker_client, held, team_account, how
):
    for where, response in pages_showing(caseworker_client, held).items():
        assert response.status_code == 200 and how not in response.content.decode(), where
    cannot_sign_in(team_account, how)
    shown = pages_showing(caseworker_client, held)
    for where, response in shown.items():
        assert response.status_code == 200, where
        html = " ".join(response.content.decode().split())
        assert f"Oakfield SENCO ({how})" in html, where  # the same words on every page, the request's own included
    assert team_account.email in shown["request page"].content.decode()  # which address, on the request's page


@pytest.mark.parametrize("how", CANNOT_SIGN_IN)
def test_the_accept_confirmation_names_the_account_as_the_review_page_does(
    caseworker_client, ersa, caseworker, team_account, how
):
    """The review page said "Oakfield SENCO (dormant)" and the confirmation of Accept, one click on, "Oakfield SENCO
    (senco@...)" for the same account: the caseworker was not told again that nobody can read what it is sent."""
    submitted = AdviceRequestFactory(
        form_version=ersa,
        account=team_account,
        child=ChildRecordFactory(coordinator=caseworker),
        state=RequestState.SUBMITTED,
    )
    cannot_sign_in(team_account, how)

    def named(url):
        response = caseworker_client.get(url)
        assert response.status_code == 200
        facts = BeautifulSoup(response.content, "html.parser").select_one(".advice-review__facts")
        found = [dt.find_next_sibling("dd") for dt in facts.select("dt") if dt.get_text(strip=True) == "Team account"]
        return found[0].get_text(" ", strip=True)

    confirmation = named(reverse("review_queue:accept_confirm", args=[submitted.pk]))
    assert confirmation == named(reverse("review_queue:review", args=[submitted.pk]))
    assert confirmation == f"Oakfield SENCO ({how}) {team_account.email}"


@pytest.mark.parametrize("how", [None, *CANNOT_SIGN_IN])
def test_the_accept_confirmation_promises_an_email_only_to_an_account_that_is_sent_one(
    caseworker_client, ersa, caseworker, team_account, how
):
    """The confirmation said the account "is told ... by an email" when it was switched off or dormant, which the
    inbox does not email: it now says the message waits in the inbox and why no email is sent."""
    submitted = AdviceRequestFactory(
        form_version=ersa,
        account=team_account,
        child=ChildRecordFactory(coordinator=caseworker),
        state=RequestState.SUBMITTED,
    )
    if how:
        cannot_sign_in(team_account, how)

    response = caseworker_client.get(reverse("review_queue:accept_confirm", args=[submitted.pk]))

    items = [li.get_text(" ", strip=True) for li in BeautifulSoup(response.content, "html.parser").select("li")]
    told = [item for item in items if item.startswith("the team account is told")]
    if how is None:
        assert told == [
            "the team account is told in its portal inbox, and by an email that says only that a message is waiting"
        ]
    else:
        assert told == [
            "the team account is told in its portal inbox, where the message waits until it can sign in again; no email"
            f" is sent, because the account is {how}"
        ]


@pytest.mark.parametrize("how", CANNOT_SIGN_IN)
def test_send_a_reminder_is_not_offered_for_an_account_that_cannot_sign_in(caseworker_client, held, team_account, how):
    remind_url = reverse("review_queue:remind", args=[held.pk])
    for where, response in pages_showing(caseworker_client, held).items():
        assert remind_url in response.content.decode(), where
    cannot_sign_in(team_account, how)
    for where, response in pages_showing(caseworker_client, held).items():
        html = response.content.decode()
        assert response.status_code == 200 and remind_url not in html and "Send a reminder" not in html, where
        assert reverse("review_queue:due_date", args=[held.pk]) in html, where  # the due date may still change


def test_the_overdue_list_hides_the_reminder_in_as_many_queries(
    caseworker_client, ersa, caseworker, held, team_account
):
    def overdue(count):
        with time_machine.travel(NOW, tick=False):
            for _ in range(count):
                AdviceRequestFactory(
                    form_version=ersa,
                    account=ProfessionalFactory(),
                    child=ChildRecordFactory(coordinator=caseworker),
                    state=RequestState.IN_PROGRESS,
                    due_date=timezone.localdate() - datetime.timedelta(days=3),
                )

    def queries_of_the_list():
        with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as captured:
            response = caseworker_client.get(reverse("overdue_advice:index"))
        assert response.status_code == 200
        return response, len(captured)

    _, one = queries_of_the_list()
    overdue(3)
    cannot_sign_in(team_account, "dormant")
    response, four = queries_of_the_list()
    html = response.content.decode()
    assert html.count(">Send a reminder<") == 3 and "Oakfield SENCO (dormant)" in html
    assert four == one


def test_the_review_queue_marks_a_switched_off_account_in_as_many_queries(caseworker_client, ersa, team_account):
    def submitted(count):
        for _ in range(count):
            AdviceRequestFactory(form_version=ersa, account=ProfessionalFactory(), state=RequestState.SUBMITTED)

    def queries_of_the_queue():
        with CaptureQueriesContext(connection) as captured:
            response = caseworker_client.get(reverse("review_queue:index"))
        assert response.status_code == 200
        return response, len(captured)

    submitted(1)
    _, one = queries_of_the_queue()
    submitted(3)
    AdviceRequestFactory(form_version=ersa, account=team_account, state=RequestState.SUBMITTED)
    cannot_sign_in(team_account, "switched off")
    response, five = queries_of_the_queue()
    assert "Oakfield SENCO (switched off)" in response.content.decode()
    assert five == one


@pytest.mark.parametrize("how", CANNOT_SIGN_IN)
def test_a_reminder_to_an_account_that_cannot_sign_in_is_refused_and_nothing_is_sent(
    caseworker_client, held, team_account, how, django_capture_on_commit_callbacks
):
    cannot_sign_in(team_account, how)
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        response = caseworker_client.post(reverse("review_queue:remind", args=[held.pk]), {"back": "record"})
    assert response.status_code == 302
    assert response["Location"] == reverse("child_records:inspect", args=[held.child_id])
    assert messages_of(response) == [
        f"No reminder was sent: Oakfield SENCO cannot sign in ({how}). Share the form with another team account"
    ]
    assert not InboxMessage.objects.exists() and not mail.outbox
    assert not AuditEntry.objects.filter(action=CaseworkEvent.REQUEST_REMINDED).exists()
    held.refresh_from_db()
    assert held.reminded_overdue_at is None


def test_the_daily_reminders_wait_until_the_account_can_sign_in_again(
    held, team_account, django_capture_on_commit_callbacks
):
    cannot_sign_in(team_account, "switched off")
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert advice_requests_remind() == {"due_soon": 0, "overdue": 0}
    assert not InboxMessage.objects.exists() and not mail.outbox

    team_account.is_active = True  # switched on again
    team_account.save()
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert advice_requests_remind() == {"due_soon": 0, "overdue": 1}
    [email] = mail.outbox
    assert email.to == [team_account.email]


def test_the_form_may_still_be_shared_with_another_account_of_the_organisation(
    caseworker_client, held, team_account, organisation, django_capture_on_commit_callbacks
):
    cannot_sign_in(team_account, "switched off")
    deputy = ProfessionalFactory(
        organisation=organisation, email="deputy@oakfield-primary.example.org", display_name="Oakfield deputy SENCO"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = caseworker_client.post(share_url(held.child), share_data(held.form_version, deputy))
    assert response.status_code == 302, response.content.decode()
    assert AdviceRequest.objects.get(account=deputy).child_id == held.child_id
    assert [email.to for email in mail.outbox] == [[deputy.email]]


def _paragraph_told(response) -> list[str]:
    """The page's sentences on how the team account is told."""
    paragraphs = BeautifulSoup(response.content, "html.parser").select("form p")
    return [p.get_text(" ", strip=True) for p in paragraphs if "is told in its portal inbox" in p.get_text()]


@pytest.mark.parametrize("how", [None, *CANNOT_SIGN_IN])
def test_the_due_date_page_and_its_message_promise_an_email_only_to_an_account_that_is_sent_one(
    caseworker_client, held, team_account, how, django_capture_on_commit_callbacks
):
    """The due date page said the account gets "an email that says only that a due date has changed" when it was
    switched off or dormant, which the inbox does not email: it now says so as the accept confirmation does, and so
    does the message after the change. It said too that reminders are sent again, which none are to such an account."""
    if how:
        cannot_sign_in(team_account, how)
    url = reverse("review_queue:due_date", args=[held.pk])
    with time_machine.travel(NOW, tick=False):
        page = caseworker_client.get(url)
        with django_capture_on_commit_callbacks(execute=True):
            response = caseworker_client.post(url, {"due_date": "2026-03-16"})

    if how is None:
        told = (
            "is told in its portal inbox with the new date, and by an email that says only that a due date has changed"
        )
        reminders = "Reminders are sent again for the new date."
    else:
        told = (
            "is told in its portal inbox with the new date, where the message waits until it can sign in again; no "
            f"email is sent, because the account is {how}"
        )
        # Neither the daily reminders nor a caseworker's go to an account that cannot sign in (due_dates).
        reminders = "No reminders are sent until it can sign in again."
    assert _paragraph_told(page) == [f"The team account {told}. {reminders}"]
    assert messages_of(response) == [f"The due date is now 16 March 2026. Oakfield SENCO {told}."]
    assert len(mail.outbox) == (1 if how is None else 0)


def test_sharing_says_on_the_page_and_after_it_how_the_account_is_told(
    caseworker_client, ersa, team_account, django_capture_on_commit_callbacks
):
    """The share page offers only accounts that can sign in (and sharing refuses any other), so it promises the email;
    the message after sharing said nothing of how the account hears of it, and now says it as the page does."""
    child = ChildRecordFactory(first_name="Amelia", last_name="Quillfeather")

    page = caseworker_client.get(share_url(child))
    with django_capture_on_commit_callbacks(execute=True):
        response = caseworker_client.post(share_url(child), share_data(ersa, team_account))

    told = "is told in its portal inbox, and by an email that says only that a message is waiting"
    assert _paragraph_told(page) == [f"The team account {told}."]
    due = govuk_date(AdviceRequest.objects.get().due_date)
    assert messages_of(response) == [
        f"Test ERSA has been shared with Oakfield SENCO. It is due on {due}. Oakfield SENCO {told}."
    ]
    assert [email.to for email in mail.outbox] == [[team_account.email]]
