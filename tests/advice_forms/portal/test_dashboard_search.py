"""The dashboard's search and status filter: a team account with thousands of requests finds a child by name or a
submission by its reference, within its own requests only, and pages through what matched."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from advice_forms.models import AdviceRequest, RequestState, Submission
from tests.factories.accounts import ProfessionalFactory
from tests.factories.advice_forms import AdviceRequestFactory, ChildRecordFactory, submission_make

pytestmark = pytest.mark.django_db


def dashboard(client, **params):
    return client.get("/portal/", params).content.decode()


def children_shown(html):
    cells = BeautifulSoup(html, "html.parser").select("td[data-label^=Child]")
    return [cell.get_text(" ", strip=True) for cell in cells]


def matching_line(html):
    line = BeautifulSoup(html, "html.parser").find(id="requests-matching")
    return " ".join(line.get_text(" ", strip=True).split()) if line else None


def request_for(account, version, first, last, **fields):
    return AdviceRequestFactory(
        account=account, form_version=version, child=ChildRecordFactory(first_name=first, last_name=last), **fields
    )


def many_requests(account, version, n, **fields):
    """``n`` requests for one child, written at once: enough to page through without a factory call each."""
    child = ChildRecordFactory(first_name="Dash", last_name="Benchley")
    AdviceRequest.objects.bulk_create(
        AdviceRequest(account=account, form_version=version, child=child, **fields) for _ in range(n)
    )


def test_a_search_finds_a_child_by_first_name_last_name_or_last_comma_first(verified_client, professional, small_form):
    request_for(professional, small_form, "Ada", "Quill")
    request_for(professional, small_form, "Bo", "Fenwick")
    for typed in ("Ada", "quill", "Ada Quill", "Quill, Ada", "  QUILL,ada  "):
        html = dashboard(verified_client, q=typed)
        assert children_shown(html) == ["Ada Quill"], typed
        assert matching_line(html) == f"1 request matches “{typed.strip()}”.", typed
        # The count is in the page's title, as GOV.UK's search results give it: read first by a screen reader.
        assert BeautifulSoup(html, "html.parser").title.get_text().startswith("1 request matches – Your dashboard")
        # The search is kept in its box, and a link clears it.
        form = BeautifulSoup(html, "html.parser").find("form", attrs={"aria-label": "Requests"})
        assert form.find("input", attrs={"name": "q"})["value"] == typed.strip()
        clear = [a for a in form.find_all("a") if a.get_text(" ", strip=True) == "Clear the search and status"]
        assert [a["href"] for a in clear] == ["/portal/"]


def test_a_search_finds_a_name_whatever_its_accents_and_apostrophes(verified_client, professional, small_form):
    """ "Zoe" did not find Zoë, "Ni Bhriain" not Ní Bhriain, "D'Arcy" (typed) or "Darcy" not D’Arcy (pasted from an
    email)."""
    request_for(professional, small_form, "Zoë", "Ní Bhriain")
    request_for(professional, small_form, "Oisín", "D’Arcy")
    request_for(professional, small_form, "Sam", "O'Neill")

    for typed, shown in [
        ("Zoe", "Zoë Ní Bhriain"),
        ("Ni Bhriain", "Zoë Ní Bhriain"),
        ("ZOË NÍ", "Zoë Ní Bhriain"),
        ("D'Arcy", "Oisín D’Arcy"),
        ("oisin d’arcy", "Oisín D’Arcy"),
        ("Darcy", "Oisín D’Arcy"),
        ("O’Neill", "Sam O'Neill"),
    ]:
        assert children_shown(dashboard(verified_client, q=typed)) == [shown], typed
    assert children_shown(dashboard(verified_client, q="Zoe Oisin")) == []


def test_a_search_of_odd_characters_is_answered_plainly(verified_client, professional, small_form):
    request_for(professional, small_form, "Ada", "Quill")

    html = dashboard(verified_client, q=",")
    assert children_shown(html) == [] and matching_line(html) == "No requests match “,”."
    # A NUL (refused by PostgreSQL) is dropped; a search longer than a name or reference is cut, and the page says so.
    assert children_shown(dashboard(verified_client, q="Qu\x00ill")) == ["Ada Quill"]
    html = dashboard(verified_client, q="Quill" + " " * 100 + "x")
    assert children_shown(html) == ["Ada Quill"]
    assert "Your search was too long, so only its first 100 characters were used." in html


def test_a_search_never_finds_another_accounts_child(verified_client, professional, small_form):
    request_for(professional, small_form, "Ada", "Quill")
    theirs = request_for(ProfessionalFactory(), small_form, "Ada", "Quillon", state=RequestState.SUBMITTED)
    submission_make(theirs, {})
    Submission.objects.filter(request=theirs).update(reference="KBC-ERSA-2026-000777")

    assert children_shown(dashboard(verified_client, q="Quill")) == ["Ada Quill"]
    for typed in ("Quillon", "KBC-ERSA-2026-000777", "0777"):
        html = dashboard(verified_client, q=typed)
        assert children_shown(html) == [], typed
        assert matching_line(html) == f"No requests match “{typed}”.", typed


def test_a_name_search_does_not_find_a_child_the_request_shows_by_initials(verified_client, professional, small_form):
    request_for(professional, small_form, "Esme", "Pryce", shows_child_name=False)

    html = dashboard(verified_client, q="Pryce")
    assert children_shown(html) == [] and matching_line(html) == "No requests match “Pryce”."
    assert "A request that shows only the child's initials is not found by their name." in html
    assert children_shown(dashboard(verified_client)) == ["E. P. (the child's initials)"]


def test_a_search_finds_a_submission_by_its_whole_reference_or_its_last_digits(
    verified_client, professional, small_form
):
    submitted = request_for(professional, small_form, "Ada", "Quill", state=RequestState.SUBMITTED)
    submission_make(submitted, {})
    Submission.objects.filter(request=submitted).update(reference="KBC-ERSA-2026-000002")
    other = request_for(professional, small_form, "Bo", "Fenwick", state=RequestState.SUBMITTED)
    submission_make(other, {})
    Submission.objects.filter(request=other).update(reference="KBC-ERSA-2026-000012")

    for typed in ("KBC-ERSA-2026-000002", "kbc-ersa-2026-000002", "0002", "2"):
        html = dashboard(verified_client, q=typed)
        assert children_shown(html)[0] == "Ada Quill", typed
    assert children_shown(dashboard(verified_client, q="0002")) == ["Ada Quill"]
    assert sorted(children_shown(dashboard(verified_client, q="2"))) == ["Ada Quill", "Bo Fenwick"]
    # The row shows the reference it was found by.
    assert "Reference KBC-ERSA-2026-000002" in dashboard(verified_client, q="0002")
    assert children_shown(dashboard(verified_client, q="ERSA-2026")) == []


def test_the_status_filter_shows_one_status_and_says_what_was_chosen(verified_client, professional, small_form):
    request_for(professional, small_form, "Ada", "Quill")
    request_for(professional, small_form, "Bo", "Quill", state=RequestState.IN_PROGRESS)
    request_for(professional, small_form, "Cy", "Fenwick", state=RequestState.IN_PROGRESS)

    html = dashboard(verified_client, status="in_progress")
    assert sorted(children_shown(html)) == ["Bo Quill", "Cy Fenwick"]
    assert matching_line(html) == "2 requests match with the status “In progress”."
    select = BeautifulSoup(html, "html.parser").find("select", attrs={"name": "status"})
    assert select.find("option", selected=True)["value"] == "in_progress"
    assert [o.get_text() for o in select.find_all("option")] == [
        "All statuses",
        "Returned for more information",
        "To do",
        "In progress",
        "Submitted",
        "Accepted",
    ]

    html = dashboard(verified_client, q="Quill", status="in_progress")
    assert children_shown(html) == ["Bo Quill"]
    assert matching_line(html) == "1 request matches “Quill” with the status “In progress”."

    html = dashboard(verified_client, q="Quill", status="accepted")
    assert matching_line(html) == "No requests match “Quill” with the status “Accepted”."
    assert "choose “All statuses”" in html
    # An unknown status shows every status.
    assert len(children_shown(dashboard(verified_client, status="nonsense"))) == 3


def test_a_search_lists_returned_advice_first_as_the_dashboard_does(verified_client, professional, small_form):
    request_for(professional, small_form, "Ada", "Quill")
    request_for(professional, small_form, "Bo", "Quill", state=RequestState.RETURNED)

    html = dashboard(verified_client, q="Quill")
    assert children_shown(html) == ["Bo Quill", "Ada Quill"]
    captions = BeautifulSoup(html, "html.parser").select("caption.govuk-table__caption--m")
    assert [c.contents[0].strip() for c in captions] == ["Returned for more information", "To do"]
    assert children_shown(dashboard(verified_client, q="Quill", status="returned")) == ["Bo Quill"]


def test_the_search_and_status_are_kept_by_every_page_link(verified_client, professional, small_form):
    many_requests(professional, small_form, 1010, state=RequestState.IN_PROGRESS)
    many_requests(professional, small_form, 30)

    html = dashboard(verified_client, q="Benchley", status="in_progress", page="26")
    assert matching_line(html) == "1,010 requests match “Benchley” with the status “In progress”."
    pager = BeautifulSoup(html, "html.parser").find("nav", class_="govuk-pagination")
    links = [a["href"] for a in pager.find_all("a")]
    kept = "?q=Benchley&status=in_progress&page="
    # Previous, then 1 … 25 26 27 … 51, then Next: GOV.UK's pattern around the current page.
    assert links == [f"{kept}{n}" for n in (25, 1, 25, 26, 27, 51, 27)]
    assert len(pager.select(".govuk-pagination__item--ellipses")) == 2
    assert pager.find(attrs={"aria-current": "page"}).get_text() == "26"


def test_the_counts_have_thousands_separators(verified_client, professional, small_form):
    many_requests(professional, small_form, 1200)
    many_requests(professional, small_form, 3, state=RequestState.SUBMITTED)

    html = dashboard(verified_client)
    assert "1,203 requests:" in html and "to do 1,200, submitted 3." in html
    assert ">1,200 requests</span>" in html


def test_the_query_count_is_the_same_for_a_few_requests_or_thousands(verified_client, professional, small_form):
    def queries(**params):
        with CaptureQueriesContext(connection) as captured:
            assert verified_client.get("/portal/", params).status_code == 200
        return len(captured)

    many_requests(professional, small_form, 5)
    done = request_for(professional, small_form, "Ada", "Quill", state=RequestState.SUBMITTED)
    submission_make(done, {})
    searches = [{}, {"q": "Benchley"}, {"status": "to_do"}, {"q": "0001", "status": "submitted", "page": "1"}]
    few = [queries(**params) for params in searches]
    many_requests(professional, small_form, 2000)
    many = [queries(**params) for params in searches]

    assert few == many
    # A search adds one query (its own counts by status) to the page without one.
    assert many[1] == many[0] + 1


def test_the_header_search_says_it_searches_the_guidance(verified_client, professional, small_form):
    header = BeautifulSoup(dashboard(verified_client), "html.parser").find("form", attrs={"aria-label": "Site"})
    assert header.find("button").get_text() == "Search guidance"
    assert header.find("label").get_text() == "Search the guidance"
