"""A role group made, changed or deleted in Wagtail's group screens (Settings -> Groups, superusers') is audited once
for each save: who, which group, and its permissions added and removed in words, from every panel of the screen
(model permissions, pages, collections, documents, images, site settings), not one entry a box. A group deleted
also audits, for each account that held it, the role that account lost."""

import csv
import io

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Collection, ModelLogEntry

from cms.admin_views import NO_CHANGES
from cms.models import AuditEntry
from portal_pages.events import AccountEvent
from portal_pages.models import User
from portal_pages.services.role_groups import NOT_SAVED, role_group_deleted, role_group_saved
from tests.factories.accounts import StaffUserFactory

ADMIN_ACCESS = "Can access Wagtail admin (Wagtail admin)"


@pytest.fixture(autouse=True)
def _roles(role_groups):
    """The role groups with their page and collection permissions, as migrations make them."""


def _drawn(client, url) -> dict:
    """The group form's fields as ``url`` draws them (ticked boxes only; no formset's empty template row)."""
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    form = soup.find("form", attrs={"action": url})
    posted = {}
    for field in form.find_all(["input", "select"]):
        name = field.get("name")
        if not name or "__prefix__" in name or name == "csrfmiddlewaretoken":
            continue
        if field.name == "select":
            chosen = field.find("option", selected=True)
            value = chosen.get("value") if chosen else ""
        elif field.get("type") == "checkbox":
            if not field.has_attr("checked"):
                continue
            value = field.get("value", "on")
        else:
            value = field.get("value") or ""
        posted.setdefault(name, []).append(value)
    return posted


def _edit_url(group):
    return reverse("wagtailusers_groups:edit", args=[group.pk])


def _permission(app_label, codename):
    return str(Permission.objects.get(content_type__app_label=app_label, codename=codename).pk)


def _entries(action):
    return list(AuditEntry.objects.filter(action=action))


def test_a_group_made_with_model_and_page_permissions_is_audited_once(verified_admin_client, superuser, home_page):
    url = reverse("wagtailusers_groups:add")
    posted = _drawn(verified_admin_client, url)
    posted.update(
        {
            "name": ["Reviewers"],
            "permissions": [_permission("wagtailadmin", "access_admin")],
            "page_permissions-TOTAL_FORMS": ["1"],
            "page_permissions-0-page": [str(home_page.pk)],
            "page_permissions-0-permissions": ["add_page", "publish_page"],
        }
    )

    entries_before = AuditEntry.objects.count()

    response = verified_admin_client.post(url, posted)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert AuditEntry.objects.count() == entries_before + 1
    group = Group.objects.get(name="Reviewers")
    (entry,) = _entries(AccountEvent.ROLE_GROUP_CREATED)
    assert entry.actor == superuser and entry.target == group
    assert entry.data == {
        "group": "Reviewers",
        "permissions_added": [
            ADMIN_ACCESS,
            f"Page “{home_page.title}” and below: Add",
            f"Page “{home_page.title}” and below: Publish",
        ],
        "permissions_removed": [],
    }


def test_a_groups_permissions_changed_in_every_panel_are_one_entry(verified_admin_client, superuser, site):
    editors = Group.objects.get(name="Content editor")
    url = _edit_url(editors)
    posted = _drawn(verified_admin_client, url)
    feedback_view = _permission("faq", "view_pagefeedback")
    assert feedback_view in posted["permissions"]
    posted["permissions"].remove(feedback_view)
    posted["page_permissions-0-permissions"] = ["add_page"]  # change_page taken away
    posted["document_permissions-0-permissions"].remove(_permission("wagtaildocs", "choose_document"))
    posted["cms_portalsettings_site_permissions-sites"] = [str(site.pk)]
    posted.update(
        {
            "collection_permissions-TOTAL_FORMS": ["1"],
            "collection_permissions-0-collection": [str(Collection.get_first_root_node().pk)],
            "collection_permissions-0-permissions": [_permission("wagtailcore", "add_collection")],
        }
    )

    entries_before = AuditEntry.objects.count()

    response = verified_admin_client.post(url, posted)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert AuditEntry.objects.count() == entries_before + 1
    (entry,) = _entries(AccountEvent.ROLE_GROUP_CHANGED)
    assert entry.actor == superuser and entry.target == editors
    assert entry.data == {
        "group": "Content editor",
        "permissions_added": [
            "Collection “Root” and below: Can add collection",
            f"Site “{site}”: Can change Portal settings",
        ],
        "permissions_removed": [
            "Can view page feedback (FAQ and visual guides)",
            "Collection “Root” and below: Can choose document",
            "Page “Root” and below: Edit",  # the page tree's root: all pages
        ],
    }


def test_a_group_renamed_is_audited_with_its_old_name(verified_admin_client):
    designers = Group.objects.get(name="Form designer")
    url = _edit_url(designers)
    posted = {**_drawn(verified_admin_client, url), "name": ["Form designers"]}

    assert verified_admin_client.post(url, posted).status_code == 302

    (entry,) = _entries(AccountEvent.ROLE_GROUP_CHANGED)
    assert entry.data == {
        "group": "Form designers",
        "renamed_from": "Form designer",
        "permissions_added": [],
        "permissions_removed": [],
    }


def _wagtail_edits(group):
    return ModelLogEntry.objects.filter(content_type__model="group", object_id=str(group.pk), action="wagtail.edit")


def test_an_unchanged_group_save_writes_no_entry(verified_admin_client):
    """Neither ours nor Wagtail's "edit", which it wrote for every save (Wagtail's site history then showed an edit
    of the group that nobody made); the page says there was nothing to save."""
    editors = Group.objects.get(name="Content editor")
    url = _edit_url(editors)
    posted = _drawn(verified_admin_client, url)
    entries_before = AuditEntry.objects.count()

    response = verified_admin_client.post(url, posted, follow=True)

    assert [str(message) for message in response.context["messages"]] == [NO_CHANGES]
    assert AuditEntry.objects.count() == entries_before
    assert not _wagtail_edits(editors).exists()


def test_a_change_in_a_permission_panel_alone_is_saved_and_logged(verified_admin_client):
    """The group's own form (name, model permissions) left as it was, one page permission taken away: a change."""
    editors = Group.objects.get(name="Content editor")
    url = _edit_url(editors)
    posted = {**_drawn(verified_admin_client, url), "page_permissions-0-permissions": ["add_page"]}

    response = verified_admin_client.post(url, posted)

    assert response.status_code == 302
    assert not editors.page_permissions.filter(permission__codename="change_page").exists()
    (entry,) = _entries(AccountEvent.ROLE_GROUP_CHANGED)
    assert entry.data["permissions_removed"] == ["Page “Root” and below: Edit"]
    assert _wagtail_edits(editors).count() == 1


def test_a_group_form_in_error_saves_and_audits_nothing(verified_admin_client):
    editors = Group.objects.get(name="Content editor")
    url = _edit_url(editors)
    posted = {**_drawn(verified_admin_client, url), "name": ["Form designer"]}  # another group's name
    posted["page_permissions-0-permissions"] = ["add_page"]
    entries_before = AuditEntry.objects.count()

    response = verified_admin_client.post(url, posted)

    assert response.status_code == 200
    assert editors.page_permissions.filter(permission__codename="change_page").exists()
    assert AuditEntry.objects.count() == entries_before


def test_a_group_deleted_is_audited_with_what_it_took_away(verified_admin_client, superuser, caseworker):
    reviewers = Group.objects.create(name="Reviewers")
    reviewers.permissions.add(Permission.objects.get(codename="access_admin"))
    caseworker.groups.add(reviewers)
    reviewers_pk = reviewers.pk

    response = verified_admin_client.post(reverse("wagtailusers_groups:delete", args=[reviewers_pk]))

    assert response.status_code == 302
    assert not Group.objects.filter(pk=reviewers_pk).exists()
    (entry,) = _entries(AccountEvent.ROLE_GROUP_DELETED)
    assert entry.actor == superuser and entry.target_id == str(reviewers_pk)
    assert entry.data == {
        "group": "Reviewers",
        "permissions_added": [],
        "permissions_removed": [ADMIN_ACCESS],
        "accounts_in_group": [caseworker.pk],
        "accounts_that_lost_the_role": 1,
    }


def _group_with_members(count) -> tuple[Group, list]:
    group = Group.objects.create(name=f"Reviewers of {count}")
    members = StaffUserFactory.create_batch(count)
    group.user_set.add(*members)
    return group, members


def test_a_group_deleted_audits_the_role_each_member_lost(verified_admin_client, superuser, caseworker):
    """Each member's roles change as the group goes: each account's audit says so, as the Users screen's change of
    its roles would (the roles it keeps unnamed), and the group's entry says how many lost the role."""
    group, members = _group_with_members(3)
    group.user_set.add(caseworker)

    response = verified_admin_client.post(reverse("wagtailusers_groups:delete", args=[group.pk]))

    assert response.status_code == 302
    role_changes = _entries(AccountEvent.ROLES_CHANGED)
    assert {entry.target for entry in role_changes} == {*members, caseworker}
    assert len(role_changes) == 4
    for entry in role_changes:
        assert entry.actor == superuser and entry.ip_address == "127.0.0.1"
        assert entry.data == {"roles_added": [], "roles_removed": ["Reviewers of 3"]}
    (deleted,) = _entries(AccountEvent.ROLE_GROUP_DELETED)
    assert deleted.data["accounts_that_lost_the_role"] == 4
    assert caseworker.groups.filter(name="SEND caseworker").exists()


def test_a_group_deleted_audits_its_members_in_queries_that_do_not_grow_with_them(superuser):
    """As many queries for 5 members as for 1: their entries are one write."""
    ContentType.objects.get_for_models(Group, User)  # read once by any request; Django keeps them
    queries = []
    for count in (1, 5):
        group, _members = _group_with_members(count)
        with CaptureQueriesContext(connection) as read_and_written:
            role_group_deleted(group=group, actor=superuser)
        queries.append(len(read_and_written))

    assert len(_entries(AccountEvent.ROLES_CHANGED)) == 6
    assert queries[0] == queries[1]


def test_a_group_deleted_with_no_members_audits_no_role_change(verified_admin_client):
    group, _members = _group_with_members(0)

    verified_admin_client.post(reverse("wagtailusers_groups:delete", args=[group.pk]))

    assert _entries(AccountEvent.ROLES_CHANGED) == []
    (entry,) = _entries(AccountEvent.ROLE_GROUP_DELETED)
    assert entry.data["accounts_that_lost_the_role"] == 0


def test_a_failed_group_deletion_audits_no_role_change(verified_admin_client, caseworker, monkeypatch):
    """The members' entries are written in the deletion's transaction: a deletion that fails leaves none."""
    reviewers = Group.objects.create(name="Reviewers")
    caseworker.groups.add(reviewers)

    def refuse(self, *args, **kwargs):
        raise DatabaseError("the database went away")

    monkeypatch.setattr(Group, "delete", refuse)
    with pytest.raises(DatabaseError):
        verified_admin_client.post(reverse("wagtailusers_groups:delete", args=[reviewers.pk]))

    assert _entries(AccountEvent.ROLES_CHANGED) == []
    assert _entries(AccountEvent.ROLE_GROUP_DELETED) == []
    assert caseworker.groups.filter(pk=reviewers.pk).exists()


def test_the_audit_log_names_a_groups_change_in_words(verified_admin_client):
    url = _edit_url(Group.objects.get(name="Form designer"))
    posted = _drawn(verified_admin_client, url)
    posted["permissions"].append(_permission("faq", "view_pagefeedback"))
    verified_admin_client.post(url, posted)
    (entry,) = _entries(AccountEvent.ROLE_GROUP_CHANGED)

    page = verified_admin_client.get(reverse("audit_log:inspect", args=[entry.pk]))

    text = " ".join(BeautifulSoup(page.content, "html.parser").get_text().split())
    assert "Role group's permissions or name changed" in text
    assert "Group: Form designer" in text
    assert "Permissions added: Can view page feedback (FAQ and visual guides); removed: none" in text, text


def _group_entries(names, actor):
    for name in names:
        group = Group.objects.create(name=name)
        role_group_saved(group=group, before=NOT_SAVED, actor=actor)


def test_the_audit_log_list_and_download_name_a_role_group_by_its_name_not_its_id(verified_admin_client, superuser):
    """The list said "Group 5" for a role group's entries; its name was only on the entry's page. It is read from
    the entry's own data, so a deleted group keeps its name and the list reads no more queries for more groups."""
    _group_entries(["Reviewers A", "Reviewers B"], superuser)
    with CaptureQueriesContext(connection) as two:
        verified_admin_client.get("/admin/audit_log/")
    _group_entries(["Reviewers C", "Reviewers D", "Reviewers E"], superuser)
    Group.objects.get(name="Reviewers E").delete()

    with CaptureQueriesContext(connection) as five:
        html = verified_admin_client.get("/admin/audit_log/").content.decode()
    body = b"".join(verified_admin_client.get("/admin/audit_log/", {"export": "csv"}).streaming_content)

    text = " ".join(BeautifulSoup(html, "html.parser").get_text().split())
    names = [f"Reviewers {letter}" for letter in "ABCDE"]
    assert all(name in text for name in names), text
    assert "Group " not in text
    targets = [row["Target"] for row in csv.DictReader(io.StringIO(body.decode("utf-8-sig")))]
    assert sorted(targets) == names
    assert len(five) == len(two)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite locks the whole database; no FOR UPDATE")
def test_a_group_deleted_locks_it_and_its_memberships_before_reading_its_members(superuser):
    """Its members were read without a lock: an account added meanwhile lost the role with the group, unaudited."""
    group, _members = _group_with_members(2)

    with CaptureQueriesContext(connection) as queries:
        role_group_deleted(group=group, actor=superuser)

    sql = [query["sql"] for query in queries]
    locked = [statement for statement in sql if "FOR UPDATE" in statement]
    assert any('FROM "auth_group"' in statement for statement in locked), sql
    assert any('FROM "portal_pages_user_groups"' in statement for statement in locked), sql
    first_member_read = next(
        i for i, statement in enumerate(sql) if 'INNER JOIN "portal_pages_user_groups"' in statement
    )
    assert all(sql.index(statement) < first_member_read for statement in locked)
