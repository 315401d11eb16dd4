"""A child's EHC co-ordinator is named one way on every staff page that shows one: the request lists (review queue,
overdue advice), the child records list, their "EHC co-ordinator" filters, a child's record and a request's review."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from advice_forms.models import RequestState
from tests.factories.accounts import staff_in_group
from tests.factories.advice_forms import AdviceRequestFactory, ChildRecordFactory

pytestmark = pytest.mark.django_db


def column(html, heading="EHC co-ordinator"):
    """The texts of a listing's column, by its heading."""
    table = BeautifulSoup(html, "html.parser").select_one("table")
    headings = [" ".join(th.get_text().split()) for th in table.select("thead th")]
    at = headings.index(heading)
    return {" ".join(row.select("td, th")[at].get_text().split()) for row in table.select("tbody tr")}


def menu(html):
    page = BeautifulSoup(html, "html.parser")
    return {" ".join(option.get_text().split()) for option in page.select("select[name=coordinator] option")}


def dd_after(html, label):
    page = BeautifulSoup(html, "html.parser")
    found = [dt for dt in page.select("dt") if dt.get_text(strip=True) == label]
    return " ".join(found[0].find_next_sibling("dd").get_text().split())


@pytest.mark.parametrize(
    ("fields", "name"),
    [
        (
            {
                "first_name": "Nia",
                "last_name": "Okafor",
                "display_name": "Nia O",
                "email": "n.okafor@council.example.org",
            },
            "Nia Okafor",
        ),
        (
            {"first_name": "", "last_name": "", "display_name": "", "email": "casework@council.example.org"},
            "casework@council.example.org",
        ),
        (
            {"first_name": "", "last_name": "", "display_name": "Duty desk", "email": "duty@council.example.org"},
            "Duty desk",
        ),
    ],
    ids=["names", "email only", "account name only"],
)
def test_every_staff_page_names_a_coordinator_the_same_way(caseworker_client, fields, name):
    """The request lists named a co-ordinator by first and last names, or else the address; the records list and the
    filter menus by the account's name first: "Nia Okafor" in one list was "Nia O" in the next, and a co-ordinator
    the lists called by address was offered by another name in the menu that filters them."""
    coordinator = staff_in_group("SEND caseworker", **fields)
    child = ChildRecordFactory(coordinator=coordinator)
    submitted = AdviceRequestFactory(child=child, state=RequestState.SUBMITTED)
    AdviceRequestFactory(
        child=child, state=RequestState.IN_PROGRESS, due_date=timezone.localdate() - datetime.timedelta(days=3)
    )

    def get(url):
        response = caseworker_client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    queue, overdue = get(reverse("review_queue:index")), get(reverse("overdue_advice:index") + "?whose=all")
    records = get(reverse("child_records:index"))
    shown = {
        "review queue": column(queue),
        "overdue list": column(overdue),
        "records list": column(records),
        "review queue filter": menu(queue) & {name},
        "records list filter": menu(records) & {name},
        "child's record": {dd_after(get(reverse("child_records:inspect", args=[child.pk])), "EHC co-ordinator")},
        "review page": {dd_after(get(reverse("review_queue:review", args=[submitted.pk])), "EHC co-ordinator")},
    }
    assert shown == dict.fromkeys(shown, {name})
