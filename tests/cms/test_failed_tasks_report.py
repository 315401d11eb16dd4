"""Reports → Failed background tasks: every task django-q2 keeps as failed (a PDF not filed, a nightly clean-up), by
its plain name, when, after how many attempts and its error (addresses masked), for the portal administrator and the
superuser. Before it, a failed task other than an email had no screen: the operations notes gave a shell line."""

import uuid
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from django_q.models import Task

from cms.formats import govuk_datetime
from portal_pages.roles import failed_tasks_viewers_ensure
from tests.cms.test_emails_not_sent import PORTAL_ADMINISTRATORS_ONLY, _rows
from tests.factories.accounts import UserFactory, staff_in_group, verified_login
from tests.task_worker import run_in_worker

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/failed-tasks/"
ADDRESS = "senco@school.example.org"


def fail_naming_an_address(submission_id):
    raise ValueError(f"No mailbox for {ADDRESS} (submission {submission_id})")


def _failure(func, error, *, minutes_ago=0, attempts=1, success=False):
    stopped = timezone.now() - timedelta(minutes=minutes_ago)
    return Task.objects.create(
        id=uuid.uuid4().hex,
        name=f"task-{uuid.uuid4().hex[:8]}",
        func=func,
        args=(1,),
        result=error,
        started=stopped,
        stopped=stopped,
        success=success,
        attempt_count=attempts,
    )


@pytest.fixture
def administrator_client(client, role_groups):
    return verified_login(client, staff_in_group("Portal administrator"))


def test_the_report_lists_failed_tasks_newest_first_by_plain_name_with_when_attempts_and_error(administrator_client):
    pdf = _failure(
        "advice_forms.tasks.submission_pdf_file",
        'disk full : Traceback (most recent call last):\n  File "x.py", line 1\nOSError: [Errno 28] No space left',
        minutes_ago=5,
        attempts=3,
    )
    unknown = _failure("math.sqrt", "ValueError: math domain error", minutes_ago=1)
    _failure("faq.tasks.printable_render", "", success=True)  # a success is not listed

    response = administrator_client.get(REPORT)

    assert response.status_code == 200
    assert "Failed background tasks" in response.content.decode()
    assert _rows(response) == [
        ["math.sqrt", govuk_datetime(unknown.stopped), "1", "ValueError: math domain error"],
        [
            "File a submission's PDF in the child's documents",
            govuk_datetime(pdf.stopped),
            "3",
            "OSError: [Errno 28] No space left",
        ],
    ]


def test_a_failure_whose_error_names_an_address_shows_it_masked(administrator_client):
    task = run_in_worker("tests.cms.test_failed_tasks_report.fail_naming_an_address", 7)
    assert not task.success and ADDRESS not in task.result  # masked when it was kept
    _failure("advice_forms.tasks.submission_pdf_file", f"ValueError: refused by {ADDRESS}")  # kept before masking

    page = administrator_client.get(REPORT).content.decode()

    assert ADDRESS not in page
    errors = [row[3] for row in _rows(administrator_client.get(REPORT))]
    assert errors == ["ValueError: refused by [email]", "ValueError: No mailbox for [email] (submission 7)"]


def test_the_report_pages_20_at_a_time(administrator_client):
    for number in range(25):
        _failure("math.sqrt", f"ValueError: failure {number}", minutes_ago=number)

    first, second = administrator_client.get(REPORT), administrator_client.get(REPORT, {"p": "2"})

    assert [row[3] for row in _rows(first)] == [f"ValueError: failure {n}" for n in range(20)]
    assert [row[3] for row in _rows(second)] == [f"ValueError: failure {n}" for n in range(20, 25)]
    assert "Page 2 of 2" in second.content.decode()


def test_no_failure_says_so(administrator_client):
    assert "No background task has failed." in administrator_client.get(REPORT).content.decode()


@pytest.mark.parametrize(("role", "allowed"), PORTAL_ADMINISTRATORS_ONLY)
def test_the_report_and_its_menu_item_are_the_portal_administrators_and_superusers(client, role_groups, role, allowed):
    _failure("math.sqrt", "ValueError: math domain error")
    verified_login(client, staff_in_group(role))

    report = client.get(REPORT)
    home = client.get("/admin/").content.decode()

    assert (report.status_code == 200) is allowed
    if not allowed:
        assert report.status_code == 302 and report["Location"] == "/admin/"
    assert (REPORT in home) is allowed


def test_a_team_account_is_sent_to_sign_in(client):
    client.force_login(UserFactory())
    assert client.get(REPORT)["Location"].startswith("/admin/login/")


def test_the_superuser_sees_the_report(verified_admin_client):
    _failure("math.sqrt", "ValueError: math domain error")
    assert len(_rows(verified_admin_client.get(REPORT))) == 1


def test_a_portal_administrator_group_made_before_the_report_is_given_its_permission(role_groups):
    """portal_pages 0021: the group migrations made earlier gains the permission; no other role does."""
    permission = Permission.objects.get(content_type__app_label="django_q", codename="view_failure")
    administrators = Group.objects.get(name="Portal administrator")
    administrators.permissions.remove(permission)

    failed_tasks_viewers_ensure(apps)

    assert administrators.permissions.filter(pk=permission.pk).exists()
    assert list(permission.group_set.values_list("name", flat=True)) == ["Portal administrator"]
