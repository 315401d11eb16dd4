"""Reports → Failed background tasks in a real Chromium: axe finds no WCAG 2.2 A/AA failure on the list of failed
tasks, nor on the list with none."""

import uuid

import pytest
from django.utils import timezone
from django_q.models import Task

from tests.browser.editor import sign_in_to_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def failed_task():
    """A background task that failed just now: filing a submission's PDF, on a full disk."""
    now = timezone.now()
    return Task.objects.create(
        id=uuid.uuid4().hex,
        name="submission-pdf-1",
        func="advice_forms.tasks.submission_pdf_file",
        args=(1,),
        result="OSError: [Errno 28] No space left on device",
        started=now,
        stopped=now,
        success=False,
        attempt_count=2,
    )


def test_the_failed_tasks_report_passes_axe_with_and_without_failures(live_server, client, page, axe_violations):
    sign_in_to_editor(page, client, live_server)
    page.goto(live_server.url + "/admin/reports/failed-tasks/")
    assert "No background task has failed." in page.content()
    violations = axe_violations(page)
    assert violations == [], axe_violations.describe(violations)

    failed_task()
    page.reload()

    assert page.get_by_role("cell", name="File a submission's PDF in the child's documents").is_visible()
    violations = axe_violations(page)
    assert violations == [], axe_violations.describe(violations)
