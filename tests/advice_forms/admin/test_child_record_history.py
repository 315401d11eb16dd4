"""A child record's History tab shows what happened to the record and to the child's requests, read from where each
fact is kept (Wagtail's log for the record's edits, the audit log for casework), and names the child nowhere."""

import datetime

from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.log_actions import log

from advice_forms.services.due_dates import advice_request_due_date_change
from advice_forms.services.requests import advice_request_share, submission_return
from cms.models import AuditEntry
from tests.factories.advice_forms import ChildRecordFactory, submission_make

FIRST, LAST = "Zephyrine", "Quillbrook"


def _rows(response):
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    return [[cell.get_text(" ", strip=True) for cell in row.select("td")] for row in page.select("tbody tr")]


def test_the_history_tab_shows_sharing_a_due_date_change_and_a_return_without_naming_the_child(
    caseworker_client, caseworker, ersa, team_account
):
    """The tab read Wagtail's log alone, which holds only the record's own edits: a caseworker found there nothing of
    the forms shared about the child, their due dates or their returns, though each is audited."""
    child = ChildRecordFactory(first_name=FIRST, last_name=LAST)
    log(instance=child, action="wagtail.edit", user=caseworker)
    shared = advice_request_share(
        child=child,
        form_version=ersa,
        account=team_account,
        shared_by=caseworker,
        due_date=datetime.date(2027, 2, 1),
        shows_child_name=False,
    )
    advice_request_due_date_change(advice_request=shared, due_date=datetime.date(2027, 2, 15), actor=caseworker)
    submission_make(shared, {"school": {"school_name": "Oakfield"}})
    submission_return(advice_request=shared, actor=caseworker, reason=f"{FIRST}'s needs are not described")
    other_child = ChildRecordFactory()
    advice_request_share(child=other_child, form_version=ersa, account=team_account, shared_by=caseworker)
    caseworker_client.get(reverse("child_records:inspect", args=[child.pk]))  # a view, left to the audit log

    response = caseworker_client.get(reverse("child_records:history", args=[child.pk]))

    marker, who = f"Test ERSA – request {shared.pk}", str(caseworker)
    rows = [row[:4] for row in _rows(response)]
    assert rows == [
        [
            "Advice returned for more information",
            marker,
            "State: Submitted, now Returned for more information",
            who,
        ],
        ["Due date of a request changed", marker, "Due 1 February 2027, now 15 February 2027", who],
        ["Request shared with a team account", marker, "State now: To do", who],
        ["Edited", "This child record", "", who],
    ]
    assert AuditEntry.objects.filter(action="child_record.viewed", target_id=str(child.pk)).exists()
    page = BeautifulSoup(response.content, "html.parser")
    for words in (page.title.get_text(), page.select_one("table").get_text()):
        assert FIRST not in words and LAST not in words, words
    assert f"{FIRST} {LAST}" in page.h1.get_text()  # whose record it is, in the heading only
