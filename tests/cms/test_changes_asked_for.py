"""When a Guidance approver chooses "Request changes" with a comment, the page's editor meets it at the top of the
page's editor: who asked, when, and what they wrote, until the page is resubmitted. Wagtail's own editor showed only
"In Moderation" and "Changes requested" together in its status panel, the comment under "View details"."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import rich_text, streamfield

from cms.formats import govuk_date
from cms.models import HelpPage
from portal_pages.roles import GUIDANCE_APPROVERS
from tests.cms.guidance_admin import help_page_form
from tests.factories.accounts import staff_in_group, verified_login
from tests.factories.cms import HelpPageFactory, published

pytestmark = pytest.mark.django_db

COMMENT = 'Say who pays for transport <b>before</b> the "how to apply" part.\nAnd link the policy.'


@pytest.fixture
def help_page(home_page, role_groups):
    return published(HelpPageFactory(parent=home_page, title="School transport", slug="school-transport"))


@pytest.fixture
def approver_client(role_groups):
    return verified_login(Client(), staff_in_group(GUIDANCE_APPROVERS, first_name="Abi", last_name="Approver"))


def _edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def _submit(client, page):
    data = help_page_form(page, publish=False, body=streamfield([("text", rich_text("<p>Who pays.</p>"))]))
    data["action-submit"] = "Submit"
    response = client.post(_edit_url(page), data)
    assert response.status_code == 302
    return HelpPage.objects.get(pk=page.pk)


def _request_changes(client, page, comment):
    task_state = page.current_workflow_task_state
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "reject", task_state.pk]), {"comment": comment}
    )
    assert response.status_code in (200, 302)
    page = HelpPage.objects.get(pk=page.pk)
    assert page.current_workflow_state.status == "needs_changes"
    return page


def _warnings(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return list(soup.select(".messages li.warning:not(.lock)"))


def test_the_editor_sees_who_asked_for_changes_when_and_why_until_resubmitting(
    content_editor_client, approver_client, help_page
):
    page = _submit(content_editor_client, help_page)
    assert _warnings(content_editor_client.get(_edit_url(page))) == []  # waiting for approval: nothing asked yet
    page = _request_changes(approver_client, page, COMMENT)
    asked_on = govuk_date(page.current_workflow_state.current_task_state.finished_at)

    warnings = _warnings(content_editor_client.get(_edit_url(page)))
    assert len(warnings) == 1
    words = " ".join(warnings[0].get_text(" ").split())
    assert words == (
        f"Changes were asked for by Abi Approver on {asked_on}: "
        'Say who pays for transport <b>before</b> the "how to apply" part. And link the policy.'
    )
    assert warnings[0].find("b") is None  # the comment as text, never as markup
    assert len(warnings[0].find_all("br")) == 1  # its line break kept

    # Still there after a draft is saved without resubmitting; gone once resubmitted.
    data = help_page_form(page, publish=False)
    saved = content_editor_client.post(_edit_url(page), data, follow=True)
    assert any("Changes were asked for by Abi Approver" in li.get_text() for li in _warnings(saved))
    page = _submit(content_editor_client, page)
    assert page.current_workflow_state.status == "in_progress"
    assert _warnings(content_editor_client.get(_edit_url(page))) == []


def test_changes_asked_for_without_a_comment_say_what_to_do(content_editor_client, approver_client, help_page):
    page = _request_changes(approver_client, _submit(content_editor_client, help_page), "")
    asked_on = govuk_date(page.current_workflow_state.current_task_state.finished_at)

    words = [" ".join(li.get_text(" ").split()) for li in _warnings(content_editor_client.get(_edit_url(page)))]
    assert words == [f"Changes were asked for by Abi Approver on {asked_on}. Make the changes, then resubmit the page."]
