"""The admin dashboard's "Casework to do": how many wait in each list of the Casework menu, each linked to its list and
counted as that list counts, in the same number of queries however many there are; shown to caseworkers alone."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from advice_forms import selectors
from advice_forms.admin.casework import CaseworkToDoPanel
from advice_forms.models import AccessRequest, AccessRequestState, DetailsChangeReport, RequestState
from advice_forms.services import documents as document_services
from tests.factories.accounts import ProfessionalFactory, staff_in_group, verified_login
from tests.factories.advice_forms import (
    AdviceRequestFactory,
    ChildRecordFactory,
    advice_request,
    document_types,
    pdf_bytes,
)
from tests.refusals import refused_the_admin
from tests.test_role_matrix import ALL_STAFF, CASEWORKER

pytestmark = pytest.mark.django_db

HOME = "/admin/"
LISTS = {
    "Submissions waiting for review": reverse("review_queue:index"),
    "Overdue advice requests for children you co-ordinate": reverse("overdue_advice:index"),
    "Requests for access to a document waiting for a decision": reverse("casework_access_requests"),
    "Reported changes to a child's details not yet dealt with": reverse("casework_change_reports"),
}


@pytest.fixture(autouse=True)
def _document_types(db):
    document_types()


def _waiting_access(advice_request_, **fields):
    """Another team account asks for access to a document uploaded on ``advice_request_``."""
    document = document_services.document_upload(
        advice_request=advice_request_,
        account=advice_request_.account,
        uploaded=SimpleUploadedFile("report.pdf", pdf_bytes(), content_type="application/pdf"),
        title="Therapy report",
        document_type="report",
    )
    return AccessRequest.objects.create(
        document=document, account=ProfessionalFactory(), advice_request=advice_request_, **fields
    )


def _change_report(advice_request_, **fields):
    return DetailsChangeReport.objects.create(
        child=advice_request_.child,
        advice_request=advice_request_,
        account=advice_request_.account,
        details="They moved to 9 Kite Lane",
        **fields,
    )


def casework(coordinator, n):
    """``n`` of each thing waiting for ``coordinator``, and beside them one of each that is not waiting for them."""
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    mine = ChildRecordFactory(coordinator=coordinator)
    theirs = ChildRecordFactory(coordinator=staff_in_group("SEND caseworker"))
    for _ in range(n):
        AdviceRequestFactory(child=mine, state=RequestState.SUBMITTED)
        AdviceRequestFactory(child=mine, state=RequestState.IN_PROGRESS, due_date=yesterday)
        shared = advice_request(ProfessionalFactory(), child=mine)
        _waiting_access(shared)
        _change_report(shared)
    # Not waiting: an accepted submission, a request due today, another co-ordinator's overdue request, access
    # request and reported change, an access request already decided, a reported change already dealt with.
    AdviceRequestFactory(child=mine, state=RequestState.ACCEPTED)
    AdviceRequestFactory(child=mine, state=RequestState.IN_PROGRESS, due_date=today)
    AdviceRequestFactory(child=theirs, state=RequestState.RETURNED, due_date=yesterday)
    _waiting_access(advice_request(ProfessionalFactory(), child=theirs))
    _change_report(advice_request(ProfessionalFactory(), child=theirs))
    done = advice_request(ProfessionalFactory(), child=mine)
    _waiting_access(done, resolved_at=timezone.now(), state=AccessRequestState.GRANTED)
    _change_report(done, resolved_at=timezone.now())


def panel_rows(client):
    """(label, count, link) for each line of the panel, or None when the dashboard has no panel."""
    response = client.get(HOME)
    assert response.status_code == 200
    panel = BeautifulSoup(response.content, "html.parser").find(id="casework-to-do-section")
    if panel is None:
        return None
    return [
        (row.a.get_text(strip=True), int(row.find_all("td")[1].get_text(strip=True)), row.a["href"])
        for row in panel.select("tbody tr")
    ]


def listed(client, url):
    """How many the list at ``url`` holds, as its page counts them."""
    context = client.get(url).context
    return (context["paginator"] if "paginator" in context else context["items"].paginator).count


def test_a_caseworker_sees_how_many_wait_in_each_list_linked_to_it(caseworker_client, caseworker):
    casework(caseworker, 2)

    rows = panel_rows(caseworker_client)

    assert [(label, link) for label, _, link in rows] == list(LISTS.items())
    assert [count for _, count, _ in rows] == [2, 2, 2, 2]
    for _, count, link in rows:
        assert listed(caseworker_client, link) == count, link


def test_when_nothing_is_waiting_the_panel_says_so(caseworker_client):
    html = caseworker_client.get(HOME).content.decode()

    assert "Casework to do" in html and "Nothing is waiting for you." in html
    assert panel_rows(caseworker_client) == []


def test_a_superuser_sees_the_panel(verified_admin_client, superuser):
    casework(superuser, 1)

    # Every access request and reported change, whoever co-ordinates the child.
    assert [count for _, count, _ in panel_rows(verified_admin_client)] == [1, 1, 2, 2]


@pytest.mark.parametrize("role", [role for role in ALL_STAFF if role != CASEWORKER])
def test_staff_who_do_no_casework_see_no_panel(client, role_groups, caseworker, role):
    casework(caseworker, 1)
    client = verified_login(client, staff_in_group(role))

    assert panel_rows(client) is None
    assert "Casework to do" not in client.get(HOME).content.decode()


def test_a_team_account_gets_nothing_from_the_dashboard(verified_client, caseworker):
    casework(caseworker, 1)

    response = verified_client.get(HOME)

    assert refused_the_admin(response, HOME)
    assert "Casework to do" not in response.content.decode()


def test_the_panel_costs_the_same_queries_however_much_is_waiting(caseworker_client, caseworker):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert caseworker_client.get(HOME).status_code == 200
        return len(captured)

    def panel_queries():
        request = RequestFactory().get(HOME)
        request.user = caseworker
        with CaptureQueriesContext(connection) as captured:
            CaseworkToDoPanel().render_html({"request": request})
        return len(captured)

    casework(caseworker, 1)
    queries()  # the process's first admin page reads the workflow task's content type once, then keeps it
    few = queries(), panel_queries()
    casework(caseworker, 4)
    many = queries(), panel_queries()

    assert [count for _, count, _ in panel_rows(caseworker_client)] == [5, 5, 5, 5]
    assert many == few
    assert few[1] == 4  # one count per list


def test_the_one_child_rule_and_the_lists_rule_agree_on_who_deals_with_a_child(caseworker, superuser):
    """The review page's link to a reported change (``deals_with_child``, for a child already read) and the list of
    reported changes (``change_reports_waiting``, a query) each write who deals with a child: its co-ordinator, anyone
    for a child with none, a superuser for every child. A change to one alone would link to a list without the
    change, or hide the link from someone the list shows it to."""
    other = staff_in_group("SEND caseworker", email="other.caseworker@council.example.org")
    children = {
        "theirs": ChildRecordFactory(coordinator=caseworker),
        "no co-ordinator": ChildRecordFactory(coordinator=None),
        "another's": ChildRecordFactory(coordinator=other),
    }
    for child in children.values():
        _change_report(advice_request(ProfessionalFactory(), child=child))

    for staff in (caseworker, other, superuser):
        one_by_one = {name for name, child in children.items() if selectors.deals_with_child(staff, child)}
        listed = set(selectors.change_reports_waiting(staff).values_list("child", flat=True))
        assert {children[name].pk for name in one_by_one} == listed, staff
    assert {name for name, child in children.items() if selectors.deals_with_child(caseworker, child)} == {
        "theirs",
        "no co-ordinator",
    }
