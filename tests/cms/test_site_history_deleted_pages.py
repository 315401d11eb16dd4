"""The guidance team finds, in Reports -> Site history, who unpublished and then deleted a guidance page, and when
(cms/wagtail_history_compat.py): Wagtail showed those entries to superusers alone, as a deleted page is no longer in
anyone's explorer. Those without page permissions still see none of them."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from wagtail.models import PageLogEntry

from cms.wagtail_history_compat import holds_whole_tree
from tests.factories.accounts import staff_in_group, verified_login
from tests.factories.cms import HelpPageFactory

pytestmark = pytest.mark.django_db

SITE_HISTORY = "/admin/reports/site-history/"
TITLE = "Travel assistance for pupils"


@pytest.fixture
def approver(role_groups):
    return staff_in_group("Guidance approvers", first_name="Abi", last_name="Approver")


@pytest.fixture
def taken_down(role_groups, home_page, approver):
    """A published guidance page that the approver unpublished and then deleted, through the admin."""
    page = HelpPageFactory(parent=home_page, title=TITLE)
    page.save_revision(user=approver, log_action=True).publish(user=approver)
    client = verified_login(Client(), approver)
    assert client.post(f"/admin/pages/{page.pk}/unpublish/", {}).status_code == 302
    assert client.post(f"/admin/pages/{page.pk}/delete/", {}).status_code == 302
    assert PageLogEntry.objects.filter(page_id=page.pk, action="wagtail.delete", deleted=True).exists()
    return page


def rows_about(response, title):
    """The site history's rows about ``title``: (name, action, user), as the screen shows them."""
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    rows = [[cell.get_text(" ", strip=True) for cell in row.find_all("td")] for row in soup.select("tbody tr")]
    return [(row[0], row[2], row[3]) for row in rows if row and row[0] == title]


@pytest.mark.parametrize("role", ["Content editor", "Guidance approvers"])
def test_the_guidance_team_sees_who_unpublished_and_deleted_a_page(taken_down, role):
    client = verified_login(Client(), staff_in_group(role))

    rows = rows_about(client.get(SITE_HISTORY), TITLE)

    assert (TITLE, "Deleted", "Abi Approver") in rows
    assert (TITLE, "Unpublished", "Abi Approver") in rows


@pytest.mark.parametrize("action, said", [("wagtail.delete", "Deleted"), ("wagtail.unpublish", "Unpublished")])
def test_the_guidance_team_filters_the_site_history_by_deleted_or_unpublished(taken_down, content_editor, action, said):
    client = verified_login(Client(), content_editor)

    rows = rows_about(client.get(SITE_HISTORY, {"action": action}), TITLE)

    assert rows == [(TITLE, said, "Abi Approver")]


def test_the_download_names_who_deleted_the_page(taken_down, content_editor):
    client = verified_login(Client(), content_editor)

    csv = b"".join(client.get(SITE_HISTORY, {"export": "csv", "action": "wagtail.delete"}).streaming_content)

    assert TITLE in csv.decode() and "Abi Approver" in csv.decode()


@pytest.mark.parametrize("role", ["SEND caseworker", "Form designer", "Portal administrator"])
def test_staff_without_page_permissions_see_no_deleted_page(taken_down, role):
    client = verified_login(Client(), staff_in_group(role))

    assert rows_about(client.get(SITE_HISTORY), TITLE) == []
    assert rows_about(client.get(SITE_HISTORY, {"action": "wagtail.delete"}), TITLE) == []


def test_page_permissions_below_the_root_show_no_deleted_page(taken_down, home_page, role_groups):
    """Only permission over the whole tree (given on the root node) shows every deleted page."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    group = Group.objects.create(name="Another site's editors")
    GroupPagePermission.objects.create(
        group=group, page=home_page, permission=Permission.objects.get(codename="change_page")
    )
    user = staff_in_group(group.name)

    assert not holds_whole_tree(user)
    assert rows_about(verified_login(Client(), user).get(SITE_HISTORY), TITLE) == []


def test_wagtail_still_hides_deleted_pages_from_the_guidance_team(taken_down, content_editor):
    """Fails once Wagtail shows these entries itself: then cms/wagtail_history_compat.py can go."""
    from wagtail.models.pages import PageLogEntryManager

    upstream = PageLogEntryManager.viewable_by_user.upstream

    assert holds_whole_tree(content_editor)
    assert not upstream(PageLogEntry.objects, content_editor).filter(label=TITLE).exists()
