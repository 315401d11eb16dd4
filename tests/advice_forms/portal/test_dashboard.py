"""The dashboard: the account's requests grouped by state, due dates and overdue tags, the inbox."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from advice_forms.models import RequestState
from portal_pages.models import InboxMessage
from tests.factories.accounts import ProfessionalFactory
from tests.factories.advice_forms import AdviceRequestFactory, ChildRecordFactory, request_page

pytestmark = pytest.mark.django_db


def make_requests(account, version, n, **kwargs):
    return [AdviceRequestFactory(account=account, form_version=version, **kwargs) for _ in range(n)]


def test_requests_are_grouped_with_due_dates_and_overdue_highlighted(verified_client, professional, small_form):
    today = timezone.localdate()
    AdviceRequestFactory(
        account=professional,
        form_version=small_form,
        child=ChildRecordFactory(first_name="Ada", last_name="Quill"),
        due_date=today + datetime.timedelta(days=5),
    )
    AdviceRequestFactory(
        account=professional,
        form_version=small_form,
        child=ChildRecordFactory(first_name="Bo", last_name="Fenwick"),
        shows_child_name=False,
        state=RequestState.IN_PROGRESS,
        due_date=today - datetime.timedelta(days=3),
    )
    AdviceRequestFactory(account=professional, form_version=small_form, state=RequestState.RETURNED)
    AdviceRequestFactory(account=professional, form_version=small_form, state=RequestState.SUBMITTED)
    AdviceRequestFactory(account=professional, form_version=small_form, state=RequestState.ACCEPTED)
    AdviceRequestFactory(
        form_version=small_form,
        account=ProfessionalFactory(),
        child=ChildRecordFactory(first_name="Not", last_name="Mine"),
    )

    html = verified_client.get("/portal/").content.decode()

    headings = ["Returned for more information", "To do", "In progress", "Submitted", "Accepted"]
    positions = [html.index(f'govuk-table__caption--m">{h}') for h in headings]
    assert positions == sorted(positions)
    assert "Ada Quill" in html and "5 days left" in html
    assert "B. F." in html and "Bo Fenwick" not in html
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in html and "3 days overdue" not in html
    # Read once, plainly: "Overdue by 3 days", not "Overdue 3 days overdue".
    due = [
        " ".join(cell.get_text(" ", strip=True).split())
        for cell in BeautifulSoup(html, "html.parser").select("td[data-label=Due]")
    ]
    assert any(text.endswith("Overdue by 3 days") for text in due), due
    assert all(text.lower().count("overdue") <= 1 for text in due), due
    assert "Speech and language advice" in html and "Version V1" in html
    assert "Not Mine" not in html


def test_advice_returned_for_more_information_comes_first_on_the_first_page(verified_client, professional, small_form):
    """Returned advice waits on the professional: its group leads the dashboard, before To do and In progress, even
    when it is due later and those fill more than a page; the counts and the status filter give the same order."""
    today = timezone.localdate()
    make_requests(professional, small_form, 21, due_date=today)
    make_requests(professional, small_form, 2, state=RequestState.IN_PROGRESS, due_date=today)
    AdviceRequestFactory(
        account=professional,
        form_version=small_form,
        child=ChildRecordFactory(first_name="Rhea", last_name="Tull"),
        state=RequestState.RETURNED,
        due_date=today + datetime.timedelta(days=30),
    )

    html = verified_client.get("/portal/").content.decode()

    soup = BeautifulSoup(html, "html.parser")
    captions = [caption.contents[0].strip() for caption in soup.select("caption.govuk-table__caption--m")]
    assert captions == ["Returned for more information", "To do"]
    assert soup.select("td[data-label^=Child]")[0].get_text(strip=True) == "Rhea Tull"
    assert "24 requests: returned for more information 1, to do 21, in progress 2." in " ".join(html.split())
    options = [o.get_text() for o in soup.find("select", attrs={"name": "status"}).find_all("option")]
    assert options[:4] == ["All statuses", "Returned for more information", "To do", "In progress"]


def test_the_dashboard_query_count_does_not_grow_with_the_requests(verified_client, professional, small_form):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert verified_client.get("/portal/").status_code == 200
        return len(queries)

    make_requests(professional, small_form, 10)
    ten = count_queries()
    make_requests(professional, small_form, 190, state=RequestState.SUBMITTED)
    two_hundred = count_queries()

    assert ten == two_hundred
    page_2 = verified_client.get("/portal/?page=2").content.decode()
    assert 'aria-current="page">2<' in page_2 and "Submitted" in page_2
    # Ten pages: the first, the last and the current one's neighbours are numbered, the rest elided.
    assert all(f'href="?page={n}"' in page_2 for n in (1, 3, 10))
    assert not any(f'href="?page={n}"' in page_2 for n in range(4, 10))
    assert "govuk-pagination__item--ellipses" in page_2


def test_the_inbox_counts_unread_messages_and_reading_marks_them_read(verified_client, professional, small_form):
    advice_request = AdviceRequestFactory(account=professional, form_version=small_form)
    first = InboxMessage.objects.create(
        account=professional,
        subject="A new request",
        body="Please look.",
        event_key="t:1",
        link=request_page(advice_request),
        link_text="Go to the request",
    )
    InboxMessage.objects.create(account=professional, subject="Reminder", body="Due soon.", event_key="t:2")
    others = InboxMessage.objects.create(account=ProfessionalFactory(), subject="Theirs", body="x", event_key="t:3")

    assert "2 unread" in verified_client.get("/portal/").content.decode()
    inbox = verified_client.get("/portal/inbox/").content.decode()
    assert "A new request" in inbox and "Theirs" not in inbox and "You have 2 unread messages." in inbox

    message = verified_client.get(f"/portal/inbox/{first.pk}/").content.decode()
    assert "Please look." in message and f'href="/portal/requests/{advice_request.pk}/"' in message
    first.refresh_from_db()
    assert first.read_at is not None
    assert "1 unread" in verified_client.get("/portal/").content.decode()
    assert verified_client.get(f"/portal/inbox/{others.pk}/").status_code == 404


def test_the_dashboard_h1_names_the_page_and_its_tables_share_their_column_widths(
    verified_client, professional, small_form
):
    AdviceRequestFactory(account=professional, form_version=small_form)
    AdviceRequestFactory(account=professional, form_version=small_form, state=RequestState.SUBMITTED)

    html = verified_client.get("/portal/").content.decode()

    assert '<h1 class="govuk-heading-l">Your dashboard</h1>' in html
    assert f'<span class="govuk-caption-l">{professional}, {professional.organisation}</span>' in html
    # Every group's table has the same fixed layout and the same column widths, so the columns line up.
    assert html.count('<table class="govuk-table portal-table--fixed portal-table--stacked">') == 2
    for width, column in (("one-half", "Form"), ("one-quarter", "Child or young person"), ("one-quarter", "Due")):
        assert html.count(f'govuk-!-width-{width}">{column}</th>') == 2
    # On a phone each row stacks as a card, each cell under its column's name.
    assert html.count('data-label="Child or young person"') == 2


def test_the_dashboard_needs_few_queries(verified_client, django_assert_max_num_queries):
    # 13 for the page and the account, 3 for the requests by state, unread messages and latest ones, and 3 as the
    # session's save reads it again, locked, in a savepoint of its own (cms/session_backends/).
    with django_assert_max_num_queries(19):
        assert verified_client.get("/portal/").status_code == 200


def test_initials_read_as_the_childs_initials_on_every_page_that_shows_them(verified_client, professional, small_form):
    """Bare initials ("EP") read as an abbreviation, and EP is also a Team (educational psychologist): each page that
    names a child by initials writes them "E. P." and tells screen readers that they are the child's initials."""
    child = ChildRecordFactory(first_name="Esme", last_name="Pryce")
    advice_request = AdviceRequestFactory(
        account=professional, form_version=small_form, child=child, shows_child_name=False
    )
    initials = 'E. P.<span class="govuk-visually-hidden"> (the child\'s initials)</span>'
    pages = [
        "/portal/",
        request_page(advice_request),
        *(f"/portal/requests/{advice_request.pk}/{path}" for path in ("check-answers/", "outcomes/")),
    ]
    for url in pages:
        html = verified_client.get(url).content.decode()
        assert initials in html, url
        words = BeautifulSoup(html, "html.parser").get_text(" ")
        assert not re.search(r"\bEP\b", words) and "Esme" not in words and "Pryce" not in words, url
