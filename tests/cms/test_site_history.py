"""Wagtail's site history (Reports -> Site history), its filters and its CSV and Excel downloads, and each object's
History page, load for the superuser and each staff role with every kind of entry the portal and Wagtail write in it:
page edits, publishing, workflow (started, rejected, cancelled) and deletion, form definition edits, role groups made
and deleted, account changes, casework labelled by id, entries by the portal itself, by an account since deleted,
about a model moved between apps, and about a model whose content type is gone (its Type is "Unknown content type",
which the Excel download could not write: a 500)."""

import datetime
from io import BytesIO

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.actions.delete_page import DeletePageAction
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, PageLogEntry, Workflow

from tests.csv_downloads import csv_lines
from tests.factories.accounts import ProfessionalFactory, StaffUserFactory, verified_login
from tests.factories.advice_forms import ChildRecordFactory, definition, small_form_sections
from tests.factories.cms import HelpPageFactory

pytestmark = pytest.mark.django_db

SITE_HISTORY = "/admin/reports/site-history/"
ROLES = ["superuser", "caseworker", "form_designer", "content_editor", "administrator"]


@pytest.fixture
def every_kind_of_entry(role_groups, home_page, superuser, caseworker, form_designer, content_editor, administrator):
    """One entry or more of each kind, and the History pages of the rows that still exist."""
    page = HelpPageFactory(parent=home_page, title="Getting help")
    page.save_revision(user=content_editor, log_action=True)
    workflow = Workflow.objects.get(active=True)
    state = workflow.start(page, content_editor)
    state.current_task_state.task.specific.on_action(state.current_task_state, superuser, "reject")
    page.refresh_from_db()
    page.save_revision(user=content_editor, log_action=True).publish(user=superuser)
    workflow.start(page, content_editor)
    gone_page = HelpPageFactory(parent=home_page, title="Withdrawn guidance")
    log(instance=gone_page, action="wagtail.edit", user=content_editor)
    DeletePageAction(gone_page, user=superuser).execute(skip_permission_checks=True)
    version = definition(small_form_sections())
    log(instance=version.definition, action="wagtail.edit", user=form_designer)
    role = Group.objects.create(name="Temporary role")
    log(instance=role, action="wagtail.create", user=superuser)
    log(instance=role, action="wagtail.delete", user=superuser)
    role.delete()
    account = ProfessionalFactory()
    log(instance=account, action="wagtail.edit", user=administrator)
    log(instance=account, action="wagtail.edit", user=None)  # the portal's own change: Wagtail's "system"
    child = ChildRecordFactory()
    log(instance=child, action="wagtail.edit", user=caseworker)
    since_deleted = StaffUserFactory()
    log(instance=page, action="wagtail.edit", user=since_deleted)
    since_deleted.delete()
    # A model moved between apps whose old content type stayed (no model answers to it), and one whose content type
    # was then removed (remove_stale_contenttypes): Wagtail sets the entry's content type to null.
    moved = ContentType.objects.create(app_label="portal_pages", model="outcome")
    log_about(moved, "3", "Outcome 3", superuser)
    removed = ContentType.objects.create(app_label="portal_pages", model="contribution")
    log_about(removed, "4", "Contribution 4", superuser)
    removed.delete()
    return [
        reverse("wagtailadmin_pages:history", args=[page.pk]),
        reverse("wagtailsnippets_advice_forms_formdefinition:history", args=[version.definition.pk]),
        reverse("wagtailusers_users:history", args=[account.pk]),
        reverse("team_accounts:history", args=[account.pk]),
        reverse("child_records:history", args=[child.pk]),
    ]


def log_about(content_type, object_id, label, user):
    """An entry about a row of ``content_type``, as Wagtail wrote it while the model lived."""
    entry = ModelLogEntry(content_type=content_type, object_id=object_id, label=label, action="wagtail.edit")
    entry.user, entry.timestamp = user, datetime.datetime.now(datetime.UTC)
    entry.save()


def _excel_rows(response):
    return [[cell.value for cell in row] for row in load_workbook(BytesIO(b"".join(response.streaming_content))).active]


def _statuses(client, path, queries):
    """Each answer's status, a download read to its end: a CSV is streamed, so an error part-way ends its file."""
    statuses = {}
    for query in queries:
        response = client.get(path, query)
        if response.streaming:
            b"".join(response.streaming_content)
        statuses[(path, tuple(query.items()))] = response.status_code
    return statuses


@pytest.mark.parametrize("role", ROLES)
def test_the_site_history_its_filters_and_downloads_load_with_every_kind_of_entry(client, request, role):
    history_pages = request.getfixturevalue("every_kind_of_entry")
    user = request.getfixturevalue(role)
    verified_login(client, user)
    today = datetime.date.today().strftime("%d/%m/%Y")
    queries = [{}, {"export": "csv"}, {"export": "xlsx"}, {"action": "wagtail.edit"}, {"action": "wagtail.delete"}]
    queries += [{"user": str(user.pk)}, {"timestamp_from": today, "timestamp_to": today}]
    used = {*ModelLogEntry.objects.values_list("content_type", flat=True)} - {None}
    used |= {*PageLogEntry.objects.values_list("content_type", flat=True)} - {None}
    queries += [{"object_type": str(pk)} for pk in sorted(used)] + [{"object_type": str(max(used) + 1)}]
    statuses = _statuses(client, SITE_HISTORY, queries) | _statuses(client, SITE_HISTORY + "results/", queries[:1])
    for path in history_pages:
        statuses |= _statuses(client, path, [{}])
    assert {key: status for key, status in statuses.items() if status >= 500} == {}
    assert client.get(SITE_HISTORY).status_code == 200


def test_the_excel_download_names_a_gone_content_type_as_the_screen_and_csv_do(client, every_kind_of_entry, superuser):
    verified_login(client, superuser)
    screen = client.get(SITE_HISTORY).content.decode()
    csv = csv_lines(client.get(SITE_HISTORY, {"export": "csv"}))
    response = client.get(SITE_HISTORY, {"export": "xlsx"})
    assert response.status_code == 200
    excel = _excel_rows(response)

    assert "Unknown content type" in screen
    for rows in (csv, excel):
        types = {row[1]: row[2] for row in rows}
        assert (types["Contribution 4"], types["Outcome 3"]) == ("Unknown content type", "Outcome")


def test_the_downloads_name_an_action_no_longer_registered_as_the_screen_does(client, home_page, superuser):
    """An entry written by an app since removed (or an older Wagtail): Wagtail's Excel download answered 500 and its
    CSV stopped at that row, where the screen says "Unknown <action>"."""
    page = HelpPageFactory(parent=home_page, title="Getting help")
    entry = ModelLogEntry(content_type=ContentType.objects.get_for_model(superuser), object_id=str(superuser.pk))
    entry.label, entry.action, entry.user = "Removed app's entry", "removed_app.signed", superuser
    entry.timestamp = datetime.datetime.now(datetime.UTC)
    ModelLogEntry.objects.bulk_create([entry])  # as save() now refuses an action nothing registers
    log(instance=page, action="wagtail.edit", user=superuser)
    verified_login(client, superuser)

    assert "Unknown removed_app.signed" in client.get(SITE_HISTORY).content.decode()
    csv = csv_lines(client.get(SITE_HISTORY, {"export": "csv"}))
    response = client.get(SITE_HISTORY, {"export": "xlsx"})
    assert response.status_code == 200
    for rows in (csv, _excel_rows(response)):
        named = {(row[1], row[3]) for row in rows}
        assert {("Removed app's entry", "Unknown removed_app.signed"), ("Getting help", "Edit")} <= named
