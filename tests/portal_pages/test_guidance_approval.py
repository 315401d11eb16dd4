"""A second pair of eyes on guidance: the "Guidance approval" workflow covers the page tree; content editors
submit and cannot publish; an approver approves, which publishes, and anonymous visitors see it at once."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from wagtail.models import Page, Workflow

from faq.models import FAQPage
from portal_pages.demo import DEMO_PASSWORD
from portal_pages.models import User
from portal_pages.roles import GUIDANCE_APPROVAL, GUIDANCE_APPROVERS
from tests.cms.guidance_admin import GUIDANCE_PAGE_FIELDS
from tests.factories.accounts import staff_in_group, verified_login
from tests.factories.cms import HelpPageFactory

pytestmark = pytest.mark.django_db


def _edit_form(intro, action):
    return {
        "title": "Signing in",
        "slug": "signing-in",
        "intro": intro,
        "body-count": "0",
        **GUIDANCE_PAGE_FIELDS,
        action: action,
    }


@pytest.fixture
def help_page(home_page, role_groups):
    page = HelpPageFactory(parent=home_page, title="Signing in", slug="signing-in", intro="Old words.")
    page.save_revision().publish()
    return page


def test_one_guidance_approval_workflow_covers_the_tree_and_wagtails_sample_is_gone(help_page):
    workflow = Workflow.objects.get(active=True)
    assert workflow.name == GUIDANCE_APPROVAL
    assert [task.name for task in workflow.tasks] == [GUIDANCE_APPROVAL]
    assert [group.name for group in workflow.tasks[0].specific.groups.all()] == [GUIDANCE_APPROVERS]
    assert help_page.get_workflow() == workflow
    assert workflow.workflow_pages.get().page == Page.get_first_root_node()


def test_an_editor_submits_an_approver_publishes_and_visitors_see_it_at_once(help_page):
    editor_client = verified_login(Client(), staff_in_group("Content editor"))
    approver_client = verified_login(Client(), staff_in_group(GUIDANCE_APPROVERS))
    edit_url = reverse("wagtailadmin_pages:edit", args=[help_page.pk])
    visitor = Client()
    assert "Old words." in visitor.get("/signing-in/").content.decode()
    assert visitor.get("/signing-in/")["X-Wagtail-Cache"] == "hit"

    # The editor's screen offers no Publish, and a forged publish does not publish.
    assert 'name="action-publish"' not in editor_client.get(edit_url).content.decode()
    editor_client.post(edit_url, _edit_form("New words.", "action-publish"))
    help_page.refresh_from_db()
    assert help_page.live_revision.content["intro"] == "Old words."

    response = editor_client.post(edit_url, _edit_form("New words.", "action-submit"))
    assert response.status_code == 302
    help_page.refresh_from_db()
    state = help_page.current_workflow_state
    assert state.status == "in_progress" and help_page.live_revision.content["intro"] == "Old words."
    assert "Old words." in visitor.get("/signing-in/").content.decode()

    # The editor may not approve their own work; an approver may.
    action_url = reverse(
        "wagtailadmin_pages:workflow_action", args=[help_page.pk, "approve", state.current_task_state.pk]
    )
    editor_client.post(action_url, {"comment": ""})
    help_page.refresh_from_db()
    assert help_page.current_workflow_state is not None
    approver_client.post(action_url, {"comment": "Checked against the new sign-in."})
    help_page.refresh_from_db()
    assert help_page.current_workflow_state is None
    assert help_page.live_revision.content["intro"] == "New words."

    page = visitor.get("/signing-in/")
    assert page["X-Wagtail-Cache"] == "miss" and "New words." in page.content.decode()


def test_the_demo_has_an_approver_who_publishes_what_the_demo_editor_submits(home_page, role_groups):
    call_command("load_demo_content", stdout=StringIO())
    editor = User.objects.get(email="content@kestrelford.example.org")
    approver = User.objects.get(email="approver@kestrelford.example.org")
    assert approver.check_password(DEMO_PASSWORD) and approver.groups.filter(name=GUIDANCE_APPROVERS).exists()
    faq = FAQPage.objects.live().get()
    assert faq.get_workflow().name == GUIDANCE_APPROVAL
    assert faq.permissions_for_user(editor).can_edit() and not faq.permissions_for_user(editor).can_publish()
    assert faq.permissions_for_user(approver).can_publish()
    assert faq.get_workflow().tasks[0].specific.user_can_access_editor(faq, approver)
