"""The admin dashboard's "Failed emails and tasks": how many background tasks failed, and how many emails were given
up, in the last 7 days, each linked to its report, for those who may see those reports. Before it, an administrator
signing in saw nothing of a failure unless they opened Reports."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms.models import EmailNotification
from tests.cms.test_emails_not_sent import PORTAL_ADMINISTRATORS_ONLY
from tests.cms.test_emails_not_sent import _email as email_made
from tests.cms.test_failed_tasks_report import _failure as task_failed
from tests.factories.accounts import staff_in_group, verified_login

pytestmark = pytest.mark.django_db

HOME = "/admin/"
State = EmailNotification.State


def _panel_links(client):
    page = BeautifulSoup(client.get(HOME).content.decode(), "html.parser")
    panel = page.select_one("#failures-content") or page.select_one("#failures")
    if panel is None:
        return None
    return [(link.get_text(strip=True), link["href"]) for link in panel.find_all("a")]


@pytest.fixture
def administrator_client(client, role_groups):
    return verified_login(client, staff_in_group("Portal administrator"))


def test_the_panel_counts_tasks_failed_and_emails_given_up_in_the_last_7_days_with_links(administrator_client):
    for minutes_ago in (5, 60 * 24 * 6):
        task_failed("math.sqrt", "ValueError: math domain error", minutes_ago=minutes_ago)
    task_failed("math.sqrt", "ValueError: old", minutes_ago=60 * 24 * 8)  # older than 7 days: not counted
    task_failed("math.sqrt", "", success=True)  # a success: not counted
    email_made("given-up", state=State.GIVEN_UP, hours_ago=50)
    email_made("given-up-long-ago", to="old@school.example.org", state=State.GIVEN_UP, hours_ago=24 * 9)
    email_made("waiting", to="waiting@school.example.org")  # waiting is not failing yet

    assert _panel_links(administrator_client) == [
        ("2 background tasks failed in the last 7 days", reverse("cms_failed_tasks")),
        (
            "1 email made in the last 7 days could not be sent and was given up",
            f"{reverse('cms_emails_not_sent')}?state=given_up",
        ),
    ]


def test_the_panel_is_not_shown_when_nothing_failed(administrator_client):
    task_failed("math.sqrt", "ValueError: old", minutes_ago=60 * 24 * 8)
    email_made("waiting")

    assert _panel_links(administrator_client) is None


def test_one_failed_task_alone_is_counted_in_the_singular(administrator_client):
    task_failed("math.sqrt", "ValueError: math domain error")

    assert _panel_links(administrator_client) == [
        ("1 background task failed in the last 7 days", reverse("cms_failed_tasks"))
    ]


@pytest.mark.parametrize(("role", "allowed"), PORTAL_ADMINISTRATORS_ONLY)
def test_the_panel_is_the_portal_administrators(client, role_groups, role, allowed):
    task_failed("math.sqrt", "ValueError: math domain error")
    email_made("given-up", state=State.GIVEN_UP, hours_ago=50)
    verified_login(client, staff_in_group(role))

    links = _panel_links(client)

    assert (links is not None) is allowed
    if allowed:
        assert len(links) == 2


def test_a_superuser_sees_a_staff_members_email_given_up(client, superuser):
    email_made("staff-reset", to="staff@council.example.org", state=State.GIVEN_UP, hours_ago=50, team=False)
    verified_login(client, superuser)

    links = _panel_links(client)

    assert [words for words, _ in links] == ["1 email made in the last 7 days could not be sent and was given up"]


def test_a_portal_administrator_is_not_told_of_a_staff_members_email(administrator_client):
    """Reports → Emails not sent shows them only team accounts' emails: the count is of the same."""
    email_made("staff-reset", to="staff@council.example.org", state=State.GIVEN_UP, hours_ago=50, team=False)

    assert _panel_links(administrator_client) is None


def test_the_panel_reads_two_counts(administrator_client):
    for number in range(5):
        task_failed("math.sqrt", f"ValueError: {number}")
        email_made(f"given-up-{number}", to=f"p{number}@school.example.org", state=State.GIVEN_UP, hours_ago=50)

    with CaptureQueriesContext(connection) as queries:
        links = _panel_links(administrator_client)

    assert len(links) == 2
    counts = [
        q["sql"] for q in queries if "COUNT" in q["sql"] and ("django_q_task" in q["sql"] or "emailnotif" in q["sql"])
    ]
    assert len(counts) == 2, counts
