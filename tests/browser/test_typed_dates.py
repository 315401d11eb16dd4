"""A date of birth typed in the admin, in a real Chromium: 14/06/2016 stays as typed when the caseworker tabs away and
is saved as 14 June 2016; 31/02/2016 is refused beside the field and nothing is stored. Wagtail's date picker replaced
what it could not read as 2016-06-14 with today's date on leaving the box, and the record was saved with it."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from advice_forms.models import ChildRecord
from tests.browser.editor import sign_in_to_editor
from tests.factories.advice_forms import ChildRecordFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BORN = datetime.date(2015, 1, 2)


def _type_date_of_birth(new_page, client, live_server, typed):
    child = ChildRecordFactory(date_of_birth=BORN)
    page = new_page(locale="en-GB")
    sign_in_to_editor(page, client, live_server)
    page.goto(live_server.url + reverse("child_records:edit", args=[child.pk]))
    page.wait_for_load_state("load")  # the admin's deferred scripts (a date picker's among them) have run
    box = page.get_by_label("Date of birth")
    box.click()
    box.press("ControlOrMeta+a")
    box.press_sequentially(typed)
    box.press("Tab")
    page.wait_for_timeout(300)  # longer than the picker took to act on leaving the box
    expect(box).to_have_value(typed)
    expect(page.get_by_text("For example, 14/6/2016")).to_be_visible()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state("load")
    return page, ChildRecord.objects.get(pk=child.pk)


def test_a_date_of_birth_typed_day_first_stays_as_typed_and_is_saved(new_page, client, live_server):
    page, child = _type_date_of_birth(new_page, client, live_server, "14/06/2016")

    expect(page.get_by_text("updated")).to_be_visible()
    assert child.date_of_birth == datetime.date(2016, 6, 14)


def test_an_impossible_date_of_birth_is_refused_beside_the_field_and_nothing_is_stored(new_page, client, live_server):
    page, child = _type_date_of_birth(new_page, client, live_server, "31/02/2016")

    field = page.locator("[data-field]", has=page.get_by_label("Date of birth"))
    expect(field.get_by_text("Enter a real date, like 14/6/2016")).to_be_visible()
    expect(page.get_by_label("Date of birth")).to_have_value("31/02/2016")
    assert child.date_of_birth == BORN
