"""The review queue at a large council's size: a page read in the same queries whichever it is and however many
requests wait, none of their answers read; sorting by due date, submitted date, child's name and form; and a
reference found by the digits a caseworker is told on the phone."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from advice_forms.models import AdviceRequest, RequestState, Submission
from tests.factories.advice_forms import AdviceRequestFactory, ChildRecordFactory, submission_make

pytestmark = pytest.mark.django_db

PER_PAGE = 20  # Wagtail's listing page
BIG = {"needs": {"needs": "Help with reading every morning. " * 200}}


def submitted(version, *, when=None, answers=BIG, **kwargs):
    advice_request = AdviceRequestFactory(form_version=version, answers=answers, **kwargs)
    submission_make(advice_request, answers, when=when)
    return advice_request


def page(client, **params):
    response = client.get(reverse("review_queue:index"), params)
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def reviews_shown(soup):
    """The review pages the rows link to, in the order shown."""
    links = [a["href"] for a in soup.select("tbody a[href]")]
    return [link for link in dict.fromkeys(links) if link.rstrip("/").split("/")[-1].isdigit()]


def review_url(advice_request):
    return reverse("review_queue:review", args=[advice_request.pk])


def test_a_page_of_the_queue_costs_the_same_queries_whichever_page_and_however_many_wait(caseworker_client, ersa):
    def queries_for(**params):
        with CaptureQueriesContext(connection) as queries:
            soup = page(caseworker_client, **params)
        assert reviews_shown(soup)
        return queries

    for _ in range(3):
        submitted(ersa)
    few = queries_for()
    for _ in range(2 * PER_PAGE):
        submitted(ersa)
    first, last = queries_for(), queries_for(p=3)
    assert len(few) == len(first) == len(last)
    # Only what a row shows is read: never a request's answers nor a form version's content.
    for query in last.captured_queries:
        assert '"answers"' not in query["sql"] and '"content"' not in query["sql"], query["sql"][:120]


def test_every_waiting_request_is_on_exactly_one_page_in_due_date_order(caseworker_client, ersa):
    today = timezone.localdate()
    waiting = [submitted(ersa, due_date=today + datetime.timedelta(days=n % 4)) for n in range(PER_PAGE + 3)]
    shown = reviews_shown(page(caseworker_client)) + reviews_shown(page(caseworker_client, p=2))
    expected = sorted(waiting, key=lambda r: (r.due_date, r.pk))
    assert shown == [review_url(r) for r in expected]


def test_the_queue_sorts_by_child_form_submitted_and_due_date_each_way(caseworker_client, ersa, appendix_b):
    now, today = timezone.now(), timezone.localdate()
    ada = submitted(
        appendix_b,
        child=ChildRecordFactory(first_name="Ada", last_name="Young"),
        when=now - datetime.timedelta(days=1),
        due_date=today + datetime.timedelta(days=9),
    )
    ben = submitted(
        ersa,
        child=ChildRecordFactory(first_name="Ben", last_name="Abbott"),
        when=now - datetime.timedelta(days=5),
        due_date=today + datetime.timedelta(days=3),
    )
    cat = submitted(
        ersa,
        child=ChildRecordFactory(first_name="Cat", last_name="Morgan"),
        when=now - datetime.timedelta(days=3),
        due_date=today + datetime.timedelta(days=1),
    )

    def order(ordering=None):
        params = {"ordering": ordering} if ordering else {}
        return reviews_shown(page(caseworker_client, **params))

    def urls(*requests):
        return [review_url(r) for r in requests]

    assert order() == order("due_date") == urls(cat, ben, ada)
    assert order("-due_date") == urls(ada, ben, cat)
    assert order("child") == urls(ben, cat, ada)  # by last name, as the child records list
    assert order("-child") == urls(ada, cat, ben)
    assert order("submitted") == urls(ben, cat, ada)
    assert order("-submitted") == urls(ada, cat, ben)
    assert order("form")[0] == review_url(ada)  # "Test Appendix B" before "Test ERSA"
    assert order("-form")[-1] == review_url(ada)
    # A sort no column offers is ignored: the default, by due date.
    for unknown in ("answers", "-child__first_name", "pk", "due", ""):
        assert order(unknown) == urls(cat, ben, ada), unknown


def test_sortable_headers_say_how_the_list_is_sorted_and_keep_the_filters(caseworker_client, ersa):
    submitted(ersa)
    soup = page(caseworker_client, kind="ersa")
    headers = {th.get_text(" ", strip=True): th for th in soup.select("thead th")}
    assert headers["Due"]["aria-sort"] == "ascending"
    for label in ("Child", "Form", "Submitted"):
        assert headers[label]["aria-sort"] == "none"
    assert not headers["Team account"].has_attr("aria-sort")
    child_link = headers["Child"].find("a")["href"]
    assert "ordering=child" in child_link and "kind=ersa" in child_link

    soup = page(caseworker_client, kind="ersa", ordering="-submitted")
    headers = {th.get_text(" ", strip=True): th for th in soup.select("thead th")}
    assert headers["Submitted"]["aria-sort"] == "descending"
    assert headers["Due"]["aria-sort"] == "none"


def test_the_sort_is_kept_from_page_to_page(caseworker_client, ersa):
    for _ in range(PER_PAGE + 1):
        submitted(ersa)
    soup = page(caseworker_client, ordering="-child", kind="ersa")
    next_links = [a["href"] for a in soup.select("a[href*='p=2']")]
    assert next_links and all("ordering=-child" in link and "kind=ersa" in link for link in next_links)
    everyone = AdviceRequest.objects.filter(state=RequestState.SUBMITTED).select_related("child")
    expected = sorted(everyone, key=lambda r: (r.child.last_name, r.child.first_name, r.pk), reverse=True)
    shown = reviews_shown(page(caseworker_client, ordering="-child", kind="ersa", p=1)) + reviews_shown(
        page(caseworker_client, ordering="-child", kind="ersa", p=2)
    )
    assert shown == [review_url(r) for r in expected]


def _with_reference(advice_request, reference):
    Submission.objects.filter(request=advice_request).update(reference=reference)
    return advice_request


def test_the_digits_a_reference_ends_with_find_it(caseworker_client, ersa):
    """A caseworker told "the reference ending 0002" on the phone found nothing unless they typed it all."""
    wanted = _with_reference(submitted(ersa, child=ChildRecordFactory(first_name="Mira")), "KBC-APPB-2026-000002")
    other = _with_reference(submitted(ersa, child=ChildRecordFactory(first_name="Theo")), "KBC-APPB-2026-000021")
    for query in ("000002", "0002", "002", "2026-000002", " 2026 000002 ", "kbc appb 2026 000002"):
        shown = reviews_shown(page(caseworker_client, q=query))
        assert shown == [review_url(wanted)], query
    # Digits inside a reference but not at its end, too few digits, or not the end of the reference: not found.
    for query in ("0000", "02", "2026", "20260"):
        assert review_url(wanted) not in reviews_shown(page(caseworker_client, q=query)), query
    assert reviews_shown(page(caseworker_client, q="021")) == [review_url(other)]


def test_a_search_of_digits_still_finds_a_pupil_number_and_child_records_by_reference_end(caseworker_client, ersa):
    by_upn = submitted(ersa, child=ChildRecordFactory(unique_pupil_number="A123456789012"))
    child = ChildRecordFactory(first_name="Poppy", last_name="Larkspur")
    _with_reference(submitted(ersa, child=child), "KBC-ERSA-2026-000777")
    assert reviews_shown(page(caseworker_client, q="456789")) == [review_url(by_upn)]

    response = caseworker_client.get(reverse("child_records:index"), {"q": "0777"})
    text = BeautifulSoup(response.content.decode(), "html.parser").get_text()
    assert "Larkspur" in text and by_upn.child.last_name not in text
