"""A child named by initials ("E. P.") at the end of a sentence gets no second full stop: the inbox said "Child or
young person: E. P.." (found in the demo's messages), and the accepted, returned and new due date messages and the
check answers page did the same. A full name still ends its sentence with one."""

import datetime

import pytest
from django.utils import timezone

from advice_forms.services.due_dates import advice_request_due_date_change
from advice_forms.services.requests import advice_request_share, submission_accept, submission_return
from portal_pages.models import InboxMessage
from tests.factories.advice_forms import ChildRecordFactory, advice_request, submission_make

pytestmark = pytest.mark.django_db

NAMED = ["initials", "full-name"]


@pytest.mark.parametrize(("shows_child_name", "name"), [(False, "E. P."), (True, "Esme Pryce.")], ids=NAMED)
def test_the_childs_name_ends_a_message_sentence_with_one_full_stop(
    caseworker, professional, small_form, django_capture_on_commit_callbacks, shows_child_name, name
):
    child = ChildRecordFactory(first_name="Esme", last_name="Pryce")
    with django_capture_on_commit_callbacks(execute=True):
        shared = advice_request_share(
            child=child,
            form_version=small_form,
            account=professional,
            shared_by=caseworker,
            shows_child_name=shows_child_name,
        )
    later = timezone.localdate() + datetime.timedelta(days=60)
    advice_request_due_date_change(advice_request=shared, due_date=later, actor=caseworker)
    returned, accepted = (
        advice_request(professional, version=small_form, child=child, shows_child_name=shows_child_name)
        for _ in range(2)
    )
    submission_make(returned, {})
    submission_return(advice_request=returned, actor=caseworker, reason="The report is missing.")
    submission_make(accepted, {})
    submission_accept(advice_request=accepted, actor=caseworker)

    bodies = {message.subject.partition(":")[0]: message.body for message in InboxMessage.objects.all()}
    assert set(bodies) == {"New request", "New due date", "Returned for more information", "Accepted"}
    assert f"\nChild or young person: {name}\n" in bodies["New request"]
    assert f"for {name} It is now due on" in bodies["New due date"]
    assert f"for {name} Your answers are kept" in bodies["Returned for more information"]
    assert bodies["Accepted"].split("\n")[0].endswith(f" for {name}")
    assert [subject for subject, body in bodies.items() if ".." in body] == []


@pytest.mark.parametrize(
    ("shows_child_name", "sentence"),
    [
        (False, 'For E. P.<span class="govuk-visually-hidden"> (the child\'s initials)</span></p>'),
        (True, "For Esme Pryce.</p>"),
    ],
    ids=NAMED,
)
def test_check_answers_names_the_child_with_one_full_stop(
    verified_client, professional, small_form, shows_child_name, sentence
):
    child = ChildRecordFactory(first_name="Esme", last_name="Pryce")
    request_ = advice_request(professional, version=small_form, child=child, shows_child_name=shows_child_name)

    html = verified_client.get(f"/portal/requests/{request_.pk}/check-answers/").content.decode()

    assert sentence in html
