"""The review queue at a large council's size: a page read in the same queries whichever it is and however many
requests wait, none of their answers read."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories.advice_forms import AdviceRequestFactory, submission_make

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
