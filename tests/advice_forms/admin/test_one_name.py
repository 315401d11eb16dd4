"""A child with a single name is recorded with the last name left blank: caseworkers typed "-", and professionals read
"Aarav -" and the initials "A. -."; every place that names the child reads "Aarav" and "A.". Sorted by last name, such a
child came before every other (a blank sorts first) in the child records list and the review queue: each now sorts
them by the name they have (Lola between Abbott and Morgan)."""

import datetime
from io import BytesIO

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from pypdf import PdfReader

from advice_forms.models import ChildRecord
from tests.factories.advice_forms import AdviceRequestFactory, ChildRecordFactory, submission_make

pytestmark = pytest.mark.django_db

DJANGO_REQUIRED = "This field is required."


def _text(html, selector):
    return BeautifulSoup(html, "html.parser").select_one(selector).get_text(" ", strip=True)


def test_a_child_with_one_name_is_recorded_with_the_last_name_left_blank(caseworker_client, caseworker):
    form_page = caseworker_client.get(reverse("child_records:add")).content.decode()
    assert "Leave blank if the child has only one name" in form_page

    response = caseworker_client.post(
        reverse("child_records:add"),
        {
            "first_name": "Aarav",
            "last_name": "",
            "date_of_birth": "14/6/2016",
            "coordinator": caseworker.pk,
            "status": "requested",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    child = ChildRecord.objects.get()
    assert (str(child), child.full_name, child.initials) == ("Aarav", "Aarav", "A.")


def test_each_required_detail_left_empty_says_what_to_enter_beside_it(caseworker_client):
    response = caseworker_client.post(reverse("child_records:add"), {"first_name": "  ", "date_of_birth": ""})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors == {
        "first_name": ["Enter the child's first name"],
        "date_of_birth": ["Enter the child's date of birth"],
        "status": ["Select the status of the child's assessment"],
    }
    assert DJANGO_REQUIRED not in response.content.decode()
    assert not ChildRecord.objects.exists()


def test_a_child_with_one_name_reads_right_for_caseworkers_and_professionals(caseworker_client, client, ersa):
    child = ChildRecordFactory(first_name="Aarav", last_name="")
    by_name = AdviceRequestFactory(child=child, form_version=ersa)
    submission_make(by_name, {})
    by_initials = AdviceRequestFactory(child=child, form_version=ersa, shows_child_name=False)

    assert (by_name.child_display_name, by_initials.child_display_name) == ("Aarav", "A.")
    review = caseworker_client.get(reverse("review_queue:review", args=[by_name.pk])).content.decode()
    assert "Aarav, born" in " ".join(BeautifulSoup(review, "html.parser").get_text(" ").split())
    listing = caseworker_client.get(reverse("child_records:index")).content.decode()
    assert _text(listing, "td.title a, td a") == "Aarav"
    report = caseworker_client.get(reverse("casework_outcomes_report", kwargs={"child_id": child.pk}))
    assert "Outcomes for Aarav\n" in PdfReader(BytesIO(report.content)).pages[0].extract_text() + "\n"


def test_a_child_with_one_name_sorts_by_it_among_last_names_in_the_records_list_and_the_review_queue(
    caseworker_client, ersa
):
    abbott = ChildRecordFactory(first_name="Ben", last_name="Abbott")
    morgan = ChildRecordFactory(first_name="Cat", last_name="Morgan")
    lola = ChildRecordFactory(first_name="Lola", last_name="")

    def shown(url, **params):
        """The rows' links to ``url``'s pages, in the order shown, each once."""
        page = BeautifulSoup(caseworker_client.get(reverse(url), params).content.decode(), "html.parser")
        return list(dict.fromkeys(a["href"] for a in page.select("tbody a[href]") if "/edit/" not in a["href"]))

    by_name = [abbott, lola, morgan]
    records = [link for link in shown("child_records:index") if "/inspect/" in link]
    assert records == [reverse("child_records:inspect", args=[child.pk]) for child in by_name]

    waiting = {}
    for child in (morgan, lola, abbott):
        waiting[child] = AdviceRequestFactory(child=child, form_version=ersa)
        submission_make(waiting[child], {})
    reviews = [reverse("review_queue:review", args=[waiting[child].pk]) for child in by_name]
    assert shown("review_queue:index", ordering="child") == reviews
    assert shown("review_queue:index", ordering="-child") == reviews[::-1]


def test_the_records_lists_full_name_heading_sorts_by_the_records_own_order_both_ways(caseworker_client):
    """ "Full name" had no sort link: once sorted by another column, only a reload went back to the name. It is now a
    link both ways, by last name or the one name a child has, as the list starts."""
    abbott = ChildRecordFactory(first_name="Ben", last_name="Abbott", date_of_birth=datetime.date(2016, 1, 3))
    morgan = ChildRecordFactory(first_name="Cat", last_name="Morgan", date_of_birth=datetime.date(2016, 1, 1))
    lola = ChildRecordFactory(first_name="Lola", last_name="", date_of_birth=datetime.date(2016, 1, 2))

    def listed(**params):
        """The records in the order shown, and the "Full name" heading's link and its words."""
        page = BeautifulSoup(caseworker_client.get(reverse("child_records:index"), params).content, "html.parser")
        rows = [a.get_text(strip=True) for a in page.select("tbody td.title .title-wrapper a")]
        heading = next(th for th in page.select("thead th") if th.get_text(strip=True) == "Full name")
        link = heading.select_one("a")
        return rows, (link["href"].split("?", 1)[1], link["title"]) if link else None

    by_name = [abbott.full_name, lola.full_name, morgan.full_name]
    assert listed() == (by_name, ("ordering=-full_name", "Sort by last name, Z to A"))
    assert listed(ordering="date_of_birth") == (
        [morgan.full_name, lola.full_name, abbott.full_name],
        ("ordering=full_name", "Sort by last name, A to Z"),
    )
    assert listed(ordering="full_name") == (by_name, ("ordering=-full_name", "Sort by last name, Z to A"))
    assert listed(ordering="-full_name") == (by_name[::-1], ("ordering=full_name", "Sort by last name, A to Z"))
