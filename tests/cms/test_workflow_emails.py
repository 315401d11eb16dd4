"""The emails of the guidance approval workflow, sent by the real actions in the admin: an editor submits, an approver
asks for changes, the editor submits again, the approver approves. Each says in plain words what happened to which
page, what to do next and where; none says "rejected" or "moderation" (editors read "rejected" as a verdict on their
work), none quotes the approver's comment (free text stays behind sign-in, as in every email of the portal), and
each person gets one email for each event: a superuser got Wagtail's second one about the same submission."""

import re

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from wagtail.admin.mail import (
    GroupApprovalTaskStateSubmissionEmailNotifier,
    WorkflowStateApprovalEmailNotifier,
    WorkflowStateRejectionEmailNotifier,
)
from wagtail.signals import workflow_submitted
from wagtail.test.utils.form_data import rich_text, streamfield

from cms.models import HelpPage
from cms.wagtail_mail_compat import WORKFLOW_SUBMITTED_UID
from portal_pages.roles import GUIDANCE_APPROVERS
from tests.cms.guidance_admin import help_page_form
from tests.factories.accounts import staff_in_group, verified_login
from tests.factories.cms import HelpPageFactory, published

pytestmark = pytest.mark.django_db

COMMENT = "Say who pays <b>first</b>, as Jamie Smith's mother asked."
OLD_WORDS = re.compile(r"reject|moderat", re.IGNORECASE)


@pytest.fixture
def people(role_groups, superuser):
    editor = staff_in_group("Content editor", first_name="Eddie", last_name="Editor")
    approver = staff_in_group(GUIDANCE_APPROVERS, first_name="Abi", last_name="Approver")
    return editor, approver, superuser


@pytest.fixture
def help_page(home_page, role_groups):
    return published(HelpPageFactory(parent=home_page, title="Children's transport", slug="school-transport"))


def _sent(capture, action):
    """Each email ``action`` sends, by its one recipient: an address with two emails fails here."""
    mail.outbox.clear()
    with capture(execute=True):
        action()
    recipients = [m.to for m in mail.outbox]
    assert all(len(to) == 1 for to in recipients)
    assert len({to[0] for to in recipients}) == len(recipients), f"someone got two emails: {recipients}"
    for message in mail.outbox:
        assert not OLD_WORDS.search(message.subject + message.body), message.subject + message.body
        assert "Jamie" not in message.body and "<b>" not in message.body and "&#x27;" not in message.body
    return {m.to[0]: m for m in mail.outbox}


def _submit(client, page):
    data = help_page_form(page, publish=False, body=streamfield([("text", rich_text("<p>Who pays.</p>"))]))
    data["action-submit"] = "Submit"
    assert client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data).status_code == 302


def _act(client, page, action, comment):
    task_state = HelpPage.objects.get(pk=page.pk).current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    assert client.post(url, {"comment": comment}).status_code in (200, 302)


def test_each_email_of_an_approval_says_what_happened_what_to_do_and_where(
    people, help_page, django_capture_on_commit_callbacks
):
    editor, approver, superuser = people
    editor_client, approver_client = verified_login(Client(), editor), verified_login(Client(), approver)
    edit_link = f"http://testserver/admin/pages/{help_page.pk}/edit/"

    for round_ in ("first", "again"):
        sent = _sent(django_capture_on_commit_callbacks, lambda: _submit(editor_client, help_page))
        assert set(sent) == {approver.email, superuser.email}, round_
        for message in sent.values():
            assert message.subject == "Waiting for approval: Children's transport"
            assert 'Eddie Editor has sent the page "Children\'s transport" for approval.' in message.body
            assert "What to do next: check the changes, then approve and publish them, or ask for changes" in (
                message.body
            )
            assert f"Approve or ask for changes from the editor:\n{edit_link}" in message.body
            assert "Preview the changes:\nhttp://testserver/admin/pages/workflow/preview/" in message.body
        assert sent[approver.email].body.startswith("Hello Abi,\n\nEddie Editor has sent")

        if round_ == "first":
            sent = _sent(
                django_capture_on_commit_callbacks, lambda: _act(approver_client, help_page, "reject", COMMENT)
            )
            assert set(sent) == {editor.email}
            asked = sent[editor.email]
            assert asked.subject == "Changes asked for: Children's transport"
            assert (
                'Abi Approver has asked for changes to the page "Children\'s transport" before it is published. '
                "They left a comment saying what to change: read it at the top of the editor."
            ) in asked.body
            assert (
                'What to do next: make the changes, then send it for approval again ("Resubmit to Guidance approval").'
                in asked.body
            )
            assert f"Make the changes in the editor:\n{edit_link}" in asked.body
            assert "The published version on the website has not changed." in asked.body

    sent = _sent(django_capture_on_commit_callbacks, lambda: _act(approver_client, help_page, "approve", COMMENT))
    assert set(sent) == {editor.email}
    approved = sent[editor.email]
    assert approved.subject == "Approved and published: Children's transport"
    assert 'Your changes to the page "Children\'s transport" have been approved and published.' in approved.body
    assert "You do not need to do anything else." in approved.body
    assert HelpPage.objects.get(pk=help_page.pk).full_url in approved.body


def test_a_superuser_who_sends_a_page_for_approval_gets_no_email_about_it(
    people, help_page, django_capture_on_commit_callbacks
):
    _editor, approver, superuser = people

    sent = _sent(django_capture_on_commit_callbacks, lambda: _submit(verified_login(Client(), superuser), help_page))

    assert set(sent) == {approver.email}


def test_wagtails_second_email_to_superusers_stays_away():
    receivers = [r for (key, _sender), r, *_ in workflow_submitted.receivers if key == WORKFLOW_SUBMITTED_UID]
    assert len(receivers) == 1
    assert "superusers_told_by_the_approvers_email" in repr(receivers[0]())


def test_the_html_part_says_the_same(people, help_page, django_capture_on_commit_callbacks):
    """Wagtail's HTML alternative (sent with WAGTAILADMIN_NOTIFICATION_USE_HTML) in the same words, escaped."""
    editor, approver, _superuser = people
    editor_client, approver_client = verified_login(Client(), editor), verified_login(Client(), approver)
    _submit(editor_client, help_page)
    page = HelpPage.objects.get(pk=help_page.pk)
    task_state = page.current_workflow_task_state

    def html(notifier, instance, **kwargs):
        context = {**notifier.get_context(instance, **kwargs), "user": approver}
        return " ".join(render_to_string(notifier.get_template_set(instance)["html"], context).split())

    submitted = html(GroupApprovalTaskStateSubmissionEmailNotifier(), task_state)
    assert "Eddie Editor has sent the page “Children&#x27;s transport” for approval." in submitted
    assert f'href="http://testserver/admin/pages/{page.pk}/edit/">Approve or ask for changes' in submitted

    _act(approver_client, page, "reject", COMMENT)
    workflow_state = HelpPage.objects.get(pk=page.pk).current_workflow_state
    asked = html(WorkflowStateRejectionEmailNotifier(), workflow_state)
    assert "Abi Approver has asked for changes to the page “Children&#x27;s transport”" in asked
    assert "Jamie" not in asked

    _submit(editor_client, page)
    workflow_state = HelpPage.objects.get(pk=page.pk).current_workflow_state
    _act(approver_client, page, "approve", "")
    workflow_state.refresh_from_db()
    approved = html(WorkflowStateApprovalEmailNotifier(), workflow_state)
    assert "have been approved and published." in approved
    for words in (submitted, asked, approved):
        assert not OLD_WORDS.search(words) and "email-header" not in words
