"""A second child record with the same name and date of birth as one kept already was saved without a word: the create
page now warns, linking the records like it, and saves when the caseworker ticks "This is a different child". The edit
page warned of nothing when a record was edited into another child's name and date of birth: it now warns the same
way when the name or date of birth changes, never of the record itself."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.urls import reverse

from advice_forms.models import ChildRecord, ChildRecordStatus
from tests.factories.accounts import OrganisationFactory, staff_in_group, verified_login
from tests.factories.advice_forms import ChildRecordFactory

pytestmark = pytest.mark.django_db

BORN = datetime.date(2016, 6, 14)


def _add(client, caseworker, **fields):
    data = {
        "first_name": "Zoe",
        "last_name": "Ni Bhriain",
        "date_of_birth": "14/6/2016",
        "address": "8 Test Street",
        "coordinator": caseworker.pk,
        "status": "requested",
        **fields,
    }
    return client.post(reverse("child_records:add"), data)


def test_a_record_with_the_name_and_date_of_birth_of_one_kept_is_saved_only_once_said_to_be_another_child(
    caseworker_client, caseworker
):
    kept = ChildRecordFactory(
        first_name="Zoë", last_name="Ní Bhriain", date_of_birth=BORN, school=OrganisationFactory(name="Heron Lane")
    )
    ChildRecordFactory(first_name="Zoë", last_name="Ní Bhriain", date_of_birth=BORN.replace(year=2015))

    response = _add(caseworker_client, caseworker)

    assert response.status_code == 200 and ChildRecord.objects.count() == 2
    html = BeautifulSoup(response.content.decode(), "html.parser")
    warning = html.find(string=lambda text: "already exists" in text).find_parent(class_="help-block")
    assert "A child record with this name and date of birth already exists" in warning.get_text(" ", strip=True)
    links = [(a["href"], " ".join(a.get_text(" ").split())) for a in warning.find_all("a")]
    assert links == [
        (
            reverse("child_records:inspect", args=[kept.pk]),
            "Zoë Ní Bhriain, born 14 June 2016, Heron Lane (opens in a new tab)",
        )
    ]
    # Nothing typed is lost, and the box to say it is another child is offered.
    assert html.find("input", attrs={"name": "first_name"})["value"] == "Zoe"
    assert html.find("input", attrs={"name": "date_of_birth"})["value"] == "14/6/2016"
    assert html.find("textarea", attrs={"name": "address"}).get_text().strip() == "8 Test Street"
    assert html.find("input", attrs={"name": "different_child", "type": "checkbox"}) is not None

    response = _add(caseworker_client, caseworker, different_child="on")

    assert response.status_code == 302
    assert ChildRecord.objects.filter(first_name="Zoe", date_of_birth=BORN).count() == 1


def test_a_record_like_none_kept_is_saved_at_once_and_the_page_offers_no_box_for_another_child(
    caseworker_client, caseworker
):
    ChildRecordFactory(first_name="Zoë", last_name="Ní Bhriain", date_of_birth=BORN.replace(year=2015))
    ChildRecordFactory(first_name="Zoë", last_name="Nic Bhriain", date_of_birth=BORN)

    page = caseworker_client.get(reverse("child_records:add")).content.decode()
    assert "different_child" not in page and "This is a different child" not in page

    assert _add(caseworker_client, caseworker).status_code == 302
    assert ChildRecord.objects.count() == 3


def test_someone_who_may_add_child_records_but_not_view_them_is_warned_without_the_records_details(client, caseworker):
    """The warning listed each record's name, date of birth and school, unlinked, to someone who may not view them."""
    ChildRecordFactory(
        first_name="Zoë", last_name="Ní Bhriain", date_of_birth=BORN, school=OrganisationFactory(name="Heron Lane")
    )
    adder = staff_in_group("Child records: add only")
    adder.groups.get().permissions.add(
        Permission.objects.get(content_type__app_label="advice_forms", codename="add_childrecord")
    )
    verified_login(client, adder)

    response = _add(client, caseworker)

    assert response.status_code == 200 and ChildRecord.objects.count() == 1
    html = BeautifulSoup(response.content.decode(), "html.parser")
    found = html.find(string=lambda text: "already exist" in text).find_parent(class_="help-block")
    warning = found.get_text(" ", strip=True)
    assert warning.startswith("A child record with this name and date of birth may already exist")
    assert "Heron Lane" not in warning and "Ní Bhriain" not in warning and "June" not in warning
    assert html.find("input", attrs={"name": "different_child", "type": "checkbox"}) is not None
    assert _add(client, caseworker, different_child="on").status_code == 302


def _edit(client, record, **fields):
    data = {
        "first_name": record.first_name,
        "last_name": record.last_name,
        "date_of_birth": f"{record.date_of_birth.day}/{record.date_of_birth.month}/{record.date_of_birth.year}",
        "address": record.address,
        "coordinator": record.coordinator_id or "",
        "school": record.school_id or "",
        "status": record.status,
        **fields,
    }
    return client.post(reverse("child_records:edit", args=[record.pk]), data)


def test_a_record_edited_into_the_name_and_date_of_birth_of_another_is_saved_only_once_said_to_be_another_child(
    caseworker_client, caseworker
):
    kept = ChildRecordFactory(
        first_name="Zoë", last_name="Ní Bhriain", date_of_birth=BORN, school=OrganisationFactory(name="Heron Lane")
    )
    edited = ChildRecordFactory(first_name="Zoe", last_name="Nye", date_of_birth=BORN, address="8 Test Street")

    response = _edit(caseworker_client, edited, last_name="Ni Bhriain", address="9 Test Street")

    assert response.status_code == 200
    edited.refresh_from_db()
    assert (edited.last_name, edited.address) == ("Nye", "8 Test Street")
    html = BeautifulSoup(response.content.decode(), "html.parser")
    warning = html.find(string=lambda text: "already exists" in text).find_parent(class_="help-block")
    links = [(a["href"], " ".join(a.get_text(" ").split())) for a in warning.find_all("a")]
    assert links == [
        (
            reverse("child_records:inspect", args=[kept.pk]),
            "Zoë Ní Bhriain, born 14 June 2016, Heron Lane (opens in a new tab)",
        )
    ]
    assert html.find("input", attrs={"name": "last_name"})["value"] == "Ni Bhriain"
    assert html.find("input", attrs={"name": "different_child", "type": "checkbox"}) is not None

    response = _edit(caseworker_client, edited, last_name="Ni Bhriain", address="9 Test Street", different_child="on")

    assert response.status_code == 302
    edited.refresh_from_db()
    assert (edited.last_name, edited.address) == ("Ni Bhriain", "9 Test Street")


def test_a_record_edited_to_the_date_of_birth_of_another_with_its_name_is_warned_of(caseworker_client, caseworker):
    ChildRecordFactory(first_name="Zoë", last_name="Ní Bhriain", date_of_birth=BORN)
    edited = ChildRecordFactory(first_name="Zoe", last_name="Ni Bhriain", date_of_birth=BORN.replace(year=2015))

    response = _edit(caseworker_client, edited, date_of_birth="14/6/2016")

    assert response.status_code == 200 and "already exists" in response.content.decode()
    edited.refresh_from_db()
    assert edited.date_of_birth == BORN.replace(year=2015)


def test_editing_a_records_other_details_or_its_names_accents_warns_of_nothing_not_even_of_the_record_itself(
    caseworker_client, caseworker
):
    """Two records of different children with one name and date of birth, said so when the second was made: editing
    either's address, status or the accents of its name saves at once, and the edit page offers no box."""
    ChildRecordFactory(first_name="Zoë", last_name="Ní Bhriain", date_of_birth=BORN)
    edited = ChildRecordFactory(first_name="Zoe", last_name="Ni Bhriain", date_of_birth=BORN, address="8 Test Street")
    alone = ChildRecordFactory(first_name="Aarav", last_name="", date_of_birth=BORN)

    page = caseworker_client.get(reverse("child_records:edit", args=[edited.pk])).content.decode()
    assert "This is a different child" not in page

    assert _edit(caseworker_client, edited, address="9 Test Street", status=ChildRecordStatus.CLOSED).status_code == 302
    edited.refresh_from_db()
    assert _edit(caseworker_client, edited, first_name="Zoë").status_code == 302
    assert _edit(caseworker_client, alone, last_name="Patel").status_code == 302
    edited.refresh_from_db()
    alone.refresh_from_db()
    assert (edited.first_name, edited.address, edited.status) == ("Zoë", "9 Test Street", ChildRecordStatus.CLOSED)
    assert alone.last_name == "Patel"


@pytest.mark.parametrize("sent_back", ["warning", "error"])
def test_an_edit_sent_back_names_the_record_by_its_saved_name_in_the_heading_and_breadcrumb(
    caseworker_client, caseworker, sent_back
):
    """The form sent back with the same-child warning (or an error) headed the page and ended the breadcrumb with the
    name typed and not saved ("Zoe Ni Bhriain") while the warning said nothing had been saved."""
    ChildRecordFactory(first_name="Zoë", last_name="Ní Bhriain", date_of_birth=BORN)
    edited = ChildRecordFactory(first_name="Zoe", last_name="Nye", date_of_birth=BORN)
    fields = {"last_name": "Ni Bhriain"} if sent_back == "warning" else {"last_name": "Ni Bhriain", "date_of_birth": ""}

    response = _edit(caseworker_client, edited, **fields)

    assert response.status_code == 200
    html = BeautifulSoup(response.content.decode(), "html.parser")
    heading = " ".join(html.find("h1").get_text(" ").split())
    crumbs = " ".join(html.select_one('[data-controller="w-breadcrumbs"], .w-breadcrumbs').get_text(" ").split())
    assert "Zoe Nye" in heading and "Bhriain" not in heading, heading
    assert "Zoe Nye" in crumbs and "Bhriain" not in crumbs, crumbs
