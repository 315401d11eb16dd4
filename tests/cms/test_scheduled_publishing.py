"""Scheduled publishing: a django-q2 schedule runs Wagtail's publish_scheduled every minute, and a page scheduled
in the admin goes live (and out of the page cache's way) once its go-live time has passed."""

from datetime import timedelta

import time_machine
from django.core.cache import cache
from django.core.management.sql import emit_post_migrate_signal
from django.utils import timezone
from django_q.models import Schedule

from cms import tasks
from cms.services import PUBLISH_SCHEDULED_LOCK
from tests.cms.guidance_admin import GUIDANCE_PAGE_FIELDS
from tests.factories.cms import HelpPageFactory


def test_the_task_is_scheduled_every_minute(db):
    schedule = Schedule.objects.get(func="cms.tasks.pages_publish_scheduled")
    assert (schedule.schedule_type, schedule.minutes, schedule.repeats) == (Schedule.MINUTES, 1, -1)


def test_the_schedule_comes_back_after_a_flush_and_an_edited_one_is_kept(db):
    Schedule.objects.filter(func="cms.tasks.pages_publish_scheduled").delete()  # as a flush leaves it

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    schedule = Schedule.objects.get(func="cms.tasks.pages_publish_scheduled")
    schedule.minutes = 5
    schedule.save()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert Schedule.objects.get(func="cms.tasks.pages_publish_scheduled").minutes == 5


def test_a_page_scheduled_in_the_admin_is_live_after_the_task_runs(home_page, verified_admin_client, client):
    page = HelpPageFactory(parent=home_page, title="Signing in", slug="signing-in", live=False)
    page.save_revision()
    go_live = timezone.localtime() + timedelta(minutes=5)
    response = verified_admin_client.post(
        f"/admin/pages/{page.pk}/edit/",
        {
            "title": "Signing in",
            "slug": "signing-in",
            "intro": "How to sign in.",
            "body-count": "0",
            **GUIDANCE_PAGE_FIELDS,
            "go_live_at": go_live.strftime("%Y-%m-%d %H:%M"),
            "action-publish": "publish",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page.refresh_from_db()
    assert not page.live and page.latest_revision.approved_go_live_at is not None
    verified_admin_client.logout()
    assert client.get("/signing-in/").status_code == 404

    assert tasks.pages_publish_scheduled() is True  # not due yet: nothing changes
    page.refresh_from_db()
    assert not page.live

    with time_machine.travel(go_live + timedelta(minutes=1)):
        assert tasks.pages_publish_scheduled() is True
        assert tasks.pages_publish_scheduled() is True  # safe to run twice
    page.refresh_from_db()
    assert page.live and page.latest_revision.approved_go_live_at is None
    assert page.revisions.count() == 2  # the draft and the scheduled one: published once, not twice
    response = client.get("/signing-in/")
    assert response.status_code == 200 and "How to sign in." in response.content.decode()


def test_a_second_worker_does_not_run_it_while_the_first_does(home_page):
    page = HelpPageFactory(parent=home_page, live=False)
    revision = page.save_revision()
    revision.approved_go_live_at = timezone.now() - timedelta(minutes=1)
    revision.save()
    cache.add(PUBLISH_SCHEDULED_LOCK, "running")
    try:
        assert tasks.pages_publish_scheduled() is False
        page.refresh_from_db()
        assert not page.live
    finally:
        cache.delete(PUBLISH_SCHEDULED_LOCK)
    assert tasks.pages_publish_scheduled() is True
    page.refresh_from_db()
    assert page.live
