"""A co-ordinator on the overdue list in a real Chromium, at 1280 and 320 px: sees the Overdue tag, sends a reminder
(a second click is refused with when another may go), and gives the request a new due date. Each page passes axe
and does not scroll sideways."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from advice_forms.models import RequestState
from portal_pages.models import InboxMessage
from tests.browser.test_dropdown_paste import signed_in
from tests.factories.advice_forms import AdviceRequestFactory, ChildRecordFactory, small_form_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _change_due_date(page, day):
    """Type the date and click the button, as a caseworker does. (Wagtail's date picker opened under the box while it
    had focus and lay over the button: the click chose a day of its calendar instead, and nothing was sent.)"""
    page.get_by_label("Due date").fill(day.isoformat())
    page.get_by_role("button", name="Change the due date").click()


def _checked(page, axe_violations):
    violations = axe_violations(page)
    assert violations == [], axe_violations.describe(violations)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"


@pytest.mark.parametrize("width", [1280, 320])
def test_remind_and_change_the_due_date_from_the_overdue_list(
    width, live_server, home_page, client, page, caseworker, axe_violations
):
    overdue = AdviceRequestFactory(
        form_version=small_form_version(),
        child=ChildRecordFactory(first_name="Amelia", last_name="Quillfeather", coordinator=caseworker),
        state=RequestState.IN_PROGRESS,
        due_date=timezone.localdate() - datetime.timedelta(days=3),
    )
    page.set_viewport_size({"width": width, "height": 900})
    signed_in(page, client, live_server, caseworker)
    page.goto(live_server.url + reverse("overdue_advice:index"))
    expect(page.get_by_text("Overdue", exact=True)).to_be_visible()
    _checked(page, axe_violations)

    remind = page.get_by_role("button", name="Send a reminder to")
    remind.click()
    expect(page.get_by_text("A reminder has been sent to")).to_be_visible()
    _checked(page, axe_violations)
    page.get_by_role("button", name="Send a reminder to").click()
    expect(page.get_by_text("one every 10 minutes at most")).to_be_visible()
    assert InboxMessage.objects.filter(account=overdue.account).count() == 1

    page.get_by_role("link", name="Change due date").click()
    _checked(page, axe_violations)
    _change_due_date(page, timezone.localdate() - datetime.timedelta(days=1))
    expect(page.get_by_role("link", name="The due date must be today or in the future")).to_be_visible()
    _checked(page, axe_violations)
    new_date = timezone.localdate() + datetime.timedelta(days=14)
    _change_due_date(page, new_date)
    expect(page.get_by_text(f"The due date is now {new_date:%-d %B %Y}.")).to_be_visible()
    overdue.refresh_from_db()
    assert overdue.due_date == new_date
