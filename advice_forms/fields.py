"""Form fields the standard Django ones do not cover: the GOV.UK date input, repeating groups, money and UK addresses
(the phone field is cms.form_fields.PhoneField, shared with the site's settings).

Every field here turns any input into a valid value or a ValidationError with GOV.UK wording; nothing
else escapes (tests/advice_forms/test_fuzz.py feeds them arbitrary input).
"""

import datetime
import decimal
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dateformat import format as date_format

from advice_forms.uploads import upload_problem
from cms.formats import file_size

DATE_PARTS = ("day", "month", "year")
ROW_ACTION = "row-action"  # name of the "Add another" / "Remove" submit buttons


# What people type in the month box besides its number: the name in full, its first three letters, or "sept"
# (GOV.UK's date input guidance asks services to accept these), in any case, with or without a full stop.
MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
MONTH_WORDS = {
    **{name: number for number, name in enumerate(MONTH_NAMES, start=1)},
    **{name[:3]: number for number, name in enumerate(MONTH_NAMES, start=1)},
    "sept": 9,
}


def month_number(text):
    """'9', '09', 'Sept', 'sep.', 'SEPTEMBER' -> 9; None for anything that is not a month."""
    if re.fullmatch(r"[0-9]{1,2}", text, flags=re.ASCII):
        return int(text)
    return MONTH_WORDS.get(text.lower().rstrip("."))


def format_date(value):
    """3 March 2026: GOV.UK's date style, used on check-answers pages and in PDFs."""
    return date_format(value, "j F Y")


class BoxesWidget(forms.Widget):
    """One answer typed in several boxes, each posted as <name>-<part> (``parts``)."""

    parts = ()

    def value_from_datadict(self, data, files, name):
        return {part: data.get(f"{name}-{part}", "") for part in self.parts}

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}-{part}" in data for part in self.parts)

    def posted_names(self, data, name):
        return [f"{name}-{part}" for part in self.parts if f"{name}-{part}" in data]


class GovukDateWidget(BoxesWidget):
    """Three boxes, named <name>-day, <name>-month and <name>-year as in GOV.UK's date input."""

    parts = DATE_PARTS


class GovukDateField(forms.Field):
    """A date typed as day, month and year, with GOV.UK's error messages for each way it can be wrong."""

    widget = GovukDateWidget

    def __init__(self, *, wording, earliest=None, latest=None, not_in_future=False, **kwargs):
        self.wording = wording
        self.earliest, self.latest, self.not_in_future = earliest, latest, not_in_future
        self.error_parts = ()
        super().__init__(**kwargs)

    @property
    def subject(self):
        return self.wording.subject

    def prepare_value(self, value):
        """Parts for the three boxes, from a date, an ISO string (saved answers) or the posted parts."""
        if isinstance(value, dict):
            return {part: str(value.get(part, "") or "") for part in DATE_PARTS}
        if isinstance(value, str) and value:
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return dict.fromkeys(DATE_PARTS, "")
        if isinstance(value, datetime.date):
            return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
        return dict.fromkeys(DATE_PARTS, "")

    def _fail(self, message, parts=DATE_PARTS):
        self.error_parts = tuple(parts)
        raise ValidationError(message, code="invalid")

    def clean(self, value):
        self.error_parts = ()
        parts = self.prepare_value(value)
        parts = {name: str(text).strip() for name, text in parts.items()}
        missing = [name for name in DATE_PARTS if not parts[name]]
        if len(missing) == 3:
            if self.required:
                self._fail(self.wording.enter(for_question="Enter a date"))  # the date input as a whole
            return None
        # A year typed in words ("twenty twenty") is said to want numbers, whatever else is missing.
        year_in_words = bool(parts["year"]) and not re.fullmatch(r"[0-9]+", parts["year"], flags=re.ASCII)
        if missing:
            needed = f"a {' and '.join(missing)}"
            if year_in_words:
                self._fail(f"{self.subject} must include {needed}, and a year with 4 numbers", parts=(*missing, "year"))
            self._fail(f"{self.subject} must include {needed}", parts=missing)
        month = month_number(parts["month"])
        if not re.fullmatch(r"[0-9]{1,2}", parts["day"], flags=re.ASCII):
            self._fail(f"{self.subject} must be a real date", parts=("day",))
        if month is None:
            self._fail(f"{self.subject} must be a real date", parts=("month",))
        if year_in_words or len(parts["year"]) != 4:
            # Named: a page may ask for several dates.
            self._fail(f"{self.subject} must include a year with 4 numbers", parts=("year",))
        try:
            value = datetime.date(int(parts["year"]), month, int(parts["day"]))
        except ValueError:
            self._fail(f"{self.subject} must be a real date")
        if self.not_in_future and value > datetime.date.today():
            self._fail(f"{self.subject} must be today or in the past")
        if self.earliest and value < self.earliest:
            self._fail(f"{self.subject} must be the same as or after {format_date(self.earliest)}")
        if self.latest and value > self.latest:
            self._fail(f"{self.subject} must be the same as or before {format_date(self.latest)}")
        return value


# --- numbers as people write them ----------------------------------------------------------------

# Thousands commas, grouped as people group them: "1,200" and "12,500.5", not "1,20".
GROUPED_NUMBER = re.compile(r"[-+]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?", re.ASCII)
# A number as people write it once the commas are out: "12", "-3", "2.5", ".5"; not "1e2", "1_000" or "NaN".
WRITTEN_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)
# A question about a percentage says so: "Attendance (%)", "as a percentage", "per cent".
PERCENTAGE_WORDS = re.compile(r"%|\bper ?cent(?:age)?s?\b", re.IGNORECASE)


def about_percentage(*texts):
    """Whether a number question's label or hint says its answer is a percentage."""
    return any(PERCENTAGE_WORDS.search(text or "") for text in texts)


def plain_number(text, percent=False):
    """' 1,200 ' -> '1200' (' 95% ' -> '95' for a percentage): a number typed the way people write it, as Python
    reads it."""
    text = str(text).strip()
    if percent:
        text = text.removesuffix("%").rstrip()
    return text.replace(",", "") if GROUPED_NUMBER.fullmatch(text) else text


def format_number(value, percent=False):
    """'1200.50' -> '1,200.5', and '95' -> '95%' for a percentage: how a number answer is shown on check answers,
    the caseworker's review page and in PDFs."""
    words = f"{decimal.Decimal(str(value)).normalize():,f}"
    return f"{words}%" if percent else words


# A number question that is not about a percentage, answered "95%": its message says what is wrong (after "… must").
NO_PERCENT_SIGN = "be a number without a % sign, like 12"


class WrittenNumberMixin:
    """A number field that reads thousands commas and surrounding spaces, and a trailing % when it asks for a
    percentage (`percent`); anything else not written as people write numbers is refused. It stores the number.
    Where the only fault is a % sign on a question that is no percentage, its message says so (`percent_sign`)."""

    default_error_messages = {"percent_sign": "Enter a number without a % sign, like 12"}

    def __init__(self, *, percent=False, **kwargs):
        self.percent = percent
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = plain_number(value, self.percent)
            if value and not WRITTEN_NUMBER.fullmatch(value):
                code = "percent_sign" if self._only_a_percent_sign(value) else "invalid"
                raise ValidationError(self.error_messages[code], code=code)
        return super().to_python(value)

    def _only_a_percent_sign(self, value):
        unsigned = plain_number(value, percent=True)
        if self.percent or unsigned == value:
            return False
        try:
            self.to_python(unsigned)
        except ValidationError:
            return False
        return True


class WholeNumberField(WrittenNumberMixin, forms.IntegerField):
    """A whole number as people write it: "12", "1,200"."""


class NumberField(WrittenNumberMixin, forms.DecimalField):
    """A number that may have decimals, as people write it: "2.5", "1,200.75"."""


# --- repeating groups -----------------------------------------------------------------------------


class RepeatingGroupWidget(forms.Widget):
    """Rows of sub-fields named <name>-<row>-<sub>, a <name>-rows count, and no-JS "Add another" / "Remove".

    The buttons are submit buttons named `row-action` with values `add:<name>` and `remove:<name>:<row>`;
    the posted form re-renders with one more empty row, or one fewer, and nothing typed is lost.
    """

    def __init__(self, subfield_names=(), max_rows=20, attrs=None, date_subfields=()):
        self.subfield_names = list(subfield_names)
        self.date_subfields = set(date_subfields)
        self.max_rows = max_rows
        super().__init__(attrs)

    def _cell(self, data, prefix, sub):
        if sub in self.date_subfields:  # a GOV.UK date input in a row: three boxes
            return {part: str(data.get(f"{prefix}-{sub}-{part}", "")) for part in DATE_PARTS}
        return str(data.get(f"{prefix}-{sub}", ""))

    def value_from_datadict(self, data, files, name):
        try:
            count = int(str(data.get(f"{name}-rows", "1"))[:4])
        except ValueError:
            count = 1
        count = max(0, min(count, self.max_rows))
        rows = [{sub: self._cell(data, f"{name}-{i}", sub) for sub in self.subfield_names} for i in range(count)]
        action = str(data.get(ROW_ACTION, ""))
        if action == f"add:{name}" and len(rows) < self.max_rows:
            rows.append({sub: self._cell({}, "", sub) for sub in self.subfield_names})
        elif action.startswith(f"remove:{name}:"):
            try:
                index = int(action.rsplit(":", 1)[1][:4])
            except ValueError:
                index = -1
            if 0 <= index < len(rows):
                rows.pop(index)
        return rows

    def raw_cells(self, name, rows):
        """{posted name: value} for rows, as the browser posts them (a draft keeps them so)."""
        out = {f"{name}-rows": str(len(rows))}
        for index, row in enumerate(rows):
            for sub, value in row.items():
                if isinstance(value, dict):
                    out.update({f"{name}-{index}-{sub}-{part}": str(value.get(part, "")) for part in DATE_PARTS})
                else:
                    out[f"{name}-{index}-{sub}"] = value
        return out

    def value_omitted_from_data(self, data, files, name):
        return f"{name}-rows" not in data

    def posted_names(self, data, name):
        """Its row count and every cell of every row in ``data``, a date cell's three boxes included."""
        cells = "|".join(
            re.escape(sub) + (f"-(?:{'|'.join(DATE_PARTS)})" if sub in self.date_subfields else "")
            for sub in self.subfield_names
        )
        posted = re.compile(rf"{re.escape(name)}-(?:rows|[0-9]+-(?:{cells}))")
        return [key for key in data if posted.fullmatch(key)]


def row_is_empty(row):
    values = []
    for value in row.values():
        values.extend(value.values() if isinstance(value, dict) else [value])
    return not any(str(value).strip() for value in values if value is not None)


def naming_the_row(message, cell_field, row):
    """A cell's message with its row named right after the cell's own name, so an example at the end stays last:
    'Cost a year must be an amount of money, like £1,900.50' -> 'Cost a year for provision 1 must be an amount of
    money, like £1,900.50'; 'Select the team' -> 'Select the team for outcome 1'. A message that does not name its cell
    (a designer's own) gets the row before any example, or at its end."""
    wording = getattr(cell_field, "wording", None)
    names = [wording.subject, wording.named, wording.label] if wording is not None else []
    names.append(str(getattr(cell_field, "label", "") or ""))
    for name in sorted(filter(None, names), key=len, reverse=True):  # the quoted label before the bare one
        found = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", message, re.IGNORECASE)
        if found:
            end = found.end() + (message[found.end() : found.end() + 1] == "”")  # after a quoted name's closing quote
            if message[end:].startswith(" column"):  # 'in the “Still attends” column for school 2'
                end += len(" column")
            return f"{message[:end]} for {row}{message[end:]}"
    example = message.find(", like ")
    if example != -1:
        return f"{message[:example]} for {row}{message[example:]}"
    return f"{message} for {row}"


class RepeatingGroupField(forms.Field):
    """A list of rows, each a dict of sub-field values; empty rows are dropped, the rest validated per sub-field.

    `subfields` is an ordered dict of name -> Django form field (labels used in the template). Errors are
    kept per row in `row_errors` ({row: {sub: message}}) for inline display; the same messages, with
    the row named ("Select the team for outcome 2"), form the field's ValidationError for the error summary.
    `ordered_dates` are (start, end) pairs of date sub-fields: a row whose end is before its start is refused beside
    its end. `row_error_parts` ({row: {sub: parts}}) names a date cell's boxes at fault, the ones marked in error.
    """

    widget = RepeatingGroupWidget

    def __init__(self, *, subfields, item_name, wording, max_rows=20, min_rows=None, **kwargs):
        self.subfields = subfields
        self.item_name = item_name
        self.wording = wording
        self.max_rows = max_rows
        self.min_rows = min_rows
        self.row_errors = {}
        self.row_error_parts = {}
        self.group_errors = []
        self.ordered_dates = []
        dates = [name for name, field in subfields.items() if isinstance(field, GovukDateField)]
        kwargs["widget"] = RepeatingGroupWidget(subfield_names=list(subfields), max_rows=max_rows, date_subfields=dates)
        super().__init__(**kwargs)

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.subfields = {name: field.__deepcopy__(memo) for name, field in self.subfields.items()}
        result.row_errors, result.row_error_parts, result.group_errors = {}, {}, []
        return result

    def rows_to_correct(self):
        """Beside the table when cells are wrong: 'Support 1 and support 3 need correcting', naming the rows as their
        legends do (each cell's own message is beside it and in the error summary)."""
        named = [f"{self.item_name} {index + 1}" for index in sorted(self.row_errors)]
        if not named:
            return ""
        listed = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} and {named[-1]}"
        return f"{listed[:1].upper()}{listed[1:]} {'needs' if len(named) == 1 else 'need'} correcting"

    def prepare_value(self, value):
        rows = []
        for row in value or []:
            if isinstance(row, dict):
                rows.append({sub: self._prepare_cell(sub, row.get(sub)) for sub in self.subfields})
        return rows or [{sub: self._prepare_cell(sub, None) for sub in self.subfields}]

    def _prepare_cell(self, sub, value):
        field = self.subfields[sub]
        if isinstance(field, GovukDateField):
            return field.prepare_value(value)
        return "" if value is None else str(value)

    def clean(self, value):
        self.row_errors, self.row_error_parts, self.group_errors = {}, {}, []
        rows = value if isinstance(value, list) else []
        cleaned, messages = [], []
        for index, row in enumerate(rows):
            if not isinstance(row, dict) or row_is_empty(row):
                continue
            out, problems = {}, {}
            for sub, field in self.subfields.items():
                try:
                    out[sub] = field.clean(row.get(sub, ""))
                except ValidationError as error:
                    problems[sub] = error.messages[0]
                    if isinstance(field, GovukDateField):
                        self.row_error_parts.setdefault(index, {})[sub] = field.error_parts or DATE_PARTS
            for start, end in self.ordered_dates:
                if end not in problems and out.get(start) and out.get(end) and out[end] < out[start]:
                    after = self.subfields[start].wording.named
                    problems[end] = f"{self.subfields[end].subject} must be the same as or after {after}"
                    self.row_error_parts.setdefault(index, {})[end] = DATE_PARTS
            for sub, problem in problems.items():
                message = naming_the_row(problem, self.subfields[sub], f"{self.item_name} {index + 1}")
                self.row_errors.setdefault(index, {})[sub] = message
                messages.append(message)
            cleaned.append(out)
        if messages:
            raise ValidationError(messages, code="rows")
        if not cleaned and self.required:
            message = self.wording.custom_required or f"Add at least one {self.item_name}"
            self.group_errors = [message]
            raise ValidationError(message, code="required")
        # The designer's item name is said in the singular only: an "s" added made "activitys", "childs", "persons".
        if self.min_rows and cleaned and len(cleaned) < self.min_rows:
            message = f"Add another {self.item_name}: at least {self.min_rows} are needed"
            self.group_errors = [message]
            raise ValidationError(message, code="min_rows")
        if len(cleaned) > self.max_rows:
            message = (
                f"You can add up to {self.max_rows}: remove any {self.item_name} after {self.item_name} {self.max_rows}"
            )
            self.group_errors = [message]
            raise ValidationError(message, code="max_rows")
        return cleaned


# --- money and UK addresses -----------------------------------------------------------------------

MONEY = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,2})?", re.ASCII)
MONEY_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]{1,2})?", re.ASCII)


def format_money(value):
    """'1900.5' -> '£1,900.50': how an amount is shown on check answers and in PDFs."""
    return f"£{decimal.Decimal(str(value)):,.2f}"


class MoneyField(forms.CharField):
    """Pounds and pence as people type them ("£1,900.50", "1900", "1,900"), stored exactly: "1900.50"."""

    def __init__(self, *, wording, min_value=None, max_value=None, **kwargs):
        self.wording = wording
        self.min_value, self.max_value = min_value, max_value
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("error_messages", {"required": wording.enter(), "max_length": self._invalid()})
        super().__init__(**kwargs)

    def _invalid(self):
        return self.wording.must("be an amount of money, like £1,900.50 or 1900")

    def prepare_value(self, value):
        if value and MONEY.fullmatch(str(value)):
            return format_money(value)[1:]
        return value

    def to_python(self, value):
        text = super().to_python(value).replace(" ", "")
        if text.startswith("£"):
            text = text[1:]
        if not text:
            return ""
        if not (MONEY.fullmatch(text) or MONEY_GROUPED.fullmatch(text)):
            raise ValidationError(self._invalid(), code="invalid")
        amount = decimal.Decimal(text.replace(",", "")).quantize(decimal.Decimal("0.01"))
        if self.min_value is not None and amount < self.min_value:
            raise ValidationError(self.wording.must(f"be £{self.min_value:,} or more"), code="min_value")
        if self.max_value is not None and amount > self.max_value:
            raise ValidationError(self.wording.must(f"be £{self.max_value:,} or less"), code="max_value")
        return format(amount, "f")


ADDRESS_PARTS = ("line_1", "line_2", "town", "postcode")
ADDRESS_LIMITS = {"line_1": 200, "line_2": 200, "town": 100}
# A UK postcode without its space: outward code (area, district) then inward code (sector, unit).
POSTCODE = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})", re.ASCII)
# What people put in or around a postcode that is no part of it: spaces, hyphens and dashes, full stops, commas.
POSTCODE_PADDING = re.compile(r"[\s\-\u2010-\u2015.,]+")


def normalise_postcode(value):
    """'sw1a1aa', 'SW1A-1AA', 'SW1A 1AA.' -> 'SW1A 1AA'; None when it is not the shape of a UK postcode."""
    match = POSTCODE.fullmatch(POSTCODE_PADDING.sub("", str(value or "")).upper())
    return f"{match.group(1)} {match.group(2)}" if match else None


def format_address(value):
    """The lines of an address answer, one a line, as on an envelope."""
    if not isinstance(value, dict):
        return str(value or "")
    return "\n".join(str(value.get(part) or "").strip() for part in ADDRESS_PARTS if (value.get(part) or "").strip())


class AddressWidget(BoxesWidget):
    """GOV.UK's address pattern: boxes named <name>-line_1, -line_2, -town and -postcode."""

    parts = ADDRESS_PARTS

    def value_from_datadict(self, data, files, name):
        return {part: str(value) for part, value in super().value_from_datadict(data, files, name).items()}


class AddressField(forms.Field):
    """A UK address: line 1, town and postcode needed (line 2 optional); the postcode checked and normalised."""

    widget = AddressWidget
    MESSAGES = {
        "line_1": "Enter address line 1, typically the building and street",
        "town": "Enter town or city",
        "postcode": "Enter postcode",
    }

    def __init__(self, *, wording, **kwargs):
        self.wording = wording
        self.error_parts = ()
        super().__init__(**kwargs)

    def prepare_value(self, value):
        value = value if isinstance(value, dict) else {}
        return {part: str(value.get(part) or "") for part in ADDRESS_PARTS}

    def clean(self, value):
        self.error_parts = ()
        parts = {part: " ".join(text.split()) for part, text in self.prepare_value(value).items()}
        if not any(parts.values()):
            if self.required:
                self.error_parts = ("line_1",)
                raise ValidationError(self.wording.custom_required or self.MESSAGES["line_1"], code="required")
            return None
        errors = []
        for part, message in self.MESSAGES.items():
            if not parts[part]:
                errors.append((part, message))
        for part, limit in ADDRESS_LIMITS.items():
            if len(parts[part]) > limit:
                label = {"line_1": "Address line 1", "line_2": "Address line 2", "town": "Town or city"}[part]
                errors.append((part, f"{label} must be {limit} characters or fewer"))
        if parts["postcode"]:
            # Checked by its shape, whatever its length: a real postcode is never too long (GOV.UK's address pattern).
            postcode = normalise_postcode(parts["postcode"])
            if postcode is None:
                errors.append(("postcode", "Enter a real postcode"))
            else:
                parts["postcode"] = postcode
        if errors:
            self.error_parts = tuple(part for part, _ in errors)
            raise ValidationError([message for _, message in errors], code="invalid")
        return parts


def posted_names(widget, data, name):
    """The names in ``data`` (a post, or a step's kept post) that belong to the field posted as ``name``: a date's
    three boxes, an address's lines, a table's row count and cells, or ``name`` itself (a file question's is its
    own: its "Remove this file" is a button, not Django's clear box). Clearing a question's typing clears all of
    them, or its parts come back when the step is opened."""
    if isinstance(widget, (BoxesWidget, RepeatingGroupWidget)):
        return widget.posted_names(data, name)
    return [name] if name in data else []


# --- a file question ---------------------------------------------------------------------------------


class GovukFileInput(forms.FileInput):
    """The one file control of the portal, for a PDF: GOV.UK Frontend's file upload component (its script makes the
    input a "Choose file" button with a drop zone, labelled by the field's label; without JavaScript it stays the
    browser's own input). The documents page and every file question on a step render it."""

    template_name = "advice_forms/widgets/file_upload.html"

    def __init__(self, attrs=None):
        super().__init__({"class": "govuk-file-upload", "accept": "application/pdf,.pdf", **(attrs or {})})


class FileQuestionInput(GovukFileInput):
    """A file question's input, whose saved file is taken away by its "Remove this file" button (a submit button,
    so it works without JavaScript and autosave never sends it): posted, the field's data is False."""

    def remove_value(self, name):
        return f"remove:{name}"

    def value_from_datadict(self, data, files, name):
        if str(data.get(ROW_ACTION, "")) == self.remove_value(name):
            return False
        return files.get(name)


class FileQuestionField(forms.FileField):
    """A PDF uploaded with a step, checked as every upload is (advice_forms.uploads.upload_problem).

    Cleans to the new UploadedFile, which services.drafts files as the child's document, or to the saved answer
    ({"document", "name", "size"}) when no new file was chosen, or to None when the saved file is removed (a file
    chosen with it is not taken). ``upload_flags`` (set by the form from the request: oversized) and a name Django
    cleaned (marked on the file) make the upload's own problem the message.
    """

    def __init__(self, *, wording, **kwargs):
        self.wording = wording
        self.upload_flags = {}
        self.skipped_name = ""  # an oversized file's name: its bytes were skipped, so no UploadedFile carries it
        kwargs.setdefault("widget", FileQuestionInput)
        super().__init__(**kwargs)

    def bound_data(self, data, initial):
        if data is False:
            return None
        return data or initial

    def clean(self, data, initial=None):
        if data is False:
            return self._nothing()
        flags = self.upload_flags
        if data or flags:
            problem = upload_problem(data or None, **flags)
            if problem:
                name = getattr(data, "name", "") or self.skipped_name
                raise ValidationError(_naming_the_file(problem, name), code="invalid")
            return data
        if isinstance(initial, dict) and initial.get("document"):
            return initial
        return self._nothing()

    def _nothing(self):
        if self.required:
            raise ValidationError(self.wording.custom_required or "Select a PDF file to upload", code="required")
        return None


def _naming_the_file(problem, name):
    """'The selected file must be a PDF' -> '“setup.exe” must be a PDF', and '“big.pdf” must be 3MB or smaller': a step
    may ask for several files, so each refusal names its own (a name Django has already stripped of any path)."""
    if name and problem.startswith("The selected file "):
        return f"“{name}” {problem.removeprefix('The selected file ')}"
    return problem


def format_file(value):
    """An uploaded file's answer in words: its name and size."""
    if not isinstance(value, dict):
        return ""
    return f"{value.get('name') or 'document.pdf'} ({file_size(value.get('size') or 0)})"
