"""Review dates and owners: every guidance page has an owner and a review date (6 months after publishing by
default); the "Due for review" report; the weekly reminder to owners through the email outbox; a quiet notice to
editors, never to the public, on a page past its review date."""

import datetime

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.contrib.auth.models import AnonymousUser, Group
from django.core import mail
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.utils import timezone
from django_q.models import Schedule

from cms.formats import govuk_date
from cms.models import HelpPage
from cms.services import review_date_after, review_reminders_send
from cms.tasks import review_reminders_send as review_reminders_task
from tests.cms.guidance_admin import help_page_form
from tests.factories.accounts import StaffUserFactory, TOTPDeviceFactory, verified_login
from tests.factories.cms import HelpPageFactory

pytestmark = pytest.mark.django_db


def today():
    """Read when the test runs, not when the module is imported: a run that crosses midnight (the module read before,
    the page saved after) compared the next day's review date with the day before's."""
    return timezone.localdate()


def _published(parent, **fields):
    page = HelpPageFactory(parent=parent, **fields)
    page.save_revision().publish()
    return HelpPage.objects.get(pk=page.pk)


def test_a_page_published_without_a_review_date_is_due_six_months_later(home_page):
    page = _published(home_page)

    assert page.review_by == review_date_after(today())
    assert review_date_after(datetime.date(2026, 8, 31)) == datetime.date(2027, 2, 28)
    assert review_date_after(datetime.date(2026, 1, 15)) == datetime.date(2026, 7, 15)


def test_a_chosen_review_date_is_kept_and_a_later_publish_keeps_it(home_page):
    page = _published(home_page, review_by=datetime.date(2030, 1, 31))
    page.intro = "Changed."
    page.save_revision().publish()

    assert HelpPage.objects.get(pk=page.pk).review_by == datetime.date(2030, 1, 31)


def test_the_editor_who_saves_a_page_without_an_owner_owns_it_and_one_owner_kind_only(
    verified_admin_client, superuser, home_page
):
    page = HelpPageFactory(parent=home_page)
    team = Group.objects.get(name="Content editor")

    both = verified_admin_client.post(
        f"/admin/pages/{page.pk}/edit/", help_page_form(page, owner_team=team.pk, owner_person=superuser.pk)
    )
    assert both.status_code == 200 and "Choose a team or a person as the owner, not both" in both.content.decode()

    assert verified_admin_client.post(f"/admin/pages/{page.pk}/edit/", help_page_form(page)).status_code == 302
    page = HelpPage.objects.get(pk=page.pk)
    assert page.owner_person == superuser and page.owner_team is None
    assert page.review_by == review_date_after(today())


@pytest.mark.parametrize("typed", ["31/1/2030", "31/01/2030", "2030-01-31"])
def test_a_review_date_typed_as_a_uk_reader_writes_it_is_kept(verified_admin_client, home_page, typed):
    page = HelpPageFactory(parent=home_page)

    response = verified_admin_client.post(f"/admin/pages/{page.pk}/edit/", help_page_form(page, review_by=typed))

    assert response.status_code == 302
    assert HelpPage.objects.get(pk=page.pk).review_by == datetime.date(2030, 1, 31)


def test_an_impossible_review_date_is_refused_beside_the_field_in_a_box_whose_hint_gives_the_format(
    superuser, home_page
):
    """A plain text box: Wagtail's date picker replaced what it could not read as 2030-01-31 with today's date. Its
    example is 4 weeks ahead: a fixed 27/3/2027 became, once passed, a date no one should choose."""
    page = HelpPageFactory(parent=home_page)

    with time_machine.travel(datetime.datetime(2027, 6, 1, 9, tzinfo=datetime.UTC), tick=False):
        response = verified_login(Client(), superuser).post(
            f"/admin/pages/{page.pk}/edit/", help_page_form(page, review_by="31/02/2030")
        )

    assert response.status_code == 200
    assert response.context["form"].errors["review_by"] == ["Enter a real review date, like 29/6/2027"]
    html = BeautifulSoup(response.content, "html.parser")
    box = html.find("input", attrs={"name": "review_by"})
    assert (box["type"], box["value"]) == ("text", "31/02/2030")
    described_by = [html.find(id=name).get_text(" ", strip=True) for name in box["aria-describedby"].split()]
    assert described_by[0].endswith("For example, 29/6/2027")
    assert described_by[1] == "Enter a real review date, like 29/6/2027"
    assert HelpPage.objects.get(pk=page.pk).review_by is None


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("1/1/70", "Enter the year as 4 numbers, like 2027"),
        ("1/1/0027", "Enter the year as 4 numbers, like 2027"),
        ("1/1/2101", "Enter a review date between 1900 and 2100"),
        ("1/1/2150", "Enter a review date between 1900 and 2100"),
    ],
)
def test_a_review_date_with_a_short_year_or_one_outside_1900_to_2100_is_refused(superuser, home_page, typed, error):
    """A two-digit year was read as 1970 and saved, a page due for review 56 years ago."""
    page = HelpPageFactory(parent=home_page)

    with time_machine.travel(datetime.datetime(2027, 6, 1, 9, tzinfo=datetime.UTC), tick=False):
        response = verified_login(Client(), superuser).post(
            f"/admin/pages/{page.pk}/edit/", help_page_form(page, review_by=typed)
        )

    assert response.status_code == 200
    assert response.context["form"].errors["review_by"] == [error]
    assert HelpPage.objects.get(pk=page.pk).review_by is None


def _report(client):
    response = client.get("/admin/reports/due-for-review/")
    assert response.status_code == 200
    rows = BeautifulSoup(response.content, "html.parser").select("table tbody tr")
    return [[td.get_text(" ", strip=True) for td in row.find_all("td")] for row in rows]


def test_the_due_for_review_report_lists_overdue_and_soon_due_pages_with_owners(client, content_editor, home_page):
    team = Group.objects.get(name="Content editor")
    _published(home_page, title="Signing in", review_by=today() - datetime.timedelta(days=3), owner_team=team)
    _published(home_page, title="Uploads", review_by=today() + datetime.timedelta(days=10), owner_person=content_editor)
    _published(home_page, title="Privacy", review_by=today() + datetime.timedelta(days=90), owner_team=team)
    draft = HelpPageFactory(parent=home_page, title="Draft", live=False, review_by=today() - datetime.timedelta(days=1))

    rows = _report(verified_login(client, content_editor))

    assert [row[0] for row in rows] == ["Signing in", "Uploads"]
    assert rows[0][1] == "Content editor" and rows[0][3] == "Overdue"
    assert rows[1][1] == content_editor.email and rows[1][3] == "Due soon"
    assert draft.title not in str(rows)
    # The day, as the page's own notice and the reminder email write it; not Wagtail's "3 days ago".
    assert [row[2] for row in rows] == [
        govuk_date(today() - datetime.timedelta(days=3)),
        govuk_date(today() + datetime.timedelta(days=10)),
    ]


def test_the_report_is_refused_to_staff_who_edit_no_pages(caseworker_client, home_page):
    response = caseworker_client.get("/admin/reports/due-for-review/")

    assert response.status_code in (302, 403)
    assert response.status_code == 403 or response.url == "/admin/"


def test_owners_get_one_weekly_email_naming_titles_and_admin_links_only(home_page, django_capture_on_commit_callbacks):
    person = StaffUserFactory(email="owner@council.example.org")
    team = Group.objects.create(name="Parent guidance team")
    members = [StaffUserFactory(email=f"member{n}@council.example.org") for n in range(2)]
    StaffUserFactory(email="gone@council.example.org", is_active=False).groups.add(team)
    for member in members:
        member.groups.add(team)
    overdue = _published(
        home_page,
        title="Signing in",
        intro="Secret intro words",
        review_by=today() - datetime.timedelta(days=1),
        owner_person=person,
    )
    _published(home_page, title="For parents", review_by=today() + datetime.timedelta(days=7), owner_team=team)
    _published(home_page, title="Later", review_by=today() + datetime.timedelta(days=200), owner_person=person)

    with django_capture_on_commit_callbacks(execute=True):
        review_reminders_task()
    with django_capture_on_commit_callbacks(execute=True):
        assert review_reminders_send() == 3  # the same week again: the outbox sends nothing twice

    assert sorted(m.to[0] for m in mail.outbox) == [
        "member0@council.example.org",
        "member1@council.example.org",
        "owner@council.example.org",
    ]
    to_person = next(m for m in mail.outbox if m.to == ["owner@council.example.org"])
    assert to_person.subject == "1 guidance page due for review"
    assert "Signing in" in to_person.body and f"http://testserver/admin/pages/{overdue.pk}/edit/" in to_person.body
    assert "Later" not in to_person.body and "Secret intro words" not in to_person.body
    assert "For parents" in next(m for m in mail.outbox if m.to == ["member0@council.example.org"]).body


def test_a_weekly_schedule_sends_the_reminders():
    schedule = Schedule.objects.get(func="cms.tasks.review_reminders_send")

    assert schedule.schedule_type == Schedule.WEEKLY and schedule.repeats == -1
    assert timezone.localtime(schedule.next_run).weekday() == 0


def test_editors_see_a_quiet_notice_on_a_page_past_its_review_date_and_the_public_never(
    verified_admin_client, superuser, home_page
):
    overdue = _published(home_page, title="Signing in", review_by=today() - datetime.timedelta(days=2))
    current = _published(home_page, title="Uploads", review_by=today() + datetime.timedelta(days=2))
    notice = f"This page was due for review on {overdue.review_by:%-d %B %Y}"

    assert notice in verified_admin_client.get(f"/admin/pages/{overdue.pk}/edit/").content.decode()
    assert "was due for review" not in verified_admin_client.get(f"/admin/pages/{current.pk}/edit/").content.decode()
    assert "due for review" not in Client().get(overdue.url).content.decode()

    def userbar(user, page):
        request = RequestFactory().get(page.url)
        request.user = user
        return Template("{% load wagtailuserbar %}{% wagtailuserbar %}").render(
            Context({"request": request, "page": page, "self": page})
        )

    assert notice in userbar(superuser, overdue)
    assert "was due for review" not in userbar(superuser, current)
    assert userbar(AnonymousUser(), overdue).strip() == ""


def test_editors_without_page_permissions_see_no_report_menu(client, home_page):
    user = StaffUserFactory()
    TOTPDeviceFactory(user=user)
    Group.objects.get(name="Form designer").user_set.add(user)
    response = verified_login(client, user).get("/admin/")
    assert "/admin/reports/due-for-review/" not in response.content.decode()
