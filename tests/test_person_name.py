"""A member of staff is named one way wherever a page, a PDF or a download names them: by first and last names
(User.person_name), as the casework pages name an EHC co-ordinator. The audit log's Who, its CSV and Excel downloads
and the outcomes report's "made by" gave the account's display name instead, so one caseworker read as two people.
A team account is named by its name, as before."""

import csv
import io
from io import BytesIO

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from cms.models import AuditEntry
from cms.services import audit_record
from portal_pages.events import AccountEvent
from portal_pages.models import User
from tests.factories.advice_forms import ChildRecordFactory

pytestmark = pytest.mark.django_db

AUDIT_LOG = "/admin/audit_log/"


@pytest.fixture
def casey(caseworker):
    """The caseworker, whose account's display name is not their name."""
    caseworker.display_name = "SEND desk 3"
    caseworker.save()
    return caseworker


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        (
            {"is_staff": True, "first_name": "Casey", "last_name": "Worker", "display_name": "SEND desk 3"},
            "Casey Worker",
        ),
        ({"is_staff": True, "first_name": "", "last_name": "", "display_name": "SEND desk 3"}, "SEND desk 3"),
        ({"is_staff": True, "first_name": "", "last_name": "", "display_name": ""}, "c.worker@example.org"),
        (
            {"is_staff": False, "first_name": "Ann", "last_name": "Lee", "display_name": "Oakfield SENCO"},
            "Oakfield SENCO",
        ),
        ({"is_staff": False, "first_name": "Ann", "last_name": "Lee", "display_name": ""}, "Ann Lee"),
    ],
)
def test_a_person_is_named_by_one_rule_in_python_and_in_a_query(fields, named):
    person = User.objects.create_user("c.worker@example.org", **fields)
    assert person.person_name == named
    assert User.objects.annotate(shown=User.person_name_sql()).get(pk=person.pk).shown == named


def test_the_audit_log_its_entry_page_and_its_filter_name_staff_as_the_casework_pages_do(
    administrator_client, casey, professional
):
    child = ChildRecordFactory(coordinator=casey)
    audit_record(action=AccountEvent.SIGNED_IN, actor=casey, target=casey)
    audit_record(action=AccountEvent.SIGNED_IN, actor=professional, target=professional)

    def who(**params):
        page = BeautifulSoup(administrator_client.get(AUDIT_LOG, params).content, "html.parser")
        return sorted(row.select("td")[2].get_text(" ", strip=True) for row in page.select("tbody tr"))

    assert who() == sorted(["Casey Worker", professional.display_name])
    assert who(actor="Casey Worker") == ["Casey Worker"]
    assert who(actor="SEND desk") == []  # the name the column does not show
    entry = AuditEntry.objects.get(actor=casey)
    inspected = BeautifulSoup(administrator_client.get(f"{AUDIT_LOG}inspect/{entry.pk}/").content, "html.parser")
    assert "Casey Worker" in inspected.get_text(" ") and "SEND desk" not in inspected.get_text(" ")
    assert child.coordinator.person_name == "Casey Worker"


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_the_audit_logs_downloads_name_staff_as_the_list_does(administrator_client, casey, professional, export):
    audit_record(action=AccountEvent.SIGNED_IN, actor=casey, target=casey)
    audit_record(action=AccountEvent.SIGNED_IN, actor=professional, target=professional)

    response = administrator_client.get(AUDIT_LOG, {"export": export})
    body = b"".join(response.streaming_content)
    if export == "csv":
        names = [row["Who"] for row in csv.DictReader(io.StringIO(body.decode("utf-8-sig")))]
    else:
        sheet = load_workbook(BytesIO(body)).active
        column = [cell.value for cell in sheet[1]].index("Who")
        names = [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted(["Casey Worker", professional.display_name])


def test_the_outcomes_report_names_who_made_it_as_the_casework_pages_do(caseworker_client, casey):
    child = ChildRecordFactory(coordinator=casey)

    records_list = caseworker_client.get(reverse("child_records:index")).content.decode()
    report = caseworker_client.get(reverse("casework_outcomes_report", kwargs={"child_id": child.pk}))

    assert "Casey Worker" in records_list
    text = " ".join(PdfReader(BytesIO(report.content)).pages[0].extract_text().split())
    assert "by Casey Worker" in text and "SEND desk" not in text


def test_the_audit_logs_who_column_sorts_by_the_name_it_shows(administrator_client, casey):
    """Sorted by Who, the log was in the order of the accounts' ids: "Zara Young" (made first) came before "abbey
    school". It sorts by the name the column shows, whatever its case, with "The portal" among them."""
    zara = User.objects.create_user("a.first@example.org", is_staff=True, first_name="Zara", last_name="Young")
    abbey = User.objects.create_user("z.last@example.org", display_name="abbey school")
    for actor in (zara, abbey, casey, None):
        audit_record(action=AccountEvent.SIGNED_IN, actor=actor, target=abbey)

    def who(ordering):
        page = BeautifulSoup(administrator_client.get(AUDIT_LOG, {"ordering": ordering}).content, "html.parser")
        return [row.select("td")[2].get_text(" ", strip=True) for row in page.select("tbody tr")]

    ascending = who("actor")
    assert {"Zara Young", "abbey school", "Casey Worker", "The portal"} <= set(ascending)
    assert ascending == sorted(ascending, key=str.casefold)
    assert who("-actor") == sorted(ascending, key=str.casefold, reverse=True)
